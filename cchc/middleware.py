import gzip

from django.conf import settings
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.template import loader
from django.utils.cache import patch_vary_headers


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
