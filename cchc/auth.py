"""Login protection: the client's address for django-axes, its lockout page, and a password rule."""

import ipaddress
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def _address(text):
    """The client an address stands for: an IPv4 address, or the /64 network of an IPv6 one (written as its
    first address), which is one household's or office's line: its devices pick any address inside it."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def client_ip(request):
    """The address failed logins are counted against (AXES_CLIENT_IP_CALLABLE).

    X-Forwarded-For can be sent by anyone: it is read only when TRUSTED_PROXY_COUNT of our own proxies stand
    in front, and then only the entry the outermost of them appended, never one the client wrote.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return _address(forwarded[-count]) or _address(remote) or remote
    return _address(remote) or remote


class LoginThrottle(AxesDatabaseHandler):
    """django-axes' handler (AXES_HANDLER) with a second limit: failures from one address, whatever the names.

    The first limit, per user name and address, stops guessing one account's password but not a few guesses
    at each of many names. The second is higher, so that an office behind one address is not locked out by
    its colleagues' typing mistakes.
    """

    def get_failures(self, request, credentials=None):
        # django-axes compares this with its limit both before a login and after a failure.
        failures = super().get_failures(request, credentials)
        if self.address_failures(request) < settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return failures
        request.cchc_address_locked = True
        return max(failures, get_failure_limit(request, credentials))

    def address_failures(self, request):
        since = timezone.now() - get_cool_off(request)
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address, attempt_time__gte=since)
        return attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0


def lockout_response(request, original_response=None, credentials=None):
    """The Vietnamese page shown instead of the login form while a user name is locked out (HTTP 429).

    Every refused attempt restarts the cool-off, so the lock ends one cool-off after this request.
    """
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60)
    context = {
        "minutes": minutes,
        "retry_at": timezone.localtime() + cool_off,
        "whole_address": getattr(request, "cchc_address_locked", False),
    }
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


class LettersAndDigitsValidator:
    """A password must mix letters and digits (AUTH_PASSWORD_VALIDATORS)."""

    def validate(self, password, user=None):
        if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
            raise ValidationError(
                _("This password must contain both letters and digits."), code="password_no_mix"
            )

    def get_help_text(self):
        return _("Your password must contain both letters and digits.")
