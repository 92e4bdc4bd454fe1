from django.conf import settings
from django.http import HttpResponse
from django.template import loader


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy of settings.CONTENT_SECURITY_POLICY with every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(
            f"{name} {' '.join(values)}" for name, values in settings.CONTENT_SECURITY_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
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
