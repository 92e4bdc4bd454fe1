import gzip

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpResponse, HttpResponseBadRequest
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.template import loader
from django.utils.cache import patch_vary_headers


def content_security_policy(more_script_sources=()):
    """settings.CONTENT_SECURITY_POLICY as a header, with a page's own `more_script_sources` if any."""
    policy = {**settings.CONTENT_SECURITY_POLICY}
    policy["script-src"] = [*policy["script-src"], *more_script_sources]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in policy.items())


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy of settings.CONTENT_SECURITY_POLICY with every response that has
    none of its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        return response


def bad_request(request, exception=None):
    """The 400 page (handler400 too): rendered without the request, which is what could not be read. Our own
    BadRequest says why; other refusals (a forged host, a broken session) only that something was wrong."""
    reason = str(exception) if type(exception) is BadRequest else ""
    return HttpResponseBadRequest(loader.render_to_string("400.html", {"reason": reason}))


class UnreadableInputMiddleware:
    """Answers 400 to a NUL character anywhere in the address or a plain form: PostgreSQL can neither store
    nor compare one, so wherever it reached a query it was a server error (/xa/%00/, ?unit=%00, an admin
    filter or search). Uploads are multipart: their fields go through forms, whose fields refuse it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in text for text in self.texts(request)):
            return bad_request(request)
        return self.get_response(request)

    @staticmethod
    def texts(request):
        """The address, and every name and value of its query and of a plain form."""
        yield request.path
        sources = [request.GET]
        if request.content_type == "application/x-www-form-urlencoded":
            sources.append(request.POST)
        for source in sources:
            for name, values in source.lists():
                yield name
                yield from values


class PrivateResponsesMiddleware:
    """Every answer of the application is for the one who asked: pages, JSON, CSV, xlsx and Word downloads
    hold figures a shared cache must not keep. Static files (whitenoise) set their own Cache-Control."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "private"
        return response


class RequestSizeLimitMiddleware:
    """Answers 413 to a request whose Content-Length exceeds settings.MAX_REQUEST_BYTES, before anything
    reads its body (first in MIDDLEWARE). Django reads no more than Content-Length: without one, no body."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = settings.MAX_REQUEST_BYTES

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:  # Django reads such a body as empty
            length = 0
        if length > self.limit:
            # Without the request, as 500.html: no session or user yet, this middleware runs first.
            page = loader.render_to_string("413.html", {"limit": self.limit})
            return HttpResponse(page, status=413)
        return self.get_response(request)


class DownloadGZipMiddleware(GZipMiddleware):
    """Django's gzip, but a large download (JSON or CSV of every commune) is compressed at the fastest
    level: the default level took longer than building the 3 MB of a province's ranking. Such a download
    echoes no secret (no CSRF token), so it needs none of the padding Django adds to pages against BREACH.
    """

    FAST_ABOVE = 256 * 1024
    DOWNLOADS = ("application/json", "text/csv")

    def process_response(self, request, response):
        if (
            response.streaming
            or len(response.content) < self.FAST_ABOVE
            or not response.get("Content-Type", "").startswith(self.DOWNLOADS)
            or response.has_header("Content-Encoding")
        ):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            response.content = gzip.compress(response.content, compresslevel=1, mtime=0)
            response.headers["Content-Length"] = str(len(response.content))
            response.headers["Content-Encoding"] = "gzip"
        return response
