"""An app server under ASGI (LIVE_STREAMS=1): it serves the site's pages as under WSGI, holds
open pages' streams, and still stops within seconds when told to, ending the streams, whose
pages then reconnect elsewhere (a stream never ends by itself)."""

import socket
import time
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from comments.live import since_of
from tests.servers import (
    Reader,
    gunicorn,
    production_environment,
    redis_key_prefix,
    require_postgresql,
    require_redis,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# With uvicorn's own worker, a stream held the worker until GUNICORN_GRACEFUL_TIMEOUT ran out.
GRACEFUL_TIMEOUT = 30
STOPPED_WITHIN = 15


def open_stream(base_url: str, path: str) -> socket.socket:
    address = urlsplit(base_url)
    held = socket.create_connection((address.hostname, address.port), timeout=10)
    held.sendall(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    head = held.recv(4096)
    assert head.startswith(b"HTTP/1.1 200"), head[:200]
    assert b"text/event-stream" in head
    return held


def test_a_server_holding_open_streams_serves_pages_and_stops_within_seconds(tmp_path, article):
    require_postgresql("An app server under ASGI on the test database")
    require_redis()
    stream = (
        reverse("articles:live-stream", kwargs={"slug": article.slug})
        + f"?lang=en&since={since_of(article.content_changed)}"
    )
    with redis_key_prefix() as prefix:
        environment = production_environment(
            prefix,
            LIVE_STREAMS="1",
            DJANGO_STATIC_MANIFEST="0",
            GUNICORN_GRACEFUL_TIMEOUT=str(GRACEFUL_TIMEOUT),
        )
        with gunicorn(environment, workers=1, log=tmp_path / "gunicorn.log") as url:
            held = [open_stream(url, stream) for _ in range(3)]
            page = Reader(url).get(article.get_absolute_url())
            assert page.status == 200
            assert "data-live-stream=" in page.text
            told_to_stop = time.monotonic()
        stopped = time.monotonic() - told_to_stop

    assert stopped < STOPPED_WITHIN
    for connection in held:
        # Ended by the server: what is left to read, then the end.
        connection.settimeout(1)
        while connection.recv(4096):
            pass
        connection.close()
