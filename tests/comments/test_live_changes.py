"""An open page learns what changed since the version it shows: the replies published since,
and those taken away; nothing readers may not see, and little work when nothing changed."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.live import canonical_since, since_of
from comments.models import Comment, ModerationDecision, Rule
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
    # Held by a rule as it arrived, as posting records it.
    ModerationDecision.objects.record(
        comment=pending, from_status="", to_status=Comment.Status.PENDING, rule=Rule.TOO_MANY_LINKS
    )
    rejected = make_comment(
        article=article, parent=opener, status=Comment.Status.PENDING, body="Hateful words."
    )
    rejected.decide(Comment.Status.REJECTED, by=moderator, reason="personal_attack")
    spam = make_comment(
        article=article, parent=opener, status=Comment.Status.PENDING, body="Buy pills."
    )
    spam.decide(Comment.Status.SPAM, by=moderator)

    response = client.get(live_url(article), {"since": since})

    assert "data-live-change" not in response.text
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


def test_a_page_of_an_article_quiet_for_days_is_up_to_date_and_told_of_the_next_reply(
    client, article, moderator
):
    Article.objects.filter(pk=article.pk).update(content_changed=timezone.now() - timedelta(days=3))
    since = page_since(client, article.get_absolute_url())
    quiet = client.get(live_url(article), {"since": since})
    opener = make_comment(article=article, status=Comment.Status.PENDING)

    approve(opener, moderator)

    assert 'data-live-complete="true"' in quiet.text
    assert changes(client, article, since) == [("shown", opener.pk, "")]


def test_a_since_of_long_ago_names_one_of_few_pages(client, article):
    now = since_of(timezone.now())
    asked = [now - days * 86400 - seconds for days in (2, 3) for seconds in range(0, 600, 7)]

    for since in asked:
        client.get(live_url(article), {"since": since})

    # Rounded to the day: one page a day, whatever second was asked.
    assert len({canonical_since(since, now) for since in asked}) == 2
    assert canonical_since(now - 30, now) == now - 30  # The last two minutes, to the second.
    assert canonical_since(now + 999, now) == now


def test_a_reader_with_replies_of_their_own_polls_the_page_everyone_gets(
    client, article, moderator, returning_reader_key
):
    opener = make_comment(article=article)
    since = page_since(client, article.get_absolute_url())
    own = make_comment(
        article=article,
        parent=opener,
        status=Comment.Status.PENDING,
        reader_key=returning_reader_key,
    )
    approve(own, moderator)
    Comment.objects.filter(pk=own.pk).update(pending_body="An edit nobody approved yet.")

    # The author's own page asks first, and draws the answer every reader then gets.
    by_the_author = client.get(live_url(article), {"since": since})
    by_another = Client().get(live_url(article), {"since": since})

    for answer in (by_the_author, by_another):
        assert f"/comments/{own.pk}/edit/" not in answer.text
        assert "Your edit awaits moderation" not in answer.text
        assert f"/comments/{own.pk}/report/" in answer.text


def test_an_answer_is_in_the_language_of_the_page_that_asks(client, article, moderator):
    since = page_since(client, article.get_absolute_url())
    approve(make_comment(article=article, status=Comment.Status.PENDING), moderator)

    spanish = client.get(
        live_url(article), {"since": since, "lang": "es"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "Responder" in spanish.text
    assert client.get(live_url(article), {"since": since, "lang": "xx"}).status_code == 400


def test_more_changes_than_a_page_is_given_tell_it_to_reload(client, article, moderator, settings):
    settings.COMMENTS_LIVE_MAX_CHANGES = 2
    since = page_since(client, article.get_absolute_url())
    for _ in range(3):
        approve(make_comment(article=article, status=Comment.Status.PENDING), moderator)

    response = client.get(live_url(article), {"since": since})

    assert 'data-live-complete="false"' in response.text
    assert len(CHANGE.findall(response.text)) == 2


@pytest.mark.parametrize("since", [None, "", "yesterday", "-5", "1.5", "9" * 20, "²"])
def test_a_made_up_since_is_refused(client, article, since):
    query = {} if since is None else {"since": since}

    assert client.get(live_url(article), query).status_code == 400


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
