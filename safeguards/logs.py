"""Log lines an operator can follow: one per event, each with the id of the request it came from.

`RequestIdMiddleware` gives each request an id: the load balancer's
`X-Request-ID` when it sent a sane one (so its access log and ours agree),
else a new one; the response carries it back in the same header. The id is
kept in a context variable, which `RequestIdFilter` writes into every record
the console handler prints: a warning from the rate limiter, a 404 logged
by Django, an email task run in the request all name it. Lines logged
outside a request (a worker, a command) carry "-".

`JsonFormatter` writes each record as one JSON object on one line
(DJANGO_LOG_FORMAT=json), for a log collector; a traceback is a field of its
line rather than lines of its own.
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
NO_REQUEST = "-"
request_id: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)

# What a proxy's id looks like (a UUID, hex, "host-1234-5678"): anything else,
# which could forge or break a log line, is replaced by an id of our own.
_SANE_REQUEST_ID = re.compile(r"[\w.:=+/-]{1,200}", re.ASCII)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        this_request = incoming if _SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        # Reset when the response is closed (below), not here: Django logs an
        # error response ("Not Found: /x") after the middleware has returned.
        request_id.set(this_request)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = this_request
        return response


@receiver(request_finished)
def forget_the_request_id(**kwargs) -> None:
    request_id.set(NO_REQUEST)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (the current request's, or "-")."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, request id, message, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", NO_REQUEST),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False)
