"""The database going away during a request: a 503 page instead of a server error, and a log entry.

Django closes a connection that failed once the request ends (close_old_connections, with the settings'
health checks), so the next request opens a new one as soon as the database is back.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger("cchc.outage")

RETRY_AFTER_SECONDS = 30


def unavailable_response():
    # Rendered without the request, so without context processors: the user, the session and the messages
    # would each query the database that just failed.
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseOutageMiddleware:
    """Answers 503 when the view (or its template) loses the database: connection refused or killed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable during %s %s", request.method, request.path, exc_info=exception)
        return unavailable_response()
