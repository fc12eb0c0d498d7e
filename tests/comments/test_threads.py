"""Readers browse published replies as threads."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, Strategy
from comments.threads import ThreadPages, all_strategies
from tests.factories import form_stamp, make_comment

pytestmark = pytest.mark.django_db


def ago(minutes: int):
    return timezone.now() - timedelta(minutes=minutes)


def positions(html: str, *texts: str) -> list[int]:
    return [html.index(text) for text in texts]


def test_top_level_replies_are_newest_first_by_default(client, article):
    make_comment(article=article, body="Older answer", created=ago(10))
    make_comment(article=article, body="Newer answer", created=ago(5))

    html = client.get(article.get_absolute_url()).content.decode()

    newer, older = positions(html, "Newer answer", "Older answer")
    assert newer < older


def test_top_level_replies_can_be_read_oldest_first(client, article):
    make_comment(article=article, body="Older answer", created=ago(10))
    make_comment(article=article, body="Newer answer", created=ago(5))

    html = client.get(article.get_absolute_url() + "?sort=oldest").content.decode()

    older, newer = positions(html, "Older answer", "Newer answer")
    assert older < newer


def test_replies_are_nested_under_their_parent_in_time_order(client, article):
    top = make_comment(article=article, body="The question of troops", created=ago(30))
    make_comment(article=article, parent=top, body="Second reply", created=ago(10))
    first = make_comment(article=article, parent=top, body="First reply", created=ago(20))
    make_comment(article=article, parent=first, body="Reply to the first", created=ago(5))

    html = client.get(article.get_absolute_url()).content.decode()

    assert positions(
        html, "The question of troops", "First reply", "Reply to the first", "Second reply"
    ) == sorted(
        positions(
            html, "The question of troops", "First reply", "Reply to the first", "Second reply"
        )
    )
    nested = html.split("First reply", 1)[1].split("Second reply", 1)[0]
    assert '<ol class="replies">' in nested


def test_the_published_reply_count_counts_only_published_comments(client, article):
    top = make_comment(article=article)
    make_comment(article=article, parent=top)
    make_comment(article=article, status=Comment.Status.PENDING)
    make_comment(article=article, status=Comment.Status.REJECTED)

    page = client.get(article.get_absolute_url())

    assert page.context["discussion"].published_count == 2
    assert "2 replies" in page.content.decode()


@pytest.mark.parametrize(
    "status", [Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.SPAM]
)
def test_unpublished_comments_are_not_shown(client, article, status):
    make_comment(article=article, body="Hidden words", status=status)

    html = client.get(article.get_absolute_url()).content.decode()

    assert "Hidden words" not in html


def test_published_replies_to_a_rejected_comment_stay_visible_under_a_placeholder(client, article):
    top = make_comment(article=article, body="Thread start")
    rejected = make_comment(
        article=article, parent=top, body="Rude words", status=Comment.Status.REJECTED
    )
    make_comment(article=article, parent=rejected, body="A calm answer")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "Rude words" not in html
    assert "A calm answer" in html
    assert "This comment is not available." in html


@override_settings(COMMENTS_THREADS_PER_PAGE=2, COMMENTS_THREADS_PER_LATER_PAGE=3)
def test_threads_are_paginated_with_more_on_the_pages_after_the_first(client, article):
    for i in range(7):
        make_comment(article=article, body=f"Answer {i}.", created=ago(100 - i))

    first = client.get(article.get_absolute_url()).content.decode()
    second = client.get(article.get_absolute_url() + "?page=2").content.decode()
    third = client.get(article.get_absolute_url() + "?page=3").content.decode()

    assert "Answer 6." in first and "Answer 5." in first and "Answer 4." not in first
    assert "Page 1 of 3" in first
    assert all(f"Answer {n}." in second for n in (4, 3, 2))
    assert "Answer 5." not in second and "Answer 1." not in second
    assert "Answer 1." in third and "Answer 0." in third and "Answer 2." not in third


def test_a_page_number_out_of_range_shows_the_last_page(client, article):
    make_comment(article=article, body="Only answer")

    page = client.get(article.get_absolute_url() + "?page=99")

    assert page.status_code == 200
    assert "Only answer" in page.content.decode()


@override_settings(COMMENTS_REPLIES_PER_THREAD_PREVIEW=2, COMMENTS_THREAD_LISTED_WHOLE_UP_TO=0)
def test_a_long_thread_shows_its_first_replies_and_links_to_the_whole_thread(client, article):
    top = make_comment(article=article, body="Long thread")
    for i in range(5):
        make_comment(article=article, parent=top, body=f"Reply {i}.", created=ago(50 - i))

    html = client.get(article.get_absolute_url()).content.decode()

    assert "Reply 0." in html and "Reply 1." in html and "Reply 2." not in html
    assert "Show 3 more replies in this thread" in html
    assert reverse("comments:thread", kwargs={"pk": top.pk}) in html


@override_settings(COMMENTS_REPLIES_PER_THREAD_PREVIEW=2, COMMENTS_THREAD_LISTED_WHOLE_UP_TO=4)
def test_a_thread_that_would_hide_only_a_few_replies_is_listed_whole(client, article):
    whole = make_comment(article=article, body="Short thread", created=ago(90))
    for i in range(4):
        make_comment(article=article, parent=whole, body=f"Short reply {i}.", created=ago(80 - i))
    longer = make_comment(article=article, body="Longer thread", created=ago(70))
    for i in range(5):
        make_comment(article=article, parent=longer, body=f"Long reply {i}.", created=ago(60 - i))

    html = client.get(article.get_absolute_url()).content.decode()

    assert all(f"Short reply {i}." in html for i in range(4))
    assert reverse("comments:thread", kwargs={"pk": whole.pk}) not in html
    assert "Long reply 1." in html and "Long reply 2." not in html
    assert "Show 3 more replies in this thread" in html


@override_settings(COMMENTS_REPLIES_PER_THREAD_PREVIEW=2, COMMENTS_THREAD_LISTED_WHOLE_UP_TO=4)
def test_only_published_replies_count_towards_a_thread_listed_whole(client, article):
    thread = make_comment(article=article, body="Short thread", created=ago(90))
    for i in range(4):
        make_comment(article=article, parent=thread, body=f"Short reply {i}.", created=ago(80 - i))
    for status in (Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.SPAM):
        make_comment(article=article, parent=thread, body=f"Not public: {status}.", status=status)

    html = client.get(article.get_absolute_url()).content.decode()

    assert all(f"Short reply {i}." in html for i in range(4))
    assert "Not public" not in html
    assert reverse("comments:thread", kwargs={"pk": thread.pk}) not in html


def test_a_thread_opens_on_its_own_page_with_every_reply(client, article):
    top = make_comment(article=article, body="Long thread")
    for i in range(15):
        make_comment(article=article, parent=top, body=f"Reply {i}.", created=ago(50 - i))
    make_comment(article=article, body="Another thread")

    page = client.get(reverse("comments:thread", kwargs={"pk": top.pk}))

    html = page.content.decode()
    assert all(f"Reply {i}." in html for i in range(15))
    assert "Another thread" not in html


def test_each_comment_carries_the_links_of_its_own_kind_and_id(
    client, article, returning_reader_key
):
    top = make_comment(article=article, created=ago(10))
    theirs = make_comment(article=article, parent=top, created=ago(9))
    mine = make_comment(article=article, parent=top, reader_key=returning_reader_key)

    html = client.get(reverse("comments:thread", kwargs={"pk": top.pk})).content.decode()

    def links(comment) -> set[str]:
        actions = html.split(f'id="c{comment.pk}"', 1)[1].split("comment-actions", 1)[1]
        actions = actions.split("</p>", 1)[0]
        return {
            name
            for name, url_name in {
                "reply": "comments:reply",
                "rate": "board:rate",
                "edit": "comments:edit",
                "report": "comments:report",
            }.items()
            if reverse(url_name, kwargs={"pk": comment.pk}) in actions
        }

    assert links(top) == {"reply", "rate", "report"}
    assert links(theirs) == {"reply", "report"}
    assert links(mine) == {"reply", "edit"}


def test_the_thread_page_of_a_reply_is_not_found(client, article):
    top = make_comment(article=article)
    reply = make_comment(article=article, parent=top)

    assert client.get(reverse("comments:thread", kwargs={"pk": reply.pk})).status_code == 404


def test_the_thread_page_of_a_pending_comment_is_not_found(client, article):
    top = make_comment(article=article, status=Comment.Status.PENDING)

    assert client.get(reverse("comments:thread", kwargs={"pk": top.pk})).status_code == 404


class TestPermalink:
    def test_it_redirects_to_the_article_page_and_anchor(self, client, article):
        comment = make_comment(article=article)

        response = client.get(reverse("comments:permalink", kwargs={"pk": comment.pk}))

        assert response.status_code == 302
        assert response["Location"] == f"{article.get_absolute_url()}#c{comment.pk}"

    @override_settings(COMMENTS_THREADS_PER_PAGE=2, COMMENTS_THREADS_PER_LATER_PAGE=2)
    def test_it_finds_the_page_an_older_thread_is_on(self, client, article):
        oldest = make_comment(article=article, created=ago(60))
        reply = make_comment(article=article, parent=oldest, created=ago(1))
        for minutes in (50, 40, 30, 20):
            make_comment(article=article, created=ago(minutes))

        response = client.get(reverse("comments:permalink", kwargs={"pk": reply.pk}))

        assert response["Location"] == f"{article.get_absolute_url()}?page=3#c{reply.pk}"
        page = client.get(response["Location"])
        assert f'id="c{reply.pk}"' in page.content.decode()

    # A thread of three replies, none listed whole; one of five, listed whole up to four.
    @pytest.mark.parametrize(("listed_whole_up_to", "replies"), [(0, 3), (4, 5)])
    def test_a_reply_beyond_the_preview_goes_to_the_thread_page(
        self, client, article, settings, listed_whole_up_to, replies
    ):
        settings.COMMENTS_REPLIES_PER_THREAD_PREVIEW = 2
        settings.COMMENTS_THREAD_LISTED_WHOLE_UP_TO = listed_whole_up_to
        top = make_comment(article=article)
        answers = [
            make_comment(article=article, parent=top, created=ago(10 - i)) for i in range(replies)
        ]

        response = client.get(reverse("comments:permalink", kwargs={"pk": answers[2].pk}))

        thread_url = reverse("comments:thread", kwargs={"pk": top.pk})
        assert response["Location"] == f"{thread_url}#c{answers[2].pk}"

    @override_settings(COMMENTS_REPLIES_PER_THREAD_PREVIEW=2, COMMENTS_THREAD_LISTED_WHOLE_UP_TO=4)
    def test_a_reply_of_a_thread_listed_whole_stays_on_the_article_page(self, client, article):
        top = make_comment(article=article)
        replies = [make_comment(article=article, parent=top, created=ago(10 - i)) for i in range(4)]

        response = client.get(reverse("comments:permalink", kwargs={"pk": replies[3].pk}))

        assert response["Location"] == f"{article.get_absolute_url()}#c{replies[3].pk}"
        page = client.get(response["Location"])
        assert f'id="c{replies[3].pk}"' in page.content.decode()

    def test_an_unpublished_comment_has_no_public_permalink(self, client, article):
        comment = make_comment(article=article, status=Comment.Status.REJECTED)

        response = client.get(reverse("comments:permalink", kwargs={"pk": comment.pk}))

        assert response.status_code == 404

    def test_an_unknown_comment_is_not_found(self, client, db):
        assert client.get("/comments/123456/").status_code == 404


class TestLanguages:
    def test_readers_can_filter_the_threads_by_language(self, client, article):
        make_comment(article=article, body="An answer in English", language="en")
        spanish = make_comment(article=article, body="Una respuesta en español", language="es")
        make_comment(article=article, parent=spanish, body="A reply in English", language="en")

        html = client.get(article.get_absolute_url() + "?lang=es").content.decode()

        assert "Una respuesta en español" in html
        assert "A reply in English" in html
        assert "An answer in English" not in html

    def test_the_published_count_ignores_the_language_filter(self, client, article):
        make_comment(article=article, language="en")
        make_comment(article=article, language="es")

        page = client.get(article.get_absolute_url() + "?lang=es")

        assert page.context["discussion"].published_count == 2

    def test_an_unknown_language_shows_every_thread(self, client, article):
        make_comment(article=article, body="An answer in English", language="en")

        html = client.get(article.get_absolute_url() + "?lang=xx").content.decode()

        assert "An answer in English" in html

    def test_a_reply_carries_its_language_for_screen_readers(self, client, article):
        make_comment(article=article, body="Una respuesta", language="es")

        html = client.get(article.get_absolute_url()).content.decode()

        assert '<div class="comment-body" lang="es">' in html

    def test_a_reply_records_its_language_the_interfaces_by_default(self, client, article):
        url = reverse("comments:create", kwargs={"slug": article.slug})
        data = {
            "author_name": "Ana",
            "author_email": "ana@example.com",
            "body": "Hola a todos",
            "stamp": form_stamp(),
        }

        client.post(url, data, headers={"Accept-Language": "es"})
        client.post(
            url, {**data, "body": "Hello all", "language": "en"}, headers={"Accept-Language": "es"}
        )

        assert Comment.objects.get(body="Hola a todos").language == "es"
        assert Comment.objects.get(body="Hello all").language == "en"


@override_settings(COMMENTS_THREADS_PER_PAGE=3)
def test_permalinks_land_where_the_newest_first_order_shows_editors_picks_too(client, article):
    # Picks are a view of their own, not pinned above the newest: an old pick is on a later page.
    picked = make_comment(article=article, created=ago(100), featured=True)
    others = [make_comment(article=article, created=ago(50 - i)) for i in range(4)]

    for comment, page in [(picked, 2), (others[-1], 1), (others[-3], 1), (others[-4], 2)]:
        location = client.get(reverse("comments:permalink", kwargs={"pk": comment.pk}))["Location"]
        html = client.get(location).content.decode()
        assert f'id="c{comment.pk}"' in html, (comment, location)
        assert ("page=2" in location) == (page == 2)


@pytest.mark.parametrize(("first", "later"), [(20, 50), (2, 3), (5, 5), (1, 1)])
def test_every_thread_is_on_exactly_the_page_that_is_said_to_hold_it(first, later):
    pages = ThreadPages(first=first, later=later)

    for threads in range(0, 130):
        count = pages.count(threads)
        shares = [pages.size(number) for number in range(1, count + 1)]
        assert sum(shares[:-1]) < threads <= sum(shares) or threads == 0 == count - 1
        for index in range(threads):
            number = pages.holding(index)
            assert 1 <= number <= count
            assert pages.start(number) <= index < pages.start(number) + pages.size(number)


def test_the_pages_read_every_strategy_in_the_boards_order_with_its_names(db):
    read = all_strategies()

    expected = list(Strategy.objects.all())
    assert [s.pk for s in read] == [s.pk for s in expected] and expected
    assert [(s.name, s.name_es, s.label) for s in read] == [
        (s.name, s.name_es, s.label) for s in expected
    ]
