"""Nothing a moderator has not approved reaches a public page.

A distinctive word is planted in every kind of text that is not public (yet): a new pending
reply and proposal, a waiting edit of a published reply and of a published proposal with
strategies, a rejected, a spam and a withdrawn reply, replies hidden by readers' reports (one
with an edit waiting), the names of their authors and the reports' own words. Then every public
URL of the site is fetched as an anonymous reader, in English and in Spanish (by the browser's
Accept-Language and by the language switch), following redirects and asking for the htmx
fragments as htmx does: the word must appear in no response.

The URLconf is listed as well: a public URL pattern (outside the admin, answering GET) that this
module does not visit fails `test_every_public_url_pattern_is_visited`, so a new page must be
added to `surfaces()` below.
"""

import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from comments import notifications, posting, reporting
from comments.models import Comment, Rule, SovereigntyMode, Strategy
from moderation import decisions
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

# Every planted text carries this stem followed by its kind, so a leak names what leaked.
STEM = "zqxunvetted"
FOUND = re.compile(rf"{STEM}[a-z]*")

# Pages that only change data: they answer GET with 405 and show nothing.
POST_ONLY = {"articles/<slug:slug>/comments/", "comments/<int:pk>/withdraw/"}

AUTHOR_KEY = "the-authors-browser"
# Readers in networks of their own, none of them an author.
REPORTERS = [("reader-a", "198.51.100.7"), ("reader-b", "203.0.113.9"), ("reader-c", "192.0.2.44")]
# What readers may see, to show that the pages visited really show the discussion.
PUBLISHED = {
    # The best rated proposal, first on the board, with an edit waiting.
    "proposal": "Shared financial intelligence, without foreign troops.",
    # The newest thread, first on the article's page.
    "newest": "Una propuesta en español.",
    "reply_under_a_removed_comment": "An approved answer to a comment since removed.",
    "reply_under_a_removed_opener": "An approved answer to an opening comment since removed.",
}


def planted(kind: str) -> str:
    return f"{STEM}{kind} words nobody approved, planted in a {kind} text."


@pytest.fixture
def discussion(article, moderator, settings):
    """The article's discussion with unmoderated words in every place they can be."""
    settings.COMMENTS_THREADS_PER_PAGE = 2
    settings.COMMENTS_REPLIES_PER_THREAD_PREVIEW = 2
    settings.COMMENTS_THREAD_LISTED_WHOLE_UP_TO = 0
    settings.COMMENTS_REPORT_HIDE_THRESHOLD = len(REPORTERS)
    article.moderation_mode = article.ModerationMode.PRE
    article.save()
    strategies = list(Strategy.objects.all()[:3])

    def proposal(body, *, language="en", mode=SovereigntyMode.BILATERAL, **fields) -> Comment:
        comment = make_comment(
            article=article, body=body, language=language, sovereignty_mode=mode, **fields
        )
        comment.strategies.set(strategies)
        return comment

    def edited(comment: Comment, kind: str) -> Comment:
        posting.comment_edit(comment=comment, body=planted(kind), reader_key=AUTHOR_KEY)
        return comment

    def decided(comment: Comment, status: str) -> Comment:
        decisions.comment_moderate(comment=comment, status=status, by=moderator)
        return comment

    def reported_until_hidden(comment: Comment) -> Comment:
        for reader_key, ip_address in REPORTERS:
            reporting.report_create(
                comment=comment,
                reason="other",
                text=planted("reportdetails"),
                reader_key=reader_key,
                ip_address=ip_address,
            )
        return comment

    def unpublished(kind: str, **fields) -> Comment:
        return make_comment(
            article=article,
            author_name=f"Ana {STEM}{kind}name",
            body=planted(kind),
            reader_key=AUTHOR_KEY,
            **fields,
        )

    # Published threads enough for three pages, in both languages.
    first = proposal(
        PUBLISHED["proposal"],
        reader_key=AUTHOR_KEY,
        rating_count=3,
        works_total=15,
        respects_total=15,
    )
    for n in range(4):
        proposal(f"Published proposal {n}.", language="es" if n % 2 else "en")
    spanish = proposal(PUBLISHED["newest"], language="es", mode=SovereigntyMode.DOMESTIC)

    comments = {
        "pendingproposal": unpublished("pendingproposal", status=Comment.Status.PENDING),
        "pendingreply": unpublished("pendingreply", parent=first, status=Comment.Status.PENDING),
        "proposaledit": edited(first, "proposaledit"),
        "replyedit": edited(
            make_comment(article=article, parent=spanish, reader_key=AUTHOR_KEY), "replyedit"
        ),
        "rejectedreply": decided(
            unpublished("rejectedreply", parent=first, status=Comment.Status.PENDING),
            Comment.Status.REJECTED,
        ),
        "spamreply": decided(
            unpublished("spamreply", parent=spanish, status=Comment.Status.PENDING),
            Comment.Status.SPAM,
        ),
        "withdrawnreply": unpublished("withdrawnreply", parent=first),
        "hiddenreply": reported_until_hidden(unpublished("hiddenreply", parent=spanish)),
        "hiddenproposal": reported_until_hidden(proposal(planted("hiddenproposal"))),
    }
    posting.comment_withdraw(comment=comments["withdrawnreply"], reader_key=AUTHOR_KEY)
    hidden_with_an_edit = make_comment(article=article, parent=first, reader_key=AUTHOR_KEY)
    comments["hiddenreplyedit"] = reported_until_hidden(edited(hidden_with_an_edit, "hiddenedit"))

    # A published reply under a comment removed since, at the deepest level, answering (beside
    # it) another comment removed since: neither removed author's name may show.
    removed = unpublished("removedparent", parent=spanish)
    make_comment(article=article, parent=removed, body=PUBLISHED["reply_under_a_removed_comment"])
    chain = spanish
    while chain.depth < settings.COMMENTS_MAX_DEPTH - 1:
        chain = make_comment(article=article, parent=chain)
    deepest = unpublished("removeddeepest", parent=chain)
    make_comment(article=article, parent=chain, replying_to=deepest)
    comments["removedparent"] = decided(removed, Comment.Status.REJECTED)
    comments["removeddeepest"] = decided(deepest, Comment.Status.SPAM)
    # A thread whose first comment was removed after it had a published reply: the thread is
    # listed on a page of its own, under a placeholder.
    opener = proposal(planted("removedopener"), author_name=f"Ana {STEM}removedopenername")
    make_comment(article=article, parent=opener, body=PUBLISHED["reply_under_a_removed_opener"])
    comments["removedopener"] = decided(opener, Comment.Status.REJECTED)

    for comment in comments.values():
        comment.refresh_from_db()
    assert_planted(comments)
    return comments


def assert_planted(comments: dict[str, Comment]) -> None:
    """Each planted text is where it should be: otherwise the visits below would prove nothing."""
    expected = {
        "pendingproposal": (Comment.Status.PENDING, "body"),
        "pendingreply": (Comment.Status.PENDING, "body"),
        "proposaledit": (Comment.Status.APPROVED, "pending_body"),
        "replyedit": (Comment.Status.APPROVED, "pending_body"),
        "rejectedreply": (Comment.Status.REJECTED, "body"),
        "spamreply": (Comment.Status.SPAM, "body"),
        "withdrawnreply": (Comment.Status.WITHDRAWN, "body"),
        "hiddenreply": (Comment.Status.PENDING, "body"),
        "hiddenproposal": (Comment.Status.PENDING, "body"),
        "hiddenreplyedit": (Comment.Status.PENDING, "pending_body"),
        "removedparent": (Comment.Status.REJECTED, "body"),
        "removeddeepest": (Comment.Status.SPAM, "body"),
        "removedopener": (Comment.Status.REJECTED, "body"),
    }
    for kind, (status, field) in expected.items():
        comment = comments[kind]
        assert comment.status == status, kind
        assert STEM in getattr(comment, field), kind
    for kind in ("hiddenreply", "hiddenproposal", "hiddenreplyedit"):
        assert comments[kind].rule == Rule.REPORTS, kind


@dataclass(frozen=True)
class Visit:
    url: str
    htmx: bool = False
    # An async view, asked in a thread of its own as a WSGI server would ask it: the browser
    # tests' driver may hold an event loop running in this one. (It reads no database.)
    own_thread: bool = False


def with_query(path: str, **query: str) -> str:
    query = {name: value for name, value in query.items() if value}
    return f"{path}?{urlencode(query)}" if query else path


def discussion_views(path: str) -> Iterator[Visit]:
    """A page of threads in every order, language and page, with made-up values too."""
    for sort in ("", "newest", "oldest", "supported"):
        for lang in ("", "en", "es"):
            for page in ("", "2", "3"):
                yield Visit(with_query(path, sort=sort, lang=lang, page=page))
                fragment = with_query(path, sort=sort, lang=lang, page=page, fragment="threads")
                yield Visit(fragment, htmx=True)
    for made_up in (
        {"sort": "loudest"},
        {"lang": "xx"},
        {"page": "99"},
        {"page": "last"},
        {"fragment": "everything"},
        {"mode": "unilateral"},
    ):
        yield Visit(with_query(path, **made_up))


def surfaces(article, comments: dict[str, Comment]) -> dict[str, list[Visit]]:
    """Every public URL of the site, by the part of the site it shows."""
    everyone = list(Comment.objects.order_by("pk"))
    top_level = [comment for comment in everyone if comment.parent_id is None]
    modes = ["", *SovereigntyMode.values, "made-up"]
    slug = article.slug
    someone = comments["pendingreply"].author_email
    return {
        "home": list(discussion_views(reverse("articles:home"))),
        "article": list(discussion_views(article.get_absolute_url())),
        "article in each language": [
            visit for code in ("en", "es") for visit in discussion_views(article.url_in(code))
        ],
        "threads": [
            *(
                Visit(with_query(reverse("comments:thread", args=[c.pk]), page=page), htmx=htmx)
                for c in top_level
                for page in ("", "2", "99", "last")
                for htmx in (False, True)
            ),
            *(
                Visit(with_query(reverse("comments:replies", args=[c.pk]), **query), htmx=htmx)
                for c in everyone
                for query in ({}, {"page": "2"}, {"fragment": "branch"})
                for htmx in (False, True)
            ),
            *(
                Visit(with_query(reverse("articles:unavailable-openers", args=[slug]), page=page))
                for page in ("", "2", "99", "last")
            ),
        ],
        "comment pages": [
            Visit(url, htmx=htmx)
            for c in everyone
            for url in (
                reverse("comments:permalink", args=[c.pk]),
                reverse("comments:reply", args=[c.pk]),
                reverse("comments:reply", args=[c.pk]) + "?fragment=form",
                reverse("board:rate", args=[c.pk]),
                reverse("comments:report", args=[c.pk]),
                reverse("comments:edit", args=[c.pk]),
            )
            for htmx in (False, True)
        ],
        "board": [
            Visit(with_query(reverse("board:board", args=[slug]), mode=mode), htmx=htmx)
            for mode in modes
            for htmx in (False, True)
        ],
        "downloads": [
            Visit(with_query(reverse(name, args=[slug, extension]), mode=mode))
            for name in ("board:board-download", "board:proposals-download")
            for extension in ("csv", "json", "xml")
            for mode in modes
        ],
        "feed": [
            Visit(with_query(url, page=page))
            for url in (
                reverse("board:feed", args=[slug]),
                *(
                    reverse("board:feed-in", kwargs={"slug": slug, "language": code})
                    for code in ("en", "es")
                ),
            )
            for page in ("", "2", "last")
        ],
        # What an open page is told changed: from the start of the history, lately, made up.
        "live changes": [
            Visit(with_query(reverse("articles:live", args=[slug]), since=since, lang=lang))
            for since in ("0", "1", str(int(time.time()) - 60), str(int(time.time()) + 999), "x")
            for lang in ("", "en", "es")
        ],
        # The same changes, sent as they happen where the server runs under ASGI (the test
        # client's is WSGI: it is told to ask instead). tests/comments/test_live_stream.py
        # reads what is sent.
        "live stream": [
            Visit(
                with_query(reverse("articles:live-stream", args=[slug]), since=since, lang=lang),
                own_thread=True,
            )
            for since in ("0", str(int(time.time()) - 60), "x")
            for lang in ("", "en", "xx")
        ],
        "open data explained": [
            Visit(reverse("board:data-dictionary")),
            *(
                Visit(reverse("board:schema", args=[name]))
                for name in ("proposals", "strategies", "made-up")
            ),
        ],
        "links in emails": [
            Visit(notifications.confirmation_url(someone).removeprefix(settings.SITE_URL)),
            Visit(notifications.unsubscribe_url(someone).removeprefix(settings.SITE_URL)),
            Visit(reverse("commenters:confirm-email", args=["made-up"])),
            Visit(reverse("commenters:unsubscribe", args=["made-up"])),
            # A valid link to revise a rejected reply shows it to its author, as the email
            # carrying the link quotes it: only links that do not work are anyone's.
            Visit(reverse("comments:revise", args=["made-up"])),
        ],
        "language switch": [
            Visit(with_query(reverse("set_language"), next=article.get_absolute_url()))
        ],
        "guidelines and privacy": [
            Visit(reverse("comments:guidelines")),
            Visit(reverse("commenters:privacy")),
        ],
        "health checks": [
            Visit(reverse("safeguards:health-live")),
            Visit(reverse("safeguards:health-ready")),
        ],
    }


class Reader:
    """An anonymous reader, who notes the URL pattern of every page reached and any planted word."""

    def __init__(self, language: str):
        self.client = Client(headers={"accept-language": language})
        self.leaks: list[tuple[str, list[str]]] = []
        self.statuses: dict[str, int] = {}

    def read(self, response, url: str) -> str:
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        found = sorted(set(FOUND.findall(body.lower())))
        if found:
            self.leaks.append((url, found))
        self.statuses[url] = response.status_code
        return body

    def visit(self, visit: Visit) -> str:
        headers = {"hx-request": "true"} if visit.htmx else {}
        if visit.own_thread:
            with ThreadPoolExecutor(max_workers=1) as thread:
                response = thread.submit(
                    self.client.get, visit.url, follow=True, headers=headers
                ).result()
        else:
            response = self.client.get(visit.url, follow=True, headers=headers)
        return self.read(response, visit.url + (" (htmx)" if visit.htmx else ""))

    def switch_language(self, language: str, next_url: str) -> str:
        response = self.client.post(
            reverse("set_language"), {"language": language, "next": next_url}, follow=True
        )
        return self.read(response, f"language switch to {language}, then {next_url}")


LANGUAGES = {
    # How the reader came to read the site in a language: its browser's, or the switch.
    "en": ("en", None),
    "es": ("es", None),
    "es by the switch": ("en", "es"),
    "en by the switch": ("es", "en"),
}
GROUPS = [
    "home",
    "article",
    "threads",
    "comment pages",
    "board",
    "downloads",
    "feed",
    "live changes",
    "live stream",
    "open data explained",
    "links in emails",
    "language switch",
    "guidelines and privacy",
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("group", GROUPS)
def test_no_public_page_shows_unmoderated_text(article, discussion, group, language):
    accept_language, switched_to = LANGUAGES[language]
    reader = Reader(accept_language)
    if switched_to:
        reader.switch_language(switched_to, article.get_absolute_url())
    home = reader.visit(Visit(reverse("articles:home")))
    assert f'<html lang="{switched_to or accept_language}">' in home
    assert PUBLISHED["newest"] in home

    for visit in surfaces(article, discussion)[group]:
        reader.visit(visit)

    assert reader.leaks == []
    assert set(reader.statuses.values()) <= {200, 204, 400, 404}, reader.statuses


def test_the_pages_visited_show_the_discussion(client, article, discussion):
    """The visits above read real pages: the published words are there, in the same responses."""
    thread = discussion["removedparent"].root_id
    pages = {
        reverse("comments:thread", args=[thread]): PUBLISHED["reply_under_a_removed_comment"],
        reverse("articles:unavailable-openers", args=[article.slug]): PUBLISHED[
            "reply_under_a_removed_opener"
        ],
        reverse("board:board", args=[article.slug]): PUBLISHED["proposal"],
        reverse("board:feed", args=[article.slug]): PUBLISHED["proposal"],
        reverse("board:feed-in", kwargs={"slug": article.slug, "language": "en"}): PUBLISHED[
            "proposal"
        ],
        reverse("board:feed-in", kwargs={"slug": article.slug, "language": "es"}): PUBLISHED[
            "newest"
        ],
        reverse("board:proposals-download", args=[article.slug, "json"]): PUBLISHED["proposal"],
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


def test_the_home_page_listing_several_articles_shows_no_unmoderated_text(article, discussion):
    make_article(title="Another article")
    reader = Reader("en")

    html = reader.visit(Visit(reverse("articles:home")))

    assert "Another article" in html
    assert reader.leaks == []


def public_routes() -> set[str]:
    """Every URL pattern of the site outside the admin, as the resolver writes its route."""

    def walk(patterns, prefix: str) -> Iterator[str]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    top = get_resolver().url_patterns
    return {route for route in walk(top, "") if not route.startswith("admin/")}


def test_every_public_url_pattern_is_visited(article, discussion):
    visits = [visit for group in surfaces(article, discussion).values() for visit in group]
    visited = {resolve(urlsplit(visit.url).path).route for visit in visits}

    assert public_routes() - POST_ONLY - visited == set(), (
        "A public page this module does not visit: add it to surfaces()."
    )


@pytest.mark.parametrize("route", sorted(POST_ONLY))
def test_the_pages_left_out_only_take_posts(client, article, discussion, route):
    assert route in public_routes()
    comment = discussion["pendingreply"]
    url = "/" + route.replace("<slug:slug>", article.slug).replace("<int:pk>", str(comment.pk))

    assert client.get(url).status_code == 405
