"""A new version of a page is drawn by one process; the others never fail a reader meanwhile.

Whoever takes the page's drawing lock in the shared cache draws it; another
process's reader gets the previous generation, with no validator that would
let a browser keep it as the new version, or, with none, waits a little and
then draws the page itself. A lock left by a drawer that died expires.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse

from articles import page_cache
from comments.models import Comment
from moderation.decisions import comment_moderate
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


@contextmanager
def another_process_drawing() -> Iterator[None]:
    """Every page's drawing lock is held elsewhere, as by a worker busy drawing it."""
    backend = caches["default"]
    original = backend.add

    def add(key, *args, **kwargs):
        if str(key).startswith("drawing:"):
            return False
        return original(key, *args, **kwargs)

    with mock.patch.object(backend, "add", add):
        yield


@contextmanager
def drawers_that_die() -> Iterator[None]:
    """A drawing fails and its lock is never let go, as when a worker is killed mid-drawing."""
    backend = caches["default"]
    original = backend.delete

    def delete(key, *args, **kwargs):
        if not str(key).startswith("drawing:"):
            return original(key, *args, **kwargs)

    with (
        mock.patch.object(backend, "delete", delete),
        mock.patch("comments.article_views._draw_article", side_effect=RuntimeError("killed")),
    ):
        yield


def test_while_another_process_draws_a_new_version_readers_get_the_previous_one_unvalidated(
    article,
):
    make_comment(article=article, body="Words of the first version.")
    first = Client().get(article.get_absolute_url())
    make_comment(article=article, body="Words of the second version.")

    with another_process_drawing():
        meanwhile = Client().get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    drawn = Client().get(article.get_absolute_url())

    assert meanwhile.status_code == 200
    assert not meanwhile.templates  # Served from the cache, not drawn.
    assert "Words of the first version." in meanwhile.content.decode()
    assert "Words of the second version." not in meanwhile.content.decode()
    # Nothing a browser could keep it under and revalidate with as the new version.
    assert "ETag" not in meanwhile
    assert "Last-Modified" not in meanwhile
    assert meanwhile["Cache-Control"] == "private, no-cache"
    assert "Words of the second version." in drawn.content.decode()
    assert drawn["ETag"] != first["ETag"]


def test_each_reader_of_a_previous_generation_gets_their_own_csrf_token(article):
    Client().get(article.get_absolute_url())
    make_comment(article=article, body="A second version.")

    with another_process_drawing():
        one = Client().get(article.get_absolute_url())
        two = Client().get(article.get_absolute_url())

    assert one.cookies["csrftoken"].value != two.cookies["csrftoken"].value
    assert page_cache.CSRF_PLACEHOLDER not in one.content.decode()


def test_with_no_previous_generation_a_reader_waits_briefly_then_draws_the_page(
    article, monkeypatch
):
    monkeypatch.setattr(page_cache, "DRAWING_WAIT_SECONDS", 0.3)
    make_comment(article=article, body="Words never drawn before.")
    cache.clear()

    started = time.monotonic()
    with another_process_drawing():
        response = Client().get(article.get_absolute_url())
    waited = time.monotonic() - started

    assert response.status_code == 200
    assert response.templates  # Drawn here, the other drawing being too slow.
    assert "Words never drawn before." in response.content.decode()
    assert "ETag" in response
    assert 0.3 <= waited < 3


def test_a_drawer_that_died_holds_the_new_version_back_for_its_lock_s_seconds_only(
    article, monkeypatch
):
    monkeypatch.setattr(page_cache, "DRAWING_LOCK_SECONDS", 1)
    Client().get(article.get_absolute_url())
    make_comment(article=article, body="Words the dead drawer never kept.")
    with drawers_that_die():
        died = Client(raise_request_exception=False).get(article.get_absolute_url())

    meanwhile = Client().get(article.get_absolute_url())
    time.sleep(1.1)
    after = Client().get(article.get_absolute_url())

    assert died.status_code == 500
    assert meanwhile.status_code == 200
    assert "Words the dead drawer never kept." not in meanwhile.content.decode()
    assert "ETag" not in meanwhile
    assert after.templates  # The lock expired: this reader drew the page.
    assert "Words the dead drawer never kept." in after.content.decode()
    assert "ETag" in after


def test_a_drawing_that_fails_lets_the_next_reader_draw_at_once(article, monkeypatch):
    monkeypatch.setattr(page_cache, "DRAWING_WAIT_SECONDS", 5)
    cache.clear()
    with mock.patch("comments.article_views._draw_article", side_effect=RuntimeError("failed")):
        failed = Client(raise_request_exception=False).get(article.get_absolute_url())

    started = time.monotonic()
    response = Client().get(article.get_absolute_url())

    assert failed.status_code == 500
    assert response.status_code == 200
    assert response.templates
    assert time.monotonic() - started < 2  # It did not wait for a lock left behind.


def test_a_static_page_being_drawn_elsewhere_is_drawn_after_a_short_wait(client, monkeypatch):
    monkeypatch.setattr(page_cache, "DRAWING_WAIT_SECONDS", 0.2)

    with another_process_drawing():
        response = client.get(reverse("comments:guidelines"))

    assert response.status_code == 200
    assert "ETag" in response


def test_a_thread_whose_opener_was_removed_is_a_404_for_every_reader_even_while_others_draw(
    article, monkeypatch
):
    monkeypatch.setattr(page_cache, "DRAWING_WAIT_SECONDS", 0.1)
    opener = make_comment(article=article, body="An opener its moderator then removes.")
    thread = reverse("comments:thread", kwargs={"pk": opener.pk})
    assert Client().get(thread).status_code == 200
    comment_moderate(comment=opener, status=Comment.Status.REJECTED, by=None)

    first = Client().get(thread)
    with another_process_drawing():
        meanwhile = [Client().get(thread) for _ in range(3)]

    assert first.status_code == 404
    assert [response.status_code for response in meanwhile] == [404, 404, 404]
    for response in meanwhile:
        assert "An opener its moderator then removes." not in response.content.decode()


def test_long_after_a_change_the_previous_generation_no_longer_stands_in(article, monkeypatch):
    # Drawn at one version, changed, then nobody asked for hours: what the change
    # removed must not come back while the page is drawn again.
    monkeypatch.setattr(page_cache, "DRAWING_WAIT_SECONDS", 0.1)
    make_comment(article=article, body="Words of the first version.")
    Client().get(article.get_absolute_url())
    make_comment(article=article, body="Words of the second version.")
    hours_later = time.time() + 3 * 60 * 60

    with another_process_drawing(), mock.patch.object(page_cache.time, "time", lambda: hours_later):
        response = Client().get(article.get_absolute_url())

    assert response.status_code == 200
    assert response.templates  # Drawn again, not the previous generation.
    assert "Words of the second version." in response.content.decode()
    assert "ETag" in response
