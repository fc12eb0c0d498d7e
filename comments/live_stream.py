"""Open pages told what changed as it happens: server-sent events, from an ASGI server.

An open page (static/js/live.js) keeps one connection to
`/articles/<slug>/live/stream/?since=…&lang=…` and is sent, as one event,
each change of the discussion that readers can see: the same answer an
open page gets when it asks (comments.live, `comments/_live_changes.html`),
without asking. Asking every 3 s, 1,000 open pages cost an app server of
4 workers 1.03 cores more and were told within 3.4 s (p99); held open, 0.15
to 0.17 cores, about 125 KB a page, and told within 0.2 s (`make live-bench
STREAMS=1`, one approval a second, PostgreSQL and Redis, two 10-minute runs).
Each open stream still holds an idle thread (the site's sync middleware), and
the fan-out of each change to some 250 streams a worker delays the other
requests that arrive meanwhile (readers' p99 1.9-3.2x).

Each process has one `Hub`. It listens on the articles' channel
(articles.changes_channel) and, told that something changed, reads the
versions of the articles it holds pages of; for each that moved, it draws
the changes since the version it last sent once for each language its pages
read, and sends that to all of them. A page joining late is first sent what
changed since the version it shows; then what the hub sends. Changes given
twice are found on the page and ignored.

Served only under an ASGI server (gunicorn with uvicorn's workers: LIVE_STREAMS
in the README). Under a WSGI one, or with Redis unreachable, a page is
refused (204, 503) and asks instead; when Redis goes away a stream ends, and
the page's reconnection is refused. A stream ends after STREAM_SECONDS too,
so that a process can be restarted and its pages spread again over the
servers; the browser reconnects, naming the last version it got.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import random
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime

import redis.asyncio
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    StreamingHttpResponse,
)
from django.utils import translation

from articles import changes_channel
from articles.models import Article, read_article
from articles.page_cache import ArticleState, article_state, remembered

from . import live

logger = logging.getLogger(__name__)

# A stream ends after this long (a tenth more or less, so that pages come back apart).
STREAM_SECONDS = 300
# A comment line this often keeps the connection from looking idle to proxies.
KEEPALIVE_SECONDS = 15
# How long the browser waits before it reconnects, in milliseconds.
RECONNECT_MILLISECONDS = 3000
# A page that has not taken this many events (a stalled connection) is let go.
BACKLOG = 32
# How many of a process's streams may read the database at once.
DATABASE_READERS = 2
# The hub looks at its articles' versions this often even when not told of a change.
LOOK_ANYWAY_SECONDS = 30
# How long joining waits for the hub to be listening.
JOIN_TIMEOUT_SECONDS = 2.0


LINE_ENDS = re.compile(r"\r\n|\r|\n")
# A failed look is tried again after this long.
RETRY_SECONDS = 1


class ChannelUnavailable(Exception):
    """Redis cannot be listened to: pages ask instead."""


def event(html: str, since: int) -> bytes:
    """One server-sent event: the changes, named by the version they bring a page to."""
    # The line endings of server-sent events only: str.splitlines() would also split (and
    # the browser join with "\n") at the other breaks a reader's text may hold.
    lines = "".join(f"data: {line}\n" for line in LINE_ENDS.split(html.strip()))
    return f"id: {since}\nevent: changes\n{lines}\n".encode()


@dataclass(eq=False)
class Subscription:
    article_id: int
    language: str
    events: asyncio.Queue[bytes | None] = field(default_factory=lambda: asyncio.Queue(BACKLOG))


@dataclass
class _Sent:
    version: int
    since: int


class Hub:
    """This process's open pages, by article and language, and the one Redis listener that
    keeps them up to date."""

    def __init__(self) -> None:
        self.pages: dict[int, dict[str, set[Subscription]]] = {}
        self._sent: dict[int, _Sent] = {}
        # The articles it holds pages of, as of the version it last sent: a page that
        # (re)connects to one of them costs no query. All the pages of a server reconnect
        # within seconds of its restart.
        self._states: dict[str, ArticleState] = {}
        # Few streams at a time read the database: each read takes a connection of its own.
        self.reading = asyncio.Semaphore(DATABASE_READERS)
        self._listening: asyncio.Task[None] | None = None
        # Done once the listener listens (or could not): a new one for each listener started.
        self._ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._dirty = asyncio.Event()

    def join(self, article_id: int, language: str, *, version: int, since: int) -> Subscription:
        """Hold a page of the article at `version` (named `since`) in `language` open."""
        subscription = Subscription(article_id, language)
        self.pages.setdefault(article_id, {}).setdefault(language, set()).add(subscription)
        self._sent.setdefault(article_id, _Sent(version, since))
        return subscription

    def sent_version(self, article_id: int) -> int | None:
        sent = self._sent.get(article_id)
        return sent.version if sent else None

    def state_of(self, slug: str) -> ArticleState | None:
        """The state of an article it holds pages of, as of its last look."""
        return self._states.get(slug)

    def hold(self, state: ArticleState) -> None:
        sent = self._sent.get(state.pk)
        if sent is not None and sent.version == state.version:
            self._states[state.slug] = state

    def leave(self, subscription: Subscription) -> None:
        languages = self.pages.get(subscription.article_id, {})
        languages.get(subscription.language, set()).discard(subscription)
        if not any(languages.values()):
            self.pages.pop(subscription.article_id, None)
            self._sent.pop(subscription.article_id, None)
            self._forget(subscription.article_id)

    def _forget(self, article_id: int) -> None:
        for slug in [slug for slug, state in self._states.items() if state.pk == article_id]:
            del self._states[slug]

    async def listening(self) -> None:
        """Once it listens to the channel (starting to); ChannelUnavailable if it cannot."""
        if self._listening is None or self._listening.done():
            url = changes_channel.redis_url()
            if url is None:
                raise ChannelUnavailable("no shared Redis")
            self._ready = asyncio.get_running_loop().create_future()
            # Outside the request that started it (a context of its own): its database
            # work must not go to that request's thread, which ends with the request.
            self._listening = asyncio.create_task(
                self._run(url, self._ready), context=contextvars.Context()
            )
        try:
            await asyncio.wait_for(asyncio.shield(self._ready), JOIN_TIMEOUT_SECONDS)
        except (TimeoutError, redis.RedisError, OSError) as error:
            raise ChannelUnavailable(str(error)) from error

    async def _run(self, url: str, ready: asyncio.Future[None]) -> None:
        sending = asyncio.create_task(self._send_changes(), context=contextvars.Context())
        client = redis.asyncio.Redis.from_url(
            url,
            socket_connect_timeout=changes_channel.TIMEOUT_SECONDS,
            socket_keepalive=True,
            # A connection gone quiet (a Redis frozen, a network cut) is found out.
            health_check_interval=KEEPALIVE_SECONDS,
        )
        try:
            async with client.pubsub() as pubsub:
                await pubsub.subscribe(changes_channel.channel())
                ready.set_result(None)
                async for message in pubsub.listen():
                    # Subscribed again after Redis came back: what was said meanwhile is lost,
                    # so the hub looks.
                    if message["type"] in ("message", "subscribe"):
                        self._dirty.set()
        except Exception as error:
            if not ready.done():
                ready.set_exception(error)
            else:
                logger.warning("Redis unavailable: open pages will ask for changes instead")
        finally:
            sending.cancel()
            await client.aclose()
            # Every stream ends; the pages reconnect, and are refused while Redis is away.
            for languages in self.pages.values():
                for subscriptions in languages.values():
                    for subscription in subscriptions:
                        _offer(subscription, None)

    async def _send_changes(self) -> None:
        while True:
            # Told, or after a while anyway: a change made where Redis was not reached
            # (down for a moment, a process without it) reaches the pages late, not never.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(LOOK_ANYWAY_SECONDS):
                    await self._dirty.wait()
            self._dirty.clear()
            try:
                await self._send_once()
            except Exception:
                logger.exception("Changes not sent to open pages: trying again")
                await asyncio.sleep(RETRY_SECONDS)
                self._dirty.set()

    async def _send_once(self) -> None:
        held = list(self.pages)
        if not held:
            return
        versions = await sync_to_async(_briefly)(_versions, held)
        for article_id in held:
            if article_id not in versions:
                # Deleted: its pages are let go (they reconnect, and are told it is gone).
                self._end_pages_of(article_id)
                continue
            version, changed = versions[article_id]
            sent = self._sent.get(article_id)
            if sent is None or (version, live.since_of(changed)) == (sent.version, sent.since):
                continue
            # Drawn for every language first: should a drawing fail, the version is not
            # taken as sent, and the next look tries again.
            chunks = {}
            for language in list(self.pages.get(article_id, {})):
                html = await sync_to_async(_briefly)(_draw, article_id, sent.since, language)
                if html is not None:
                    chunks[language] = event(html, live.since_of(changed))
            self._sent[article_id] = _Sent(version, live.since_of(changed))
            # Read again by the next page that connects, published or not, in its new version.
            self._forget(article_id)
            for language, chunk in chunks.items():
                for subscription in list(self.pages.get(article_id, {}).get(language, ())):
                    _offer(subscription, chunk)

    def _end_pages_of(self, article_id: int) -> None:
        for subscriptions in self.pages.get(article_id, {}).values():
            for subscription in subscriptions:
                _offer(subscription, None)


def _offer(subscription: Subscription, chunk: bytes | None) -> None:
    try:
        subscription.events.put_nowait(chunk)
    except asyncio.QueueFull:
        # A page that stopped reading: its stream ends when it next reads, and it reconnects.
        subscription.events = asyncio.Queue(1)
        subscription.events.put_nowait(None)


def _versions(article_ids: list[int]) -> dict[int, tuple[int, datetime]]:
    rows = Article.objects.filter(pk__in=article_ids).values_list(
        "pk", "version", "content_changed"
    )
    return {pk: (version, changed) for pk, version, changed in rows}


def _briefly[T](read: Callable[..., T], *args: object) -> T:
    """`read(*args)`, the database connection closed after it (given back to the pool). A
    stream's request lasts as long as its page stays open and would hold one of the server's
    connections all along; the hub's thread serves no request, whose end would close it."""
    try:
        return read(*args)
    finally:
        connections.close_all()


def _catch_up(state: ArticleState, since: int, language: str, fresh: bool) -> str:
    """What changed since `since`: the same for every page that shows that version, drawn
    once for all of them (unless `fresh`)."""
    if fresh:
        return _draw(state.pk, since, language) or ""
    return remembered(
        state, f"live-changes:{since}:{language}", lambda: _draw(state.pk, since, language) or ""
    )


def _draw(article_id: int, since: int, language: str) -> str | None:
    """The changes since `since` as a page reads them; None when there are none to send
    (a new version may change nothing readers see: a rating, an approved edit)."""
    with translation.override(language):
        article = read_article(article_id, language)
        if article is None or not article.is_published:
            return None
        changes = live.changes_since(article_id, since)
        if not changes.changes and changes.complete:
            return None
        return live.draw_changes(article, since, changes)


_hubs: dict[asyncio.AbstractEventLoop, Hub] = {}


def hub() -> Hub:
    """This event loop's hub (one a process under uvicorn; one a test's loop in the tests)."""
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        for closed in [other for other in _hubs if other.is_closed()]:
            del _hubs[closed]
        _hubs[loop] = Hub()
    return _hubs[loop]


async def stream(request: HttpRequest, slug: str) -> HttpResponse | StreamingHttpResponse:
    """The changes of the article's discussion, sent as they happen to an open page."""
    if not isinstance(request, ASGIRequest):
        # A WSGI server would hold a worker for each open page: the page asks instead.
        return HttpResponse(status=204)
    # The browser names the last version it was sent when it reconnects.
    since = live.parse_since(request.headers.get("Last-Event-ID") or request.GET.get("since"))
    if since is None:
        return HttpResponseBadRequest("since: whole seconds since the epoch.")
    language = request.GET.get("lang") or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest("lang: a language of the site.")
    state = hub().state_of(slug)
    if state is None:
        async with hub().reading:
            state, _ = await sync_to_async(_briefly)(article_state, slug)
    if state is None or not state.is_published:
        # Answered, not raised: under ASGI Django draws the page of an exception in a
        # thread of no request's, whose database connection would never be given back.
        return HttpResponseNotFound()
    try:
        await hub().listening()
    except ChannelUnavailable:
        return HttpResponse("Changes are not sent now: ask for them.", status=503)
    current = live.since_of(state.content_changed)
    response = StreamingHttpResponse(
        _events(state, language, since=live.canonical_since(since, current), current=current),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-store"
    # Sent at once by a proxy in front (nginx buffers responses otherwise).
    response["X-Accel-Buffering"] = "no"
    return response


async def _events(
    state: ArticleState, language: str, *, since: int, current: int
) -> AsyncIterator[bytes]:
    """The page's catch-up, then what the hub sends, keep-alives between, until the stream's
    time is up or the hub lets the page go. Joined here, not in the view: left before it
    started (the page gone at once), a stream never runs its `finally`."""
    loop = asyncio.get_running_loop()
    ends = loop.time() + STREAM_SECONDS * random.uniform(0.9, 1.1)  # noqa: S311 - spreading, not a secret
    hub_ = hub()
    subscription = hub_.join(state.pk, language, version=state.version, since=current)
    try:
        hub_.hold(state)
        # What changed since the version the page shows, even within its second. Drawn
        # afresh when the hub has sent a newer version meanwhile, which the page missed.
        fresh = hub_.sent_version(state.pk) != state.version
        async with hub_.reading:
            html = await sync_to_async(_briefly)(_catch_up, state, since, language, fresh)
        # The page knows it is held open once it has the catch-up (if any) and the retry.
        yield (
            event(html, current) if html else b""
        ) + f"retry: {RECONNECT_MILLISECONDS}\n\n".encode()
        while (left := ends - loop.time()) > 0:
            try:
                async with asyncio.timeout(min(KEEPALIVE_SECONDS, left)):
                    chunk = await subscription.events.get()
            except TimeoutError:
                # An event, not a comment line: the page notices a stream gone silent.
                yield b"event: alive\ndata:\n\n"
                continue
            if chunk is None:
                return
            yield chunk
    finally:
        hub_.leave(subscription)
