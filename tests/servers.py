"""Real servers for the tests that need them: gunicorn app servers, Redis, readers over HTTP.

Plain helpers, like factories.py. Everything listens on 127.0.0.1 only, and
every server started here is stopped by the `with` block that started it.
"""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
# A database number of its own on the local Redis; each test also uses a key
# prefix of its own and deletes only its own keys.
REDIS_SERVER = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def unavailable(reason: str) -> None:
    """Skip, except under CI, where a missing service is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def require_postgresql(what: str) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            f"{what} needs PostgreSQL, where several connections really write at once "
            "(make test runs it there too; or set DATABASE_URL=postgres://…)"
        )


def require_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_SERVER, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        unavailable(f"needs Redis at {REDIS_SERVER}: {error}")


@contextmanager
def redis_key_prefix() -> Iterator[str]:
    """A cache key prefix for one test; its keys are deleted afterwards, and only those."""
    import redis

    prefix = f"test-{uuid.uuid4().hex[:12]}"
    try:
        yield prefix
    finally:
        client = redis.Redis.from_url(REDIS_SERVER)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)


def redis_cache(prefix: str) -> dict:
    """A CACHES setting for Redis under `prefix`, as the site configures it from REDIS_URL."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_SERVER,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def unreachable_cache() -> dict:
    """A CACHES setting for a Redis that refuses every connection: the cache is down."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


class SmtpSink:
    """A mail server on 127.0.0.1 that takes every message and keeps its raw text.

    Just enough SMTP for Django's SMTP backend without TLS or login: a worker
    process sends to it as it would to the real one.
    """

    def __init__(self):
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.messages: list[str] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _address = self._socket.accept()
            except OSError:
                return  # Closed.
            threading.Thread(target=self._converse, args=(connection,), daemon=True).start()

    def _converse(self, connection: socket.socket) -> None:
        with connection, connection.makefile("rb") as lines:
            connection.sendall(b"220 sink ready\r\n")
            for line in lines:
                command = line[:4].upper()
                if command == b"DATA":
                    connection.sendall(b"354 go on\r\n")
                    text = []
                    for data in lines:
                        if data == b".\r\n":
                            break
                        text.append(data)
                    self.messages.append(b"".join(text).decode("utf-8", "replace"))
                    connection.sendall(b"250 kept\r\n")
                elif command == b"QUIT":
                    connection.sendall(b"221 bye\r\n")
                    return
                else:  # EHLO, MAIL FROM, RCPT TO, RSET, NOOP
                    connection.sendall(b"250 ok\r\n")

    def close(self) -> None:
        self._socket.close()


def free_port() -> int:
    """A port nothing listens on now (and, closed again, that refuses connections)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def live_database_url(*, port: int | None = None, name: str | None = None) -> str:
    """The URL of the database this test runs on (pytest-django's test database).

    With `port`, reached through 127.0.0.1:`port` (a proxy); with `name`, another
    database on the same server.
    """
    settings = connection.settings_dict
    user = urllib.parse.quote(settings["USER"] or "")
    password = urllib.parse.quote(settings["PASSWORD"] or "")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = "127.0.0.1" if port else settings["HOST"] or "127.0.0.1"
    port = port or settings["PORT"] or 5432
    return f"postgres://{credentials}{host}:{port}/{name or settings['NAME']}"


def database_address() -> tuple[str, int]:
    """Where the PostgreSQL server of this test's database listens."""
    settings = connection.settings_dict
    return settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)


def site_environment(**variables: str) -> dict[str, str]:
    """This process's environment without the site's own settings, plus `variables`."""
    own = (
        "DJANGO_",
        "COMMENTS_",
        "GUNICORN_",
        "EMAIL_",
        "REDIS_URL",
        "CACHE_KEY_PREFIX",
        "LIVE_STREAMS",
    )
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(own)}
    inherited.pop("DATABASE_URL", None)
    # Test clients post faster than a person writes; the timing check has tests of its own.
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "sovereignty_forum.settings",
        "COMMENTS_FORM_MIN_SECONDS": "0",
        **variables,
    }


def production_environment(cache_key_prefix: str, **variables: str) -> dict[str, str]:
    """The site's settings as the app servers run it in production: this test's PostgreSQL
    database with connections kept, the local Redis under `cache_key_prefix`, DEBUG off and
    a new secret key (the same for every server started with it), plus `variables`."""
    return site_environment(
        DATABASE_URL=live_database_url(),
        DJANGO_CONN_MAX_AGE="60",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=get_random_secret_key(),
        REDIS_URL=REDIS_SERVER,
        CACHE_KEY_PREFIX=cache_key_prefix,
        **variables,
    )


@contextmanager
def gunicorn(environment: dict[str, str], *, workers: int, log: Path) -> Iterator[str]:
    """The site under gunicorn with gunicorn.conf.py, on a free port; yields its base URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**environment, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers)}
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and configuration)
            [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(url, process, log)
        yield url
    finally:
        process.terminate()  # Graceful: requests in flight finish, connections close.
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn stopped (exit {process.returncode}):\n{log.read_text()}")
        try:
            if Reader(url).get("/").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer at {url} within a minute:\n{log.read_text()}")


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    text: str


class _KeepEveryResponse(urllib.request.HTTPErrorProcessor):
    """Hand back every response as it is: errors are outcomes, redirects are not followed."""

    def http_response(self, request, response):
        return response


class Reader:
    """A browser of its own over HTTP: its cookies, no redirects followed, no proxy."""

    def __init__(self, base_url: str, *, timeout: float = 60):
        self.base_url = base_url
        self.timeout = timeout
        self.cookies = CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(self.cookies),
            _KeepEveryResponse(),
        )

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        url = self.base_url + path
        return self._send(urllib.request.Request(url, headers=headers or {}))  # noqa: S310

    def post(self, path: str, data: dict[str, str]) -> Response:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(  # noqa: S310 (http only)
            self.base_url + path, data=body, method="POST"
        )
        # Django checks that a POST comes from the site itself.
        request.add_header("Referer", self.base_url + path)
        request.add_header("Origin", self.base_url)
        return self._send(request)

    def form(self, path: str, *, action: str) -> dict[str, str]:
        """The hidden fields of the form on page `path` that posts to `action`."""
        page = self.get(path)
        assert page.status == 200, (path, page.status)
        forms = _Forms()
        forms.feed(page.text)
        for form_action, fields in forms.found:
            if form_action == action:
                return fields
        raise AssertionError(f"no form posting to {action} on {path}")

    def _send(self, request: urllib.request.Request) -> Response:
        with self._opener.open(request, timeout=self.timeout) as response:
            text = response.read().decode("utf-8", "replace")
            return Response(response.status, dict(response.headers), text)


class _Forms(HTMLParser):
    """Each form's action and hidden fields, as a browser would send them back."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.found.append((attributes.get("action") or "", {}))
        elif tag == "input" and self.found and attributes.get("type") == "hidden":
            name = attributes.get("name")
            if name:
                self.found[-1][1][name] = attributes.get("value") or ""
