"""Anonymous readers get cached pages that are never stale and never someone else's."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from board.ratings import rating_record
from comments.models import Comment
from moderation.decisions import comment_moderate
from tests.actions import post_reply
from tests.factories import form_stamp, make_comment
from tests.servers import unreachable_cache

pytestmark = pytest.mark.django_db


def csrf_token_in(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_a_repeated_anonymous_visit_is_served_from_the_cache_with_one_query(
    client, article, django_assert_num_queries
):
    make_comment(article=article, body="Cached words")
    client.get(article.get_absolute_url())

    # The article's version: it says whether the cached copy is still current.
    with django_assert_num_queries(1):
        response = client.get(article.get_absolute_url())

    assert "Cached words" in response.content.decode()
    assert not response.templates  # Not drawn again.


def test_an_approval_is_visible_on_the_next_request(
    client, article, moderator, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, status="pending", body="Fresh words")
    assert "Fresh words" not in client.get(article.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=comment, status=Comment.Status.APPROVED, by=moderator)

    assert "Fresh words" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "change",
    [
        lambda comment, moderator: comment.reject(by=moderator),
        lambda comment, moderator: rating_record(
            comment=comment, reader_key="k", works=5, respects=5
        ),
    ],
    ids=["rejection", "rating"],
)
def test_any_change_readers_see_gives_the_page_a_new_version(
    client, article, moderator, change, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, body="Words to change")
    first = client.get(article.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        change(comment, moderator)
    second = client.get(article.get_absolute_url())

    assert first["ETag"] != second["ETag"]


def test_the_page_carries_etag_and_last_modified_and_answers_304(client, article):
    first = client.get(article.get_absolute_url())

    again = client.get(article.get_absolute_url(), headers={"If-None-Match": first["ETag"]})

    assert first["ETag"] and first["Last-Modified"]
    assert again.status_code == 304
    assert again.content == b""


def test_a_stale_etag_gets_the_new_page(client, article, django_capture_on_commit_callbacks):
    first = client.get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article=article, body="Newer words")

    again = client.get(article.get_absolute_url(), headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 200
    assert "Newer words" in again.content.decode()


def test_shared_caches_may_not_keep_the_page(client, article):
    response = client.get(article.get_absolute_url())

    assert "private" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]


def test_each_reader_gets_their_own_csrf_token_from_a_cached_page(article):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_token = csrf_token_in(first.get(article.get_absolute_url()).content.decode())
    second_token = csrf_token_in(second.get(article.get_absolute_url()).content.decode())

    response = post_reply(
        second,
        article,
        {
            "author_name": "Luis",
            "author_email": "luis@example.com",
            "body": "Posted from a cached page",
            "stamp": form_stamp(),
            "csrfmiddlewaretoken": second_token,
        },
    )

    assert first_token != second_token
    assert response.status_code == 302
    assert Comment.objects.filter(body="Posted from a cached page").exists()


def test_a_returning_reader_keeps_their_csrf_cookie_and_a_cached_page_s_token_passes(article):
    reader = Client(enforce_csrf_checks=True)
    first_token = csrf_token_in(reader.get(article.get_absolute_url()).content.decode())
    cookie = reader.cookies["csrftoken"].value
    second_token = csrf_token_in(reader.get(article.get_absolute_url()).content.decode())

    response = post_reply(
        reader,
        article,
        {
            "author_name": "Luis",
            "author_email": "luis@example.com",
            "body": "Posted after reading twice",
            "stamp": form_stamp(),
            "csrfmiddlewaretoken": first_token,
        },
    )

    # Each response masks the reader's secret anew: no token is kept in the cache.
    assert first_token != second_token
    assert reader.cookies["csrftoken"].value == cookie
    assert response.status_code == 302
    assert Comment.objects.filter(body="Posted after reading twice").exists()


def test_a_readers_own_pending_reply_never_reaches_another_reader(article):
    author, other = Client(), Client()
    other.get(article.get_absolute_url())
    post_reply(
        author,
        article,
        {
            "author_name": "Ana",
            "author_email": "ana@example.com",
            "body": "My pending words",
            "stamp": form_stamp(),
        },
    )

    assert "My pending words" in author.get(article.get_absolute_url()).content.decode()
    assert "My pending words" not in other.get(article.get_absolute_url()).content.decode()
    assert "My pending words" not in Client().get(article.get_absolute_url()).content.decode()


def test_a_flash_message_is_never_cached(client, article):
    post_reply(
        client,
        article,
        {
            "author_name": "Ana",
            "author_email": "ana@example.com",
            "body": "Hello there",
            "stamp": form_stamp(),
        },
    )

    with_message = client.get(article.get_absolute_url()).content.decode()
    later = Client().get(article.get_absolute_url()).content.decode()

    assert "awaits moderation" in with_message
    assert "awaits moderation" not in later


def test_signed_in_staff_are_never_served_a_cached_page(client, moderator_client, article):
    Client().get(article.get_absolute_url())

    html = moderator_client.get(article.get_absolute_url()).content.decode()

    assert 'href="/admin/"' in html


def test_a_discussion_reaching_its_closing_date_is_not_served_open_from_the_cache(client, article):
    article.discussion_closes = timezone.now() + timedelta(hours=1)
    article.save()
    assert 'id="reply-form"' in client.get(article.get_absolute_url()).content.decode()

    two_hours_later = timezone.now() + timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=two_hours_later):
        html = client.get(article.get_absolute_url()).content.decode()

    assert 'id="reply-form"' not in html


def test_an_editor_closing_the_discussion_is_seen_at_once(
    client, admin_client, article, django_capture_on_commit_callbacks
):
    assert 'id="reply-form"' in client.get(article.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "close_discussion", "_selected_action": [article.pk]},
        )

    assert 'id="reply-form"' not in client.get(article.get_absolute_url()).content.decode()


@override_settings(CACHES=unreachable_cache())
def test_with_the_cache_down_pages_are_still_served(client, article):
    make_comment(article=article, body="Still here")

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "Still here" in response.content.decode()


def test_the_thread_and_board_pages_are_cached_too(client, article, django_assert_num_queries):
    root = make_comment(article=article)
    thread_url = reverse("comments:thread", kwargs={"pk": root.pk})
    board_url = reverse("board:board", kwargs={"slug": article.slug})
    client.get(thread_url)
    client.get(board_url)

    with django_assert_num_queries(1):
        client.get(thread_url)
    with django_assert_num_queries(1):
        client.get(board_url)


def test_made_up_query_parameters_share_the_cached_page(client, article):
    plain = client.get(article.get_absolute_url())
    decorated = client.get(article.get_absolute_url() + "?utm_source=x&nonce=123")

    assert plain["ETag"] == decorated["ETag"]


def test_a_change_made_without_telling_the_cache_is_seen_on_the_next_request(client, article):
    comment = make_comment(article=article, status="pending", body="Words approved elsewhere")
    client.get(article.get_absolute_url())

    # As any process may do it: the data and the article's version, in the database only.
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.APPROVED)
        Article.objects.filter(pk=article.pk).mark_changed(published=1, threads=1)

    assert "Words approved elsewhere" in client.get(article.get_absolute_url()).content.decode()
