"""The replies feeds: one per language and one of every reply, each entry in its own language,
dated by the approval of the text readers see, paged past the newest 50 (RFC 5005)."""

from datetime import timedelta
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from board.feed import PAGE_SIZE
from comments.models import Comment, ModerationDecision
from comments.posting import comment_edit
from moderation.decisions import comment_moderate
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
AUTHOR_KEY = "the-authors-browser"
SPANISH_TITLE_START = "México rechaza la intervención"


def feed_in(article, language: str) -> str:
    return reverse("board:feed-in", kwargs={"slug": article.slug, "language": language})


def read(client, url: str, language: str = "en") -> ElementTree.Element:
    response = client.get(url, headers={"accept-language": language})
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 - the site's own feed


def entries(feed: ElementTree.Element) -> list[ElementTree.Element]:
    return feed.findall(f"{ATOM}entry")


def links(feed: ElementTree.Element) -> dict[str, str]:
    """The feed's own links by relation, as paths (the feed gives absolute addresses)."""
    found = {}
    for link in feed.findall(f"{ATOM}link"):
        parts = urlsplit(link.get("href"))
        found[link.get("rel")] = parts.path + (f"?{parts.query}" if parts.query else "")
    return found


def the_entry(client, url: str) -> dict:
    (entry,) = entries(read(client, url))
    return {
        "title": entry.findtext(f"{ATOM}title"),
        "updated": entry.findtext(f"{ATOM}updated"),
    }


def rfc3339(moment) -> str:
    return moment.isoformat()


class TestLanguages:
    @pytest.fixture
    def replies(self, article):
        return {
            "en": make_comment(article=article, body="Follow the money.", language="en"),
            "es": make_comment(article=article, body="Sigan el dinero.", language="es"),
        }

    @pytest.mark.parametrize(("language", "browser"), [("en", "es"), ("es", "en")])
    def test_a_language_s_feed_holds_its_replies_in_its_language_whatever_the_browser_asks(
        self, client, article, replies, language, browser
    ):
        feed = read(client, feed_in(article, language), browser)

        assert feed.get(XML_LANG) == language
        (entry,) = entries(feed)
        assert entry.get(XML_LANG) == language
        assert replies[language].body in entry.findtext(f"{ATOM}summary")
        assert links(feed)["alternate"] == article.url_in(language)

    def test_the_spanish_feed_is_titled_in_spanish(self, client, article, replies):
        feed = read(client, feed_in(article, "es"), "en")

        title = feed.findtext(f"{ATOM}title")
        assert title.startswith("Respuestas a")
        assert SPANISH_TITLE_START in title
        assert "¿Qué estrategias" in feed.findtext(f"{ATOM}subtitle")

    def test_the_english_feed_is_titled_in_english(self, client, article, replies):
        feed = read(client, feed_in(article, "en"), "es")

        assert feed.findtext(f"{ATOM}title").startswith("Replies to “Mexico Rejects")

    def test_the_feed_of_every_language_marks_each_entry_with_its_own(
        self, client, article, replies
    ):
        feed = read(client, reverse("board:feed", args=[article.slug]), "es")

        languages = {
            entry.findtext(f"{ATOM}summary"): entry.get(XML_LANG) for entry in entries(feed)
        }
        assert languages == {"<p>Follow the money.</p>": "en", "<p>Sigan el dinero.</p>": "es"}
        # Its own words (title, subtitle) are in the reader's language.
        assert feed.get(XML_LANG) == "es"

    def test_the_article_page_names_each_language_s_feed_at_its_absolute_address(
        self, client, article, settings
    ):
        html = client.get(article.get_absolute_url()).content.decode()

        for language in ("en", "es"):
            assert (
                f'<link rel="alternate" type="application/atom+xml" hreflang="{language}" '
                f'href="{settings.SITE_URL}{feed_in(article, language)}"'
            ) in html


class TestUpdated:
    def test_a_reply_is_dated_by_its_approval_not_its_posting(self, client, article, moderator):
        posted = timezone.now() - timedelta(hours=3)
        comment = make_comment(article=article, status=Comment.Status.PENDING, created=posted)

        comment_moderate(comment=comment, status=Comment.Status.APPROVED, by=moderator)

        approval = comment.decisions.get().created
        entry = the_entry(client, feed_in(article, "en"))
        assert entry["updated"] == rfc3339(approval)
        assert approval > posted

    def test_an_approved_edit_moves_updated_a_waiting_or_refused_one_does_not(
        self, client, article, moderator
    ):
        posted = timezone.now() - timedelta(minutes=5)
        comment = make_comment(
            article=article, body="Independent prosecutors", created=posted, reader_key=AUTHOR_KEY
        )
        url = feed_in(article, "en")
        first = the_entry(client, url)
        assert first["updated"] == rfc3339(posted)

        comment_edit(comment=comment, body="Send the marines", reader_key=AUTHOR_KEY)
        waiting = the_entry(client, url)
        comment_moderate(comment=comment, status=Comment.Status.REJECTED, by=moderator)
        refused = the_entry(client, url)

        assert waiting == first and refused == first
        assert "marines" not in waiting["title"] + refused["title"]

        comment_edit(comment=comment, body="Shared intelligence", reader_key=AUTHOR_KEY)
        comment_moderate(comment=comment, status=Comment.Status.APPROVED, by=moderator)
        approved = the_entry(client, url)

        comment.refresh_from_db()
        approval = ModerationDecision.objects.filter(comment=comment).first().created
        assert "Shared intelligence" in approved["title"]
        assert approved["updated"] == rfc3339(comment.edited) > first["updated"]
        assert comment.edited >= approval - timedelta(seconds=1)

    def test_the_feed_is_as_recent_as_its_latest_approval(self, client, article, moderator):
        make_comment(article=article, created=timezone.now() - timedelta(days=1))
        late = make_comment(
            article=article,
            status=Comment.Status.PENDING,
            created=timezone.now() - timedelta(days=2),
        )
        comment_moderate(comment=late, status=Comment.Status.APPROVED, by=moderator)

        feed = read(client, feed_in(article, "en"))

        # Approved last, first in the feed, though posted first.
        first = entries(feed)[0]
        assert first.findtext(f"{ATOM}updated") == feed.findtext(f"{ATOM}updated")
        assert first.findtext(f"{ATOM}updated") == rfc3339(late.decisions.get().created)


class TestPaging:
    @pytest.fixture
    def replies(self, article) -> list[Comment]:
        start = timezone.now() - timedelta(days=1)
        return [
            make_comment(article=article, created=start + timedelta(minutes=n), language="es")
            for n in range(120)
        ]

    def test_120_replies_are_three_pages_linked_by_next_each_reply_once(
        self, client, article, replies
    ):
        url = feed_in(article, "es")
        seen: list[str] = []
        pages = []
        while url:
            feed = read(client, url)
            pages.append(links(feed))
            seen += [entry.findtext(f"{ATOM}id") for entry in entries(feed)]
            url = pages[-1].get("next")

        assert len(pages) == 3
        assert len(seen) == len(set(seen)) == 120
        expected = [f"http://testserver{c.get_absolute_url()}" for c in reversed(replies)]
        assert seen == expected, "newest first, each reply once"
        first = feed_in(article, "es")
        assert [page.get("first") for page in pages] == [first] * 3
        assert [page.get("previous") for page in pages] == [None, first, f"{first}?page=2"]
        assert [page["self"] for page in pages] == [first, f"{first}?page=2", f"{first}?page=3"]
        assert "next" not in pages[-1]

    def test_a_page_holds_page_size_entries(self, client, article, replies):
        assert len(entries(read(client, feed_in(article, "es")))) == PAGE_SIZE == 50

    @pytest.mark.parametrize("page", ["0", "-1", "two", "2.5", "4", "99999999999", ""])
    def test_a_page_that_does_not_exist_is_not_found(self, client, article, replies, page):
        response = client.get(feed_in(article, "es"), {"page": page})

        assert response.status_code == 404

    def test_an_empty_feed_is_one_page_without_next(self, client, article):
        feed = read(client, feed_in(article, "es"))

        assert entries(feed) == [] and "next" not in links(feed)

    @pytest.mark.parametrize("size", [10, 120])
    @pytest.mark.parametrize("page", ["1", "2"])
    def test_a_page_costs_two_queries(self, client, article, django_assert_num_queries, size, page):
        start = timezone.now() - timedelta(days=1)
        Comment.objects.bulk_create(
            Comment(
                article=article,
                author_name=f"Reader {n}",
                author_email=f"reader{n}@example.com",
                body=f"Reply {n}.",
                status=Comment.Status.APPROVED,
                created=start + timedelta(seconds=n),
            )
            for n in range(size)
        )
        query = {"page": page} if size > PAGE_SIZE else {}

        # The article in the feed's language, the page of replies.
        with django_assert_num_queries(2):
            response = client.get(feed_in(article, "en"), query)

        assert response.status_code == 200


class TestOnlyPublished:
    @pytest.mark.parametrize(
        "status", [Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.SPAM]
    )
    @pytest.mark.parametrize("language", ["en", "es"])
    def test_a_reply_not_published_is_in_no_feed(self, client, article, status, language):
        make_comment(article=article, body="Published words.", language=language)
        make_comment(article=article, body="Unpublished words.", language=language, status=status)

        for url in (reverse("board:feed", args=[article.slug]), feed_in(article, language)):
            text = client.get(url).content.decode()
            assert "Published words." in text
            assert "Unpublished words." not in text
