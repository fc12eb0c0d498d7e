"""A long thread is read in pages of branches, each branch folded to its first replies when a
page would hold too many, and every reply keeps a permalink that lands on it."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from benchmarks.reading import read_everything
from benchmarks.seeding import seed_threads
from comments.branches import read_skeleton
from comments.models import Comment
from comments.threads import thread_page
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

START = timezone.now() - timedelta(days=1)


def at(minutes: int):
    return START + timedelta(minutes=minutes)


def shown(html: str) -> list[str]:
    """The texts of the comments a page shows, in their order."""
    return re.findall(r"<p>(Branch [^<]*|Answer [^<]*|The opening question)</p>", html)


def thread_url(root: Comment, page: int | None = None) -> str:
    url = reverse("comments:thread", kwargs={"pk": root.pk})
    return url + (f"?page={page}" if page else "")


@pytest.fixture
def thread(article):
    """An opening comment with five branches; the second branch has three answers."""
    root = make_comment(article=article, body="The opening question", created=at(0))
    branches = [
        make_comment(article=article, parent=root, body=f"Branch {n}", created=at(10 * n))
        for n in range(1, 6)
    ]
    answers = [
        make_comment(article=article, parent=branches[1], body=f"Answer {n}", created=at(20 + n))
        for n in range(1, 4)
    ]
    return root, branches, answers


@pytest.fixture
def small_pages(settings):
    settings.COMMENTS_BRANCHES_PER_PAGE = 2
    settings.COMMENTS_THREAD_PAGE_REPLIES = 4
    settings.COMMENTS_BRANCH_PREVIEW = 1
    # The article's page shows the first two replies of each thread.
    settings.COMMENTS_REPLIES_PER_THREAD_PREVIEW = 2
    settings.COMMENTS_THREAD_LISTED_WHOLE_UP_TO = 0


class TestPagesOfBranches:
    def test_a_short_thread_is_one_page_with_every_reply(self, client, thread):
        root, _, _ = thread

        html = client.get(thread_url(root)).content.decode()

        assert shown(html) == [
            "The opening question",
            "Branch 1",
            "Branch 2",
            "Answer 1",
            "Answer 2",
            "Answer 3",
            "Branch 3",
            "Branch 4",
            "Branch 5",
        ]
        assert "Pages of this thread" not in html

    def test_a_long_thread_is_read_in_pages_of_its_branches_in_time_order(
        self, client, thread, small_pages
    ):
        root, _, _ = thread

        pages = [client.get(thread_url(root, page)).content.decode() for page in (1, 2, 3)]

        assert shown(pages[0]) == ["The opening question", "Branch 1", "Branch 2", "Answer 1"]
        assert shown(pages[1]) == ["The opening question", "Branch 3", "Branch 4"]
        assert shown(pages[2]) == ["The opening question", "Branch 5"]
        assert "Page 2 of 3" in pages[1]
        assert f'href="{thread_url(root)}">Earlier replies' in pages[1]
        assert f'href="{thread_url(root, 3)}">Later replies' in pages[1]

    def test_a_page_number_beyond_the_last_shows_the_last_page(self, client, thread, small_pages):
        root, _, _ = thread

        html = client.get(thread_url(root, 99)).content.decode()

        assert shown(html) == ["The opening question", "Branch 5"]

    def test_a_page_too_full_folds_each_branch_to_its_first_replies(
        self, client, thread, small_pages
    ):
        root, branches, _ = thread
        replies_url = reverse("comments:replies", kwargs={"pk": branches[1].pk})

        html = client.get(thread_url(root)).content.decode()

        assert "Answer 1" in html
        assert "Answer 2" not in html
        more = re.search(r'<p class="more-replies[^>]*>(<a [^>]*>)2 more replies</a>', html)
        assert more, "the folded branch says how many replies it hides"
        link = more.group(1)
        assert f'href="{replies_url}"' in link
        assert f'data-hx-get="{replies_url}?fragment=branch"' in link
        assert 'data-hx-target="closest li"' in link
        assert " hx-" not in link


class TestMoreReplies:
    def test_without_javascript_the_link_opens_the_branch_in_pages_of_its_own(
        self, client, thread, small_pages
    ):
        _, branches, _ = thread
        replies_url = reverse("comments:replies", kwargs={"pk": branches[1].pk})

        pages = [client.get(replies_url + query).content.decode() for query in ("", "?page=2")]

        assert shown(pages[0]) == ["Branch 2", "Answer 1", "Answer 2"]
        assert shown(pages[1]) == ["Branch 2", "Answer 3"]
        assert f'href="{replies_url}?page=2">Later replies' in pages[0]
        whole_thread = reverse("comments:thread", kwargs={"pk": branches[1].root_id})
        assert f'href="{whole_thread}"' in pages[0]

    def test_with_javascript_the_branch_comes_alone_to_replace_the_folded_one(
        self, client, thread, small_pages
    ):
        _, branches, _ = thread
        url = reverse("comments:replies", kwargs={"pk": branches[1].pk}) + "?fragment=branch"

        html = client.get(url, headers={"hx-request": "true"}).content.decode()

        assert html.startswith("<li>") and html.rstrip().endswith("</li>")
        assert shown(html) == ["Branch 2", "Answer 1", "Answer 2"]
        assert "Later replies" in html
        assert "<html" not in html

    def test_the_replies_of_the_first_comment_are_its_thread(self, client, thread):
        root, _, _ = thread

        response = client.get(reverse("comments:replies", kwargs={"pk": root.pk}))

        assert response.status_code == 302
        assert response["Location"] == thread_url(root)

    def test_the_replies_page_of_an_unpublished_reply_without_published_answers_is_not_found(
        self, client, article, thread
    ):
        root, _, _ = thread
        rejected = make_comment(
            article=article, parent=root, body="Rude words", status=Comment.Status.REJECTED
        )

        response = client.get(reverse("comments:replies", kwargs={"pk": rejected.pk}))

        assert response.status_code == 404

    def test_a_removed_reply_with_published_answers_keeps_its_place_as_a_placeholder(
        self, client, article, thread
    ):
        root, _, _ = thread
        removed = make_comment(
            article=article,
            parent=root,
            body="Rude words",
            status=Comment.Status.REJECTED,
            created=at(15),
        )
        make_comment(article=article, parent=removed, body="Answer 4", created=at(16))

        html = client.get(thread_url(root)).content.decode()

        assert "Rude words" not in html
        assert shown(html).index("Answer 4") == shown(html).index("Branch 1") + 1
        assert html.index("This comment is not available.") < html.index("Answer 4")


class TestPermalinks:
    def test_a_reply_on_a_later_page_lands_on_that_page(self, client, thread, small_pages):
        _, branches, _ = thread

        response = client.get(reverse("comments:permalink", kwargs={"pk": branches[4].pk}))

        assert response.status_code == 302
        root = branches[4].root
        assert response["Location"] == f"{thread_url(root, 3)}#c{branches[4].pk}"
        assert f'id="c{branches[4].pk}"' in client.get(response["Location"]).content.decode()

    def test_a_reply_folded_away_lands_on_its_branch_opened(self, client, thread, small_pages):
        _, branches, answers = thread

        response = client.get(reverse("comments:permalink", kwargs={"pk": answers[2].pk}))

        replies_url = reverse("comments:replies", kwargs={"pk": branches[1].pk})
        assert response["Location"] == f"{replies_url}?page=2#c{answers[2].pk}"
        assert f'id="c{answers[2].pk}"' in client.get(response["Location"]).content.decode()

    def test_every_reply_of_a_long_thread_lands_on_a_page_that_shows_it(self, client, article):
        (root_id,) = seed_threads(article, replies=[300], seed=3).root_ids
        published = Comment.objects.filter(root_id=root_id, status=Comment.Status.APPROVED)

        for pk in published.values_list("pk", flat=True):
            location = client.get(reverse("comments:permalink", kwargs={"pk": pk}))["Location"]
            assert location.endswith(f"#c{pk}")
            assert f'id="c{pk}"' in client.get(location).content.decode(), location


@pytest.mark.parametrize("replies", [500, 1000])
def test_no_page_of_a_seeded_long_thread_weighs_over_150_kb(client, article, replies):
    (root_id,) = seed_threads(article, replies=[replies], seed=1).root_ids
    published = set(
        Comment.objects.filter(root_id=root_id, status=Comment.Status.APPROVED).values_list(
            "pk", flat=True
        )
    )

    reading = read_everything(reverse("comments:thread", kwargs={"pk": root_id}), client=client)

    size, url = reading.largest_page
    assert size <= 150 * 1024, f"{url} weighs {size / 1024:.0f} KB"
    assert published <= reading.seen
    assert set(reading.statuses) == {200}


class TestAThreadPageReadsWhatItShows:
    def test_a_reply_rejected_after_the_threads_shape_was_read_is_not_shown(self, thread):
        root, branches, _answers = thread
        shape = read_skeleton(root.pk)
        Comment.objects.filter(pk=branches[2].pk).update(status=Comment.Status.REJECTED)

        page = thread_page(root, skeleton=shape)

        shown_ids = [child.pk for child in page.root.children if child.comment is not None]
        assert branches[2].pk not in shown_ids
        assert branches[1].pk in shown_ids

    def test_its_comments_are_read_by_their_ids_without_the_status_index(self, thread):
        # SQLite without statistics read every published comment of the table through
        # the status index when the status was part of the query.
        root, _branches, _answers = thread
        shape = read_skeleton(root.pk)
        with CaptureQueriesContext(connection) as queries:
            thread_page(root, skeleton=shape)

        (read,) = [q["sql"] for q in queries.captured_queries]
        assert '"comments_comment"."id" IN' in read
        assert (
            "WHERE" in read and '"status" =' not in read.split("WHERE", 1)[1].split("ORDER BY")[0]
        )
