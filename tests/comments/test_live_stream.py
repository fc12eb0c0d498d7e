"""An open page holding a connection is sent what changed as it changes (comments.live_stream):
under an ASGI server, told through Redis by whichever process made the change. Nothing readers
may not see is sent; where the changes cannot be sent, the page is told to ask instead."""

import asyncio
import re
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

import pytest
import redis
from asgiref.sync import sync_to_async
from django.db import connections, transaction
from django.test import AsyncClient, Client
from django.urls import reverse
from django.utils import timezone

from articles import changes_channel
from articles.models import Article
from comments import live_stream
from comments.live import since_of
from comments.live_stream import event
from comments.models import Comment
from tests.factories import make_comment
from tests.servers import (
    REDIS_SERVER,
    redis_cache,
    redis_key_prefix,
    require_redis,
    unreachable_cache,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHANGE = re.compile(r'<template data-live-change="(\w+)" data-id="(\d+)"')
SENT_WITHIN = 5  # seconds


@pytest.fixture
def shared_redis(settings):
    """The site's cache on Redis, as on app servers that share one: the channel is there."""
    require_redis()
    with redis_key_prefix() as prefix:
        settings.CACHES = redis_cache(prefix)
        yield prefix


@dataclass
class Event:
    version: int
    changes: list[tuple[str, int]]
    html: str

    @classmethod
    def parse(cls, chunk: bytes) -> "Event":
        fields: dict[str, list[str]] = {}
        for line in chunk.decode().splitlines():
            name, _, value = line.partition(": ")
            fields.setdefault(name, []).append(value)
        assert fields["event"] == ["changes"]
        html = "\n".join(fields["data"])
        changes = [(kind, int(pk)) for kind, pk in CHANGE.findall(html)]
        return cls(version=int(fields["id"][0]), changes=changes, html=html)


def in_an_event_loop[T](coroutine: Coroutine[object, object, T]) -> T:
    """`coroutine` run as an ASGI server runs a request: in an event loop, here a thread's own
    (the browser tests' driver may hold one running in this thread)."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def stream_url(article: Article) -> str:
    return reverse("articles:live-stream", kwargs={"slug": article.slug})


def version_of(article: Article) -> int:
    article.refresh_from_db()
    return since_of(article.content_changed)


def held_open(
    article: Article,
    *,
    since: int,
    then: Callable[[], object] = lambda: None,
    until: Callable[[list[Event]], bool] = bool,
    missed: list[Event] | None = None,
    headers: dict[str, str] | None = None,
    within: float = SENT_WITHIN,
) -> tuple[int, list[Event]]:
    """A page holding the stream open from `since`: what it is answered, and the events it is
    sent (those it is first sent of what it missed too, unless they go to `missed`), once it
    is held open, after `then()` is done (in a thread, as another process would do it),
    until `until(events)` holds, the stream ends, or `within` seconds have gone by."""

    async def page() -> tuple[int, list[Event]]:
        response = await AsyncClient().get(
            stream_url(article), {"since": since, "lang": "en"}, headers=headers or {}
        )
        if response.status_code != 200:
            return response.status_code, []
        chunks = aiter(response.streaming_content)
        # The first chunk: what the page missed (if anything), then the retry line, once
        # the page is held open. What comes after it was sent, not caught up on.
        first = await anext(chunks)
        caught_up, _, retry = first.partition(b"retry: ")
        assert retry, first
        events = [Event.parse(caught_up)] if caught_up else []
        if missed is not None:
            missed.extend(events)
            events = []
        await sync_to_async(then, thread_sensitive=False)()
        try:
            async with asyncio.timeout(within):
                while not until(events):
                    chunk = await anext(chunks)
                    if not chunk.startswith(b"event: alive"):
                        events.append(Event.parse(chunk))
        except (TimeoutError, StopAsyncIteration):
            pass
        finally:
            await chunks.aclose()  # type: ignore[attr-defined]
            # The stream's reads were made in threads of the event loop: their connections go.
            await sync_to_async(connections.close_all)()
        return 200, events

    return in_an_event_loop(page())


def shown(events: list[Event]) -> list[int]:
    return [pk for e in events for kind, pk in e.changes if kind == "shown"]


def test_a_reply_approved_while_the_page_is_open_is_sent_to_it(shared_redis, article, moderator):
    opener = make_comment(article=article)
    reply = make_comment(
        article=article, parent=opener, status=Comment.Status.PENDING, body="Joint bank audits."
    )

    status, events = held_open(
        article,
        since=version_of(article),
        then=lambda: reply.decide(Comment.Status.APPROVED, by=moderator),
        until=lambda events: reply.pk in shown(events),
        missed=[],
    )

    assert status == 200
    assert reply.pk in shown(events)
    assert "Joint bank audits." in events[-1].html
    # The page now shows the article's newest version: a reconnection starts from there.
    assert events[-1].version == version_of(article)


def test_nothing_readers_may_not_see_is_ever_sent(shared_redis, article, moderator):
    opener = make_comment(article=article)
    rejected = make_comment(
        article=article, parent=opener, status=Comment.Status.PENDING, body="Hateful words."
    )
    spam = make_comment(article=article, parent=opener, status=Comment.Status.PENDING)
    still_pending = make_comment(article=article, parent=opener, status=Comment.Status.PENDING)
    approved = make_comment(article=article, parent=opener, status=Comment.Status.PENDING)

    def moderate():
        rejected.decide(Comment.Status.REJECTED, by=moderator, reason="personal_attack")
        spam.decide(Comment.Status.SPAM, by=moderator)
        # Approved last: once it is sent, every decision before it has been looked at.
        approved.decide(Comment.Status.APPROVED, by=moderator)

    _, events = held_open(
        article,
        since=version_of(article),
        then=moderate,
        until=lambda events: approved.pk in shown(events),
        missed=[],
    )

    assert shown(events) == [approved.pk]
    sent = "".join(e.html for e in events)
    for hidden in (rejected, spam, still_pending):
        assert f'id="c{hidden.pk}"' not in sent
    assert "Hateful words." not in sent


def test_a_reply_taken_away_after_it_was_shown_is_sent_as_gone(shared_redis, article, moderator):
    opener = make_comment(article=article)
    reply = make_comment(article=article, parent=opener, body="Soon rejected.")

    _, events = held_open(
        article,
        since=version_of(article),
        then=lambda: reply.decide(Comment.Status.REJECTED, by=moderator, reason="spam"),
        until=lambda events: any(("gone", reply.pk) in e.changes for e in events),
        missed=[],
    )

    assert ("gone", reply.pk) in events[-1].changes
    assert "Soon rejected." not in events[-1].html


def test_a_page_that_comes_late_is_first_sent_what_it_missed(shared_redis, article, moderator):
    opener = make_comment(article=article)
    since = version_of(article)
    missed = make_comment(article=article, parent=opener, status=Comment.Status.PENDING)
    missed.decide(Comment.Status.APPROVED, by=moderator)

    _, events = held_open(article, since=since, until=lambda events: bool(events))

    assert shown(events) == [missed.pk]


def test_a_reconnecting_page_starts_from_the_last_version_it_was_sent(
    shared_redis, article, moderator
):
    opener = make_comment(article=article)
    before = version_of(article)
    reply = make_comment(article=article, parent=opener, status=Comment.Status.PENDING)
    reply.decide(Comment.Status.APPROVED, by=moderator)
    told = version_of(article)

    _, from_the_start = held_open(article, since=before)
    # The browser names the last version it got; the address still says the first one.
    _, since_told = held_open(
        article, since=before, headers={"Last-Event-ID": str(told)}, until=lambda e: True
    )

    assert shown(from_the_start) == [reply.pk]
    # Only the changes of that last second are given again; the page finds them held.
    assert all(e.version >= told for e in since_told)


def test_a_change_readers_cannot_see_sends_nothing(shared_redis, article, moderator):
    opener = make_comment(article=article, body="A proposal to rate.")

    _, events = held_open(
        article,
        since=version_of(article),
        # A new version that shows no reply nor takes one away.
        then=lambda: Article.objects.filter(pk=article.pk).mark_changed(),
        until=lambda events: False,
        missed=[],
        within=2,
    )

    assert events == []
    assert opener.is_published


def test_a_stream_ends_after_a_while_and_the_hub_forgets_the_page(
    shared_redis, article, monkeypatch
):
    monkeypatch.setattr(live_stream, "STREAM_SECONDS", 0.5)
    since = version_of(article)

    async def page():
        response = await AsyncClient().get(stream_url(article), {"since": since, "lang": "en"})
        sent = [chunk async for chunk in response.streaming_content]
        held = dict(live_stream.hub().pages)
        await sync_to_async(connections.close_all)()
        return sent, held

    sent, held = in_an_event_loop(page())

    assert sent and sent[0].endswith(b"retry: 3000\n\n")
    assert held == {}


def test_an_unknown_or_unpublished_article_is_not_found(shared_redis, article):
    unpublished = Article.objects.create(
        slug="not-yet",
        title="Not yet",
        lede=".",
        body=".",
        question="?",
        published=timezone.now() + timedelta(days=1),
    )

    async def ask(slug):
        url = reverse("articles:live-stream", kwargs={"slug": slug})
        return (await AsyncClient().get(url, {"since": "1", "lang": "en"})).status_code

    assert in_an_event_loop(ask("no-such-article")) == 404
    assert in_an_event_loop(ask(unpublished.slug)) == 404


def test_a_change_is_told_on_redis_once_it_commits_and_not_before(shared_redis, article):
    listener = redis.Redis.from_url(REDIS_SERVER).pubsub()
    listener.subscribe(changes_channel.channel())
    assert listener.get_message(timeout=1)["type"] == "subscribe"

    with transaction.atomic():
        Article.objects.filter(pk=article.pk).mark_changed()
        assert listener.get_message(timeout=0.5) is None

    told = listener.get_message(timeout=2)
    assert told is not None and told["type"] == "message"
    listener.close()


def test_under_a_wsgi_server_the_page_is_told_to_ask_instead(article):
    since = version_of(article)
    # In a thread of its own, as a WSGI server's (the browser tests' driver may hold an event
    # loop running in this one).
    with ThreadPoolExecutor(max_workers=1) as thread:
        response = thread.submit(
            Client().get, stream_url(article), {"since": since, "lang": "en"}
        ).result()

    # EventSource gives up on a 204 (it does not reconnect): static/js/live.js then asks.
    assert response.status_code == 204


@pytest.mark.parametrize("cache", ["no shared Redis", "Redis down"])
def test_without_redis_the_page_is_told_to_ask_instead(settings, article, cache):
    if cache == "Redis down":
        settings.CACHES = unreachable_cache()

    status, _ = held_open(article, since=version_of(article))

    assert status == 503


@pytest.mark.parametrize(
    "query", [{"lang": "en"}, {"since": "soon", "lang": "en"}, {"since": "1", "lang": "xx"}]
)
def test_a_made_up_question_is_refused(shared_redis, article, query):
    async def ask():
        return await AsyncClient().get(stream_url(article), query)

    assert in_an_event_loop(ask()).status_code == 400


def test_each_line_of_the_changes_is_a_data_line_of_one_event():
    sent = event('\n<div class="live-changes">\n<template></template>\n</div>\n', 1796400000)

    assert sent == (
        b"id: 1796400000\nevent: changes\n"
        b'data: <div class="live-changes">\ndata: <template></template>\ndata: </div>\n\n'
    )


@pytest.mark.parametrize("streams", [True, False])
def test_the_page_holds_a_connection_open_only_where_the_servers_send_changes(
    client, settings, article, streams
):
    settings.LIVE_STREAMS = streams

    html = client.get(article.get_absolute_url()).content.decode()

    assert ("data-live-stream=" in html) is streams
    assert "data-live=" in html  # Where it asks, when the connection is refused.
