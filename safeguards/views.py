"""The error pages that need more than a template: database outages and rate limits.

Django's own handlers already render templates/400.html, 403.html, 404.html
and 500.html; this module adds the 503 a reader sees while the database is
away, and the 429 the rate limiter answers with.
"""

import math
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token

# Raised when the database cannot be reached, was restarted under an open
# connection, or refused for a moment (locked, deadlocked): worth a retry.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


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
