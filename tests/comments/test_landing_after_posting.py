"""Posting without JavaScript, the author lands on the page that holds their reply, at it, with
the status beside it: a later page of a long thread, a branch opened on its replies page, or a
later page of the article's threads, whether the reply waits for a moderator or is published."""

from datetime import timedelta

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from comments.models import Comment, WordRule
from tests.actions import post_reply
from tests.factories import make_comment, make_trusted_commenter, reply_data

pytestmark = pytest.mark.django_db

START = timezone.now() - timedelta(days=1)
AWAITS = "Your reply has been received and awaits moderation."
PUBLISHED = "Thank you! Your reply is published."


def at(minutes: int):
    return START + timedelta(minutes=minutes)


def card_of(html: str, comment: Comment) -> str:
    return html.split(f'<article id="c{comment.pk}"', 1)[1].split("</article>", 1)[0]


def top_of(html: str) -> str:
    """The page above its first comment, where the site's other messages are said."""
    return html.split('<main id="main"', 1)[1].split('<article id="c', 1)[0]


def landed(client, response) -> str:
    """Where the author lands: a post leads to the reply's permalink, and the permalink to
    the page that shows it."""
    location = response["Location"]
    if resolve(location.split("#")[0]).view_name == "comments:permalink":
        location = client.get(location)["Location"]
    return location


def the_new_reply() -> Comment:
    return Comment.objects.latest("created", "id")


@pytest.fixture
def small_pages(settings):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    settings.COMMENTS_THREADS_PER_LATER_PAGE = 2
    settings.COMMENTS_BRANCHES_PER_PAGE = 2
    settings.COMMENTS_THREAD_PAGE_REPLIES = 4
    settings.COMMENTS_BRANCH_PREVIEW = 1
    settings.COMMENTS_REPLIES_PER_THREAD_PREVIEW = 2
    settings.COMMENTS_THREAD_LISTED_WHOLE_UP_TO = 0


@pytest.fixture
def long_thread(article, small_pages):
    """An opening comment with five branches, in pages of two; the second branch has three
    answers, more than its page shows of it."""
    root = make_comment(article=article, body="The opening question", created=at(0))
    branches = [
        make_comment(article=article, parent=root, body=f"Branch {n}", created=at(10 * n))
        for n in range(1, 6)
    ]
    for n in range(1, 4):
        make_comment(article=article, parent=branches[1], body=f"Answer {n}", created=at(20 + n))
    return root, branches


def thread_url(root: Comment, page: int) -> str:
    return reverse("comments:thread", kwargs={"pk": root.pk}) + f"?page={page}"


def replies_url(comment: Comment, page: int) -> str:
    return reverse("comments:replies", kwargs={"pk": comment.pk}) + f"?page={page}"


class TestInALongThread:
    def test_a_new_branch_lands_on_the_threads_last_page_at_the_reply(
        self, client, article, long_thread
    ):
        root, _ = long_thread

        response = post_reply(client, article, reply_data(parent=root.pk))

        reply = the_new_reply()
        assert reply.is_pending
        # Six branches, two a page.
        assert landed(client, response) == f"{thread_url(root, 3)}#c{reply.pk}"
        page = client.get(landed(client, response)).content.decode()
        assert reply_data()["body"] in card_of(page, reply)
        assert "Awaiting moderation" in card_of(page, reply)
        assert AWAITS in card_of(page, reply)
        assert AWAITS not in top_of(page)

    def test_an_answer_in_a_folded_branch_lands_on_the_branchs_page_that_shows_it(
        self, client, article, long_thread
    ):
        _, branches = long_thread

        response = post_reply(client, article, reply_data(parent=branches[1].pk))

        reply = the_new_reply()
        # Its fourth answer, two a page on the branch's own replies page.
        assert landed(client, response) == f"{replies_url(branches[1], 2)}#c{reply.pk}"
        page = client.get(landed(client, response)).content.decode()
        assert AWAITS in card_of(page, reply)
        assert AWAITS not in top_of(page)

    def test_a_reply_published_at_once_lands_at_itself_with_its_notice(
        self, client, post_moderated, long_thread, returning_reader_key
    ):
        root, _ = long_thread
        make_trusted_commenter(article=post_moderated)

        response = post_reply(client, post_moderated, reply_data(parent=root.pk))

        reply = the_new_reply()
        assert reply.is_published
        page = client.get(landed(client, response)).content.decode()
        assert landed(client, response).endswith(f"#c{reply.pk}")
        assert "?page=" in landed(client, response)
        assert PUBLISHED in card_of(page, reply)
        assert PUBLISHED not in top_of(page)

    def test_the_notice_is_said_once(self, client, article, long_thread):
        root, _ = long_thread
        response = post_reply(client, article, reply_data(parent=root.pk))
        client.get(landed(client, response))

        again = client.get(landed(client, response)).content.decode()

        assert AWAITS not in again
        assert "Awaiting moderation" in card_of(again, the_new_reply())


class TestOnALaterPageOfThreads:
    def test_a_reply_to_an_older_thread_lands_on_its_page_of_threads(
        self, client, article, small_pages
    ):
        older = make_comment(article=article, body="An older answer", created=at(0))
        for n in range(1, 5):
            make_comment(article=article, body=f"A newer answer {n}", created=at(10 * n))

        response = post_reply(client, article, reply_data(parent=older.pk))

        reply = the_new_reply()
        # Four newer threads, two a page: the older thread is on the third.
        assert landed(client, response) == f"{article.get_absolute_url()}?page=3#c{reply.pk}"
        page = client.get(landed(client, response)).content.decode()
        assert AWAITS in card_of(page, reply)
        assert "Awaiting moderation" in card_of(page, reply)

    def test_the_authors_own_waiting_replies_count_where_they_are_shown(
        self, client, article, small_pages
    ):
        """The article's page shows a thread's first two replies, the author's waiting ones
        among them: their third reply is beyond it, on the thread's page."""
        opener = make_comment(article=article, body="An answer", created=at(0))
        for n in range(2):
            post_reply(client, article, reply_data(parent=opener.pk, body=f"My point {n}."))

        response = post_reply(client, article, reply_data(parent=opener.pk, body="And a third."))

        reply = the_new_reply()
        page = client.get(landed(client, response)).content.decode()
        assert AWAITS in card_of(page, reply)

    def test_a_reply_refused_at_once_is_told_of_at_the_top(self, client, article, small_pages):
        opener = make_comment(article=article, created=at(0))
        WordRule.objects.create(phrase="casino", action=WordRule.Action.SPAM)

        response = post_reply(
            client, article, reply_data(parent=opener.pk, body="The best casino in town.")
        )

        reply = the_new_reply()
        page = client.get(landed(client, response)).content.decode()
        assert not reply.is_visible_to(reply.reader_key)
        assert f'id="c{reply.pk}"' not in page
        assert "Your reply has been received" in top_of(page)
