from django.conf import settings
from django.http import HttpRequest

from . import readers


def reader(request: HttpRequest) -> dict[str, str]:
    """The anonymous reader's key, so pages can mark what this reader wrote."""
    return {"reader_key": readers.reader_key(request)}


def live(request: HttpRequest) -> dict[str, int | bool]:
    """How often open pages ask for new replies (comments.live; 0: they do not), and whether
    the app servers send them as they happen instead (comments.live_stream)."""
    return {
        "live_poll_seconds": settings.COMMENTS_LIVE_POLL_SECONDS,
        "live_streams": settings.LIVE_STREAMS,
    }
