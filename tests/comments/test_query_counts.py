"""Pages cost a fixed number of queries, however large the discussion grows."""

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.actions import post_reply
from tests.factories import make_discussion

pytestmark = pytest.mark.django_db

# The article's version (which says whether the cached page is current, and
# is read on every request), the article (with its discussion's counters),
# its translations (its text in the reader's language, and the addresses of
# the others), the page of threads, the strategies those proposals name, the
# first replies of those threads.
ARTICLE_PAGE_QUERIES = 6
# The home page finds its article with its version: no query of its own for it.
HOME_PAGE_QUERIES = 5
# A later page of threads lists no other languages' addresses (the article's
# first page has them): it leaves out its translations.
LATER_PAGE_QUERIES = ARTICLE_PAGE_QUERIES - 1
# The last page of threads also counts the threads whose first comment was
# removed, to link to them where the list ends.
THREADS_OF_REMOVED_OPENERS = 1
# A reader with replies of their own waiting: their threads are counted too.
ARTICLE_PAGE_QUERIES_WITH_OWN_REPLIES = 6
# The thread's first comment, the thread's shape (ids and parents), the replies
# its page shows, and the strategies the first comment names.
THREAD_PAGE_QUERIES = 4


def discussion_of(article, size: int):
    """`size` published comments: threads of four comments each (at 100, two pages of them)."""
    return make_discussion(article=article, threads=size // 4, replies_per_thread=3)


@pytest.mark.parametrize("size", [100, 500])
def test_the_article_page_costs_the_same_queries_at_any_size(
    client, article, django_assert_num_queries, size
):
    discussion_of(article, size)

    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert Comment.objects.count() == size // 4 * 4


@pytest.mark.parametrize("page", [2, 6])
def test_a_later_page_of_threads_costs_the_same_queries(
    client, article, django_assert_num_queries, page
):
    discussion_of(article, 500)

    with django_assert_num_queries(LATER_PAGE_QUERIES):
        response = client.get(article.get_absolute_url() + f"?page={page}&sort=oldest")

    assert f"Page {page} of 7" in response.content.decode()


@pytest.mark.parametrize(
    ("size", "page_queries"),
    # 10 comments are one page of threads: page 7 is the article's first page.
    [(10, ARTICLE_PAGE_QUERIES), (500, LATER_PAGE_QUERIES)],
)
def test_the_last_page_of_threads_costs_one_query_more_at_any_size(
    client, article, django_assert_num_queries, size, page_queries
):
    discussion_of(article, size)

    with django_assert_num_queries(page_queries + THREADS_OF_REMOVED_OPENERS):
        response = client.get(article.get_absolute_url() + "?page=7")

    assert response.status_code == 200


@pytest.mark.parametrize("size", [100, 500])
def test_the_home_page_costs_the_same_queries(client, article, django_assert_num_queries, size):
    discussion_of(article, size)

    with django_assert_num_queries(HOME_PAGE_QUERIES):
        response = client.get("/")

    assert response.status_code == 200


@pytest.mark.parametrize("replies", [3, 500])
def test_a_thread_page_costs_the_same_queries_at_any_length(
    client, article, django_assert_num_queries, replies, settings
):
    (root,) = make_discussion(article=article, threads=1, replies_per_thread=replies)

    with django_assert_num_queries(THREAD_PAGE_QUERIES):
        response = client.get(reverse("comments:thread", kwargs={"pk": root.pk}))

    shown = min(replies, settings.COMMENTS_BRANCHES_PER_PAGE)
    assert response.content.decode().count('class="comment"') == shown + 1


@pytest.mark.parametrize("page", [2, 25])
def test_a_later_page_of_a_long_thread_costs_the_same_queries(
    client, article, django_assert_num_queries, page
):
    (root,) = make_discussion(article=article, threads=1, replies_per_thread=500)
    url = reverse("comments:thread", kwargs={"pk": root.pk}) + f"?page={page}"

    # The thread's shape says how many pages it has, and is read once.
    with django_assert_num_queries(THREAD_PAGE_QUERIES):
        response = client.get(url)

    assert f"Page {page} of 25" in response.content.decode()


@pytest.mark.parametrize("size", [100, 500])
def test_the_authors_own_pending_reply_costs_one_query_whatever_the_size(
    client, article, valid_reply, django_assert_num_queries, size
):
    discussion_of(article, size)
    post_reply(client, article, valid_reply)

    with django_assert_num_queries(ARTICLE_PAGE_QUERIES_WITH_OWN_REPLIES):
        response = client.get(article.get_absolute_url())

    assert valid_reply["body"] in response.content.decode()


# The article, the comment replied to, a recent identical reply (none),
# then in one transaction the reply, its automatic decision and the
# commenter's record. Word rules, blocks and staff names come from the cache.
REPLY_QUERIES = 8


@pytest.mark.parametrize("replies", [0, 60])
def test_posting_a_reply_costs_the_same_queries_in_any_thread(
    client, article, valid_reply, django_assert_num_queries, replies
):
    thread = make_discussion(article=article, threads=1, replies_per_thread=replies)[0]
    post_reply(client, article, {**valid_reply, "body": "A first reply fills the caches."})

    with django_assert_num_queries(REPLY_QUERIES):
        response = post_reply(client, article, {**valid_reply, "parent": thread.pk})

    assert response.status_code == 302
    assert Comment.objects.filter(parent=thread, author_email=valid_reply["author_email"]).exists()
