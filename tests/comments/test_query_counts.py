"""Pages cost a fixed number of queries, however large the discussion grows."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from comments.models import Comment, Commenter, Strategy
from comments.notifications import enqueue
from tests.actions import in_language, post_reply
from tests.factories import make_discussion

pytestmark = pytest.mark.django_db

# The article's version (which says whether the cached page is current, and
# is read on every request), the article (with its discussion's counters,
# its text in the reader's language and the languages it can be read in),
# the page of threads, the strategies those proposals name, the first
# replies of those threads.
ARTICLE_PAGE_QUERIES = 5
# The home page finds its article with its version: no query of its own for it.
HOME_PAGE_QUERIES = 4
# The last page of threads also counts the threads whose first comment was
# removed, to link to them where the list ends.
LAST_PAGE_QUERIES = ARTICLE_PAGE_QUERIES + 1
# A reader with replies of their own waiting: their threads are counted too.
ARTICLE_PAGE_QUERIES_WITH_OWN_REPLIES = 5
# The thread's first comment (with its article's text in the reader's
# language and the ids of the strategies it names), the thread's shape (ids
# and parents), and the replies its page shows.
THREAD_PAGE_QUERIES = 3
# A first comment that names strategies: the strategies, to name them.
THREAD_PAGE_QUERIES_OF_A_PROPOSAL = 4
# The article's English original and its Spanish translation cost the same:
# a reader is counted in each language.
READERS = pytest.mark.parametrize("language", ["en", "es"])
SPANISH_TITLE = "México rechaza la intervención de Estados Unidos"


def discussion_of(article, size: int):
    """`size` published comments: threads of four comments each."""
    return make_discussion(article=article, threads=size // 4, replies_per_thread=3)


def shows_the_article_in(language: str, html: str) -> bool:
    """Whether the page names the article in `language`, and links its other version."""
    spanish = SPANISH_TITLE in html
    return spanish == (language == "es") and 'hreflang="en"' in html and 'hreflang="es"' in html


@READERS
@pytest.mark.parametrize("size", [100, 500])
def test_the_article_page_costs_the_same_queries_at_any_size(
    client, article, django_assert_num_queries, size, language
):
    discussion_of(article, size)

    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        response = client.get(article.get_absolute_url(), headers=in_language(language))

    assert response.status_code == 200
    assert shows_the_article_in(language, response.content.decode())
    assert Comment.objects.count() == size // 4 * 4


@READERS
def test_the_article_at_its_address_in_a_language_costs_the_same_queries(
    client, article, django_assert_num_queries, language
):
    discussion_of(article, 100)

    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        response = client.get(article.url_in(language))

    assert shows_the_article_in(language, response.content.decode())


@READERS
@pytest.mark.parametrize("page", [2, 3])
def test_a_later_page_of_threads_costs_the_same_queries(
    client, article, django_assert_num_queries, page, language
):
    discussion_of(article, 500)

    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        response = client.get(
            article.get_absolute_url() + f"?page={page}&sort=oldest", headers=in_language(language)
        )

    html = response.content.decode()
    assert (SPANISH_TITLE in html) == (language == "es")


@pytest.mark.parametrize("size", [10, 500])
def test_the_last_page_of_threads_costs_one_query_more_at_any_size(
    client, article, django_assert_num_queries, size
):
    discussion_of(article, size)

    with django_assert_num_queries(LAST_PAGE_QUERIES):
        response = client.get(article.get_absolute_url() + "?page=7")

    assert response.status_code == 200


@READERS
@pytest.mark.parametrize("size", [100, 500])
def test_the_home_page_costs_the_same_queries(
    client, article, django_assert_num_queries, size, language
):
    discussion_of(article, size)

    with django_assert_num_queries(HOME_PAGE_QUERIES):
        response = client.get("/", headers=in_language(language))

    assert response.status_code == 200
    assert shows_the_article_in(language, response.content.decode())


@READERS
@pytest.mark.parametrize("replies", [3, 500])
def test_a_thread_page_costs_the_same_queries_at_any_length(
    client, article, django_assert_num_queries, replies, settings, language
):
    (root,) = make_discussion(article=article, threads=1, replies_per_thread=replies)

    with django_assert_num_queries(THREAD_PAGE_QUERIES):
        response = client.get(
            reverse("comments:thread", kwargs={"pk": root.pk}), headers=in_language(language)
        )

    html = response.content.decode()
    shown = min(replies, settings.COMMENTS_BRANCHES_PER_PAGE)
    assert html.count('class="comment"') == shown + 1
    assert (SPANISH_TITLE in html) == (language == "es")


@READERS
def test_a_thread_opened_by_a_proposal_reads_the_strategies_it_names_once(
    client, article, django_assert_num_queries, language
):
    (root,) = make_discussion(article=article, threads=1, replies_per_thread=3)
    strategies = list(Strategy.objects.all()[:2])
    root.strategies.set(reversed(strategies))

    with django_assert_num_queries(THREAD_PAGE_QUERIES_OF_A_PROPOSAL):
        response = client.get(
            reverse("comments:thread", kwargs={"pk": root.pk}), headers=in_language(language)
        )

    html = response.content.decode()
    with translation.override(language):
        tags = [f"<li>{strategy.label}</li>" for strategy in strategies]
    # In the board's order.
    assert 0 < html.index(tags[0]) < html.index(tags[1])


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


@READERS
@pytest.mark.parametrize("size", [100, 500])
def test_the_authors_own_pending_reply_costs_one_query_whatever_the_size(
    client, article, valid_reply, django_assert_num_queries, size, language
):
    discussion_of(article, size)
    post_reply(client, article, valid_reply, language=language)

    with django_assert_num_queries(ARTICLE_PAGE_QUERIES_WITH_OWN_REPLIES):
        response = client.get(article.get_absolute_url(), headers=in_language(language))

    html = response.content.decode()
    assert valid_reply["body"] in html
    assert shows_the_article_in(language, html)


# The article, the comment replied to, the address's record with its recent
# identical reply (none), then in one transaction (two statements to open and
# close it) the reply and its automatic decision; once it is committed, the
# moderators' alert queued for the worker. Word rules, blocks and staff names
# come from the cache. Its author is sent to its permalink, which finds the
# page that shows it.
REPLY_QUERIES = 8


@pytest.fixture
def post_counted(
    client, article, django_assert_num_queries, django_capture_on_commit_callbacks, database_tasks
):
    """Post a reply in exactly `queries` statements, counting what runs once it is committed,
    as a live site runs it; the response, and the names of the emails it queued."""

    def post(data: dict, *, queries: int):
        with (
            django_assert_num_queries(queries),
            django_capture_on_commit_callbacks(execute=True) as committed,
        ):
            response = post_reply(client, article, data)
        queued = [c.args[0].__name__ for c in committed if getattr(c, "func", None) is enqueue]
        return response, queued

    return post


@pytest.mark.parametrize("replies", [0, 60])
def test_posting_a_reply_costs_the_same_queries_in_any_thread(
    client, article, valid_reply, post_counted, replies
):
    thread = make_discussion(article=article, threads=1, replies_per_thread=replies)[0]
    # A returning reader, whose address is confirmed: no confirmation link to send.
    now = timezone.now()
    Commenter.objects.create(
        email=valid_reply["author_email"], confirmed=now, confirmation_sent=now
    )
    post_reply(client, article, {**valid_reply, "body": "A first reply fills the caches."})

    response, queued = post_counted({**valid_reply, "parent": thread.pk}, queries=REPLY_QUERIES)

    assert queued == ["tell_moderators_a_comment_waits"]
    assert response.status_code == 302
    assert Comment.objects.filter(parent=thread, author_email=valid_reply["author_email"]).exists()


# A new address: its record is looked for, then its recent identical reply on
# its own; in the transaction its record is made (in a savepoint, should
# another post make it at the same moment); once committed, the moderators'
# alert and the address's confirmation link are queued.
FIRST_REPLY_QUERIES = 13


def test_a_first_reply_from_a_new_address_also_makes_its_record_and_queues_its_link(
    client, article, valid_reply, post_counted
):
    (thread,) = make_discussion(article=article, threads=1, replies_per_thread=3)
    post_reply(client, article, {**valid_reply, "author_email": "first@example.org"})

    _response, queued = post_counted(
        {**valid_reply, "parent": thread.pk}, queries=FIRST_REPLY_QUERIES
    )

    assert queued == ["tell_moderators_a_comment_waits", "send_email_confirmation"]
    assert Commenter.objects.filter(email=valid_reply["author_email"]).count() == 1
