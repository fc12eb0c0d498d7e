"""An open page learns what changed since the version it shows: the replies published since,
and those taken away; nothing readers may not see, and little work when nothing changed."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.live import since_of
from comments.models import Comment
from comments.posting import comment_withdraw
from comments.reporting import report_create
from tests.factories import make_comment
from tests.servers import unreachable_cache

pytestmark = pytest.mark.django_db

CHANGE = re.compile(r'<template data-live-change="(\w+)" data-id="(\d+)" data-parent="(\d*)"')


def live_url(article) -> str:
    return reverse("articles:live", kwargs={"slug": article.slug})


def page_since(client, url: str) -> str:
    """The version an open page says it shows, as it asks for what changed since."""
    html = client.get(url).content.decode()
    match = re.search(r'data-live="([^"]+)" data-live-since="(\d+)"', html)
    assert match, "the page does not ask for new replies"
    return match[2]


def changes(client, article, since) -> list[tuple[str, int, str]]:
    response = client.get(live_url(article), {"since": since})
    assert response.status_code == 200
    return [(kind, int(pk), parent) for kind, pk, parent in CHANGE.findall(response.text)]


def approve(comment, moderator):
    comment.decide(Comment.Status.APPROVED, by=moderator)


def test_a_reply_approved_after_the_page_was_drawn_is_offered_with_its_card(
    client, article, moderator
):
    opener = make_comment(article=article, body="Shared intelligence, under Mexican command.")
    since = page_since(client, article.get_absolute_url())
    reply = make_comment(
        article=article, parent=opener, status=Comment.Status.PENDING, body="A new answer."
    )

    approve(reply, moderator)

    response = client.get(live_url(article), {"since": since})
    assert changes(client, article, since) == [("shown", reply.pk, str(opener.pk))]
    assert f'<article id="c{reply.pk}"' in response.text
    assert "A new answer." in response.text


def test_a_new_thread_comes_as_the_pages_of_threads_list_it(client, article, moderator):
    since = page_since(client, article.get_absolute_url())
    opener = make_comment(article=article, status=Comment.Status.PENDING, body="First proposal.")

    approve(opener, moderator)

    response = client.get(live_url(article), {"since": since})
    assert changes(client, article, since) == [("shown", opener.pk, "")]
    assert f'<li class="thread" id="thread-{opener.pk}">' in response.text


def test_what_readers_never_saw_is_never_named(client, article, moderator):
    opener = make_comment(article=article)
    since = page_since(client, article.get_absolute_url())
    pending = make_comment(article=article, parent=opener, status=Comment.Status.PENDING)
    pending.decide(Comment.Status.PENDING, by=None, rule="links")  # Held by a rule.
    rejected = make_comment(
        article=article, parent=opener, status=Comment.Status.PENDING, body="Hateful words."
    )
    rejected.decide(Comment.Status.REJECTED, by=moderator, reason="personal_attack")
    spam = make_comment(
        article=article, parent=opener, status=Comment.Status.PENDING, body="Buy pills."
    )
    spam.decide(Comment.Status.SPAM, by=moderator)

    response = client.get(live_url(article), {"since": since})

    assert changes(client, article, since) == []
    for text in ("Hateful words.", "Buy pills.", pending.body):
        assert text not in response.text


def test_a_reply_taken_away_after_it_was_shown_is_named_gone_without_its_text(
    client, article, moderator
):
    opener = make_comment(article=article)
    reply = make_comment(
        article=article, parent=opener, status=Comment.Status.PENDING, body="Soon rejected."
    )
    approve(reply, moderator)
    since = page_since(client, article.get_absolute_url())

    reply.decide(Comment.Status.REJECTED, by=moderator, reason="personal_attack")

    response = client.get(live_url(article), {"since": since})
    assert changes(client, article, since) == [("gone", reply.pk, str(opener.pk))]
    assert "Soon rejected." not in response.text
    # What a page leaves in its place, should replies of its own stay.
    assert "This comment is not available." in response.text


def test_a_reply_hidden_by_readers_reports_or_withdrawn_is_gone(client, article, moderator):
    opener = make_comment(article=article)
    hidden = make_comment(article=article, parent=opener, status=Comment.Status.PENDING)
    withdrawn = make_comment(
        article=article, parent=opener, status=Comment.Status.PENDING, reader_key="author-key"
    )
    approve(hidden, moderator)
    approve(withdrawn, moderator)
    since = page_since(client, article.get_absolute_url())

    for number in range(settings.COMMENTS_REPORT_HIDE_THRESHOLD):
        report_create(
            comment=hidden,
            reason="abuse",
            text="",
            reader_key=f"reader-{number}",
            ip_address=f"198.51.{number}.7",
        )
    comment_withdraw(comment=withdrawn, reader_key="author-key")

    assert Comment.objects.get(pk=hidden.pk).status == Comment.Status.PENDING
    assert changes(client, article, since) == [
        ("gone", hidden.pk, str(opener.pk)),
        ("gone", withdrawn.pk, str(opener.pk)),
    ]


def test_an_edit_awaiting_moderation_is_never_shown(client, article, moderator):
    opener = make_comment(article=article)
    since = page_since(client, article.get_absolute_url())
    reply = make_comment(
        article=article, parent=opener, status=Comment.Status.PENDING, body="Approved words."
    )
    approve(reply, moderator)
    Comment.objects.filter(pk=reply.pk).update(pending_body="Words nobody approved.")

    response = client.get(live_url(article), {"since": since})

    assert "Approved words." in response.text
    assert "Words nobody approved." not in response.text


def test_a_page_up_to_date_is_answered_304_with_one_query(client, article, moderator):
    opener = make_comment(article=article, status=Comment.Status.PENDING)
    approve(opener, moderator)
    since = page_since(client, article.get_absolute_url())
    first = client.get(live_url(article), {"since": since})

    with CaptureQueriesContext(connection) as queries:
        again = client.get(live_url(article), {"since": since}, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert len(queries) == 1


def test_pages_of_the_same_version_share_one_drawing(client, article, moderator):
    since = page_since(client, article.get_absolute_url())
    opener = make_comment(article=article, status=Comment.Status.PENDING)
    approve(opener, moderator)
    client.get(live_url(article), {"since": since})

    with CaptureQueriesContext(connection) as queries:
        shared = client.get(live_url(article), {"since": since})

    assert shared.status_code == 200
    assert len(queries) == 1  # The version: the drawing comes from the page cache.


def test_a_page_too_far_behind_is_told_to_reload(client, article, settings):
    settings.COMMENTS_LIVE_WINDOW_SECONDS = 60
    long_ago = since_of(timezone.now() - timedelta(minutes=5))

    response = client.get(live_url(article), {"since": long_ago})

    assert 'data-live-complete="false"' in response.text


def test_more_changes_than_a_page_is_given_tell_it_to_reload(client, article, moderator, settings):
    settings.COMMENTS_LIVE_MAX_CHANGES = 2
    since = page_since(client, article.get_absolute_url())
    for _ in range(3):
        approve(make_comment(article=article, status=Comment.Status.PENDING), moderator)

    response = client.get(live_url(article), {"since": since})

    assert 'data-live-complete="false"' in response.text
    assert len(CHANGE.findall(response.text)) == 2


@pytest.mark.parametrize("since", [None, "", "yesterday", "-5", "1.5", "9" * 20])
def test_a_made_up_since_is_refused(client, article, since):
    query = {} if since is None else {"since": since}

    assert client.get(live_url(article), query).status_code == 400


def test_a_since_in_the_future_names_the_current_version(client, article, moderator):
    since = page_since(client, article.get_absolute_url())
    future = since_of(timezone.now() + timedelta(days=3))

    response = client.get(live_url(article), {"since": future})

    assert f'data-live-since="{since}"' in response.text


def test_an_unpublished_article_has_no_changes_to_tell(client, article):
    article.published = timezone.now() + timedelta(days=1)
    article.save()

    assert client.get(live_url(article), {"since": "1"}).status_code == 404


def test_pages_say_where_new_threads_go(client, article):
    for _ in range(3):
        make_comment(article=article)
    url = article.get_absolute_url()

    first = client.get(url).content.decode()
    oldest = client.get(url + "?sort=oldest").content.decode()
    spanish = client.get(url + "?lang=es").content.decode()

    assert 'data-live-threads="all"' in first
    assert 'data-live-threads="es"' in spanish
    assert "data-live-threads" not in oldest and "data-live-reload" in oldest


def test_pages_do_not_ask_when_live_updates_are_off(client, article, settings):
    settings.COMMENTS_LIVE_POLL_SECONDS = 0
    make_comment(article=article)

    assert "data-live=" not in client.get(article.get_absolute_url()).content.decode()


def test_with_the_cache_down_pages_are_still_told(client, article, moderator):
    since = page_since(client, article.get_absolute_url())
    opener = make_comment(article=article, status=Comment.Status.PENDING)
    approve(opener, moderator)

    with override_settings(CACHES=unreachable_cache()):
        told = changes(client, article, since)

    assert told == [("shown", opener.pk, "")]
