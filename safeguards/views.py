"""The error pages that need more than a template: database outages and rate limits.

Django's own handlers render templates/400.html, 403.html and 404.html (here
closing their database connections under ASGI); this module adds the 503 a
reader sees while the database is away, and the 429 the rate limiter answers
with.
"""

import functools
import math
import sys

from django.core.handlers.asgi import ASGIRequest
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

# Raised when the database cannot be reached, was restarted under an open
# connection, or refused for a moment (locked, deadlocked): worth a retry.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def _connections_given_back(error_page):
    """Django's `error_page` (400, 403, 404), its database connections closed after it under
    ASGI (LIVE_STREAMS).

    There Django draws the page of an exception a view raised in a thread of
    no request's own (django.core.handlers.exception): a connection the page
    opens (a signed-in reader's session and user, for the site's header) is
    closed by no request's end, and would stay out of the pool for good. Under
    WSGI the page is drawn in the request's thread, whose end closes it.
    """

    @functools.wraps(error_page)
    def drawn(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return error_page(request, *args, **kwargs)
        finally:
            if isinstance(request, ASGIRequest):
                connections.close_all()

    return drawn


bad_request = _connections_given_back(defaults.bad_request)
permission_denied = _connections_given_back(defaults.permission_denied)
page_not_found = _connections_given_back(defaults.page_not_found)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage becomes a 503 that says to try again; anything else, 500.

    Django calls this while handling the exception, and logs the response with
    its traceback ("Service Unavailable: /path") on the django.request logger.
    """
    if isinstance(sys.exception(), DATABASE_UNAVAILABLE):
        return service_unavailable(request)
    # Rendered without the request: context processors may need what just broke.
    return HttpResponseServerError(render_to_string("500.html"))


def service_unavailable(request: HttpRequest, *, retry_after: int = RETRY_AFTER_SECONDS):
    """503 with Retry-After, rendered without touching the database (no session, no user)."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(retry_after)
    return response


def too_many_requests(
    request: HttpRequest, *, retry_after: int, unsent_text: str = ""
) -> HttpResponse:
    """429 with Retry-After, for the rate limiter to return when a reader goes too fast.

    `unsent_text` is what the reader wrote, shown back so that it is not lost.
    """
    minutes = max(1, math.ceil(retry_after / 60))
    context = {"minutes": minutes, "unsent_text": unsent_text}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response
