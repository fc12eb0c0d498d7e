"""What the pages tell search engines and link previews: byline and dateline, description,
Open Graph and Twitter cards, an absolute canonical address, and schema.org data (JSON-LD) that
holds only published text."""

import json
import re

import pytest
from django.urls import reverse

from comments.models import Comment
from moderation import decisions
from tests.actions import in_language
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

SITE = "https://forum.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def json_ld(html: str) -> list:
    """Every JSON-LD block of the page, parsed."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert blocks, "No JSON-LD on the page"
    found = []
    for block in blocks:
        data = json.loads(block)
        found.extend(data if isinstance(data, list) else [data])
    return found


def of_type(html: str, kind: str) -> dict:
    (item,) = [item for item in json_ld(html) if item["@type"] == kind]
    return item


def all_comments(items: list[dict]) -> list[dict]:
    """Every Comment item in `items`, at any depth."""
    return [found for item in items for found in [item, *all_comments(item.get("comment", []))]]


def meta(html: str, attribute: str, name: str) -> str:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    assert match, f"No {name} on the page"
    return match.group(1)


def canonical(html: str) -> str:
    (link,) = re.findall(r'<link rel="canonical" href="([^"]*)">', html)
    return link


class TestTheArticlePage:
    def test_its_canonical_address_is_absolute(self, client, article):
        html = client.get("/").content.decode()

        assert canonical(html) == f"{SITE}/articles/mexico-rejects-us-intervention/"

    def test_a_later_page_of_threads_is_its_own_canonical_page(self, client, article, settings):
        settings.COMMENTS_THREADS_PER_PAGE = 1
        make_comment(article=article)
        make_comment(article=article)

        html = client.get(article.get_absolute_url() + "?page=2&sort=oldest").content.decode()

        assert canonical(html) == f"{SITE}{article.get_absolute_url()}?page=2"

    def test_it_has_a_description_and_open_graph_and_twitter_cards(self, client, article):
        html = client.get(article.get_absolute_url()).content.decode()

        description = meta(html, "name", "description")
        assert description.startswith("The specter of a U.S. military presence")
        assert len(description) <= 160 and description.endswith("…")
        assert meta(html, "property", "og:type") == "article"
        assert meta(html, "property", "og:title") == article.title
        assert meta(html, "property", "og:description") == description
        assert meta(html, "property", "og:url") == canonical(html)
        assert meta(html, "property", "og:locale") == "en_US"
        assert meta(html, "name", "twitter:card") == "summary"
        assert meta(html, "name", "twitter:title") == article.title

    def test_the_spanish_article_describes_itself_in_spanish_at_its_own_address(
        self, client, article
    ):
        spanish = article.text_in("es")
        assert spanish.language == "es"  # The translation the site ships with.

        html = client.get(article.url_in("es")).content.decode()

        assert canonical(html) == f"{SITE}{article.url_in('es')}"
        assert meta(html, "property", "og:locale") == "es_MX"
        assert meta(html, "property", "og:title") == spanish.title
        assert meta(html, "name", "description").startswith(spanish.lede[:40])
        news = of_type(html, "NewsArticle")
        assert (news["inLanguage"], news["headline"], news["url"]) == (
            "es",
            spanish.title,
            canonical(html),
        )
        posting = of_type(html, "DiscussionForumPosting")
        assert (posting["headline"], posting["isPartOf"]) == (
            spanish.question,
            {"@id": news["@id"]},
        )

    def test_without_a_byline_the_page_names_the_publication_and_the_date(self, client, article):
        html = client.get(article.get_absolute_url()).content.decode()

        byline = html.split('class="article-byline', 1)[1].split("</p>", 1)[0]
        assert "Sovereignty Forum" in byline
        assert "By " not in byline
        assert f'<time datetime="{article.published:%Y-%m-%dT%H:%M:%SZ}">' in byline
        assert of_type(html, "NewsArticle")["author"]["@type"] == "Organization"

    def test_a_byline_set_in_the_admin_names_the_author(self, client, article):
        article.byline = "Ana Pérez"
        article.save()
        Article = type(article)
        Article.objects.filter(pk=article.pk).mark_changed()

        html = client.get(article.get_absolute_url()).content.decode()

        assert '<span class="byline">By Ana Pérez</span>' in html
        assert of_type(html, "NewsArticle")["author"] == {"@type": "Person", "name": "Ana Pérez"}

    def test_its_news_article_data_describes_the_article(self, client, article):
        html = client.get(article.get_absolute_url()).content.decode()

        news = of_type(html, "NewsArticle")
        assert news["@context"] == "https://schema.org"
        assert news["headline"] == article.title
        assert news["url"] == news["mainEntityOfPage"] == canonical(html)
        assert news["datePublished"].startswith(f"{article.published:%Y-%m-%dT%H:%M:%S}")
        assert news["publisher"]["name"] == "Sovereignty Forum"
        assert news["inLanguage"] == "en"


class TestTheDiscussionsData:
    def test_it_holds_the_published_comments_the_page_shows_nested_as_shown(self, client, article):
        opener = make_comment(article=article, author_name="Ana", body="Share intelligence.")
        reply = make_comment(article=article, parent=opener, body="Agreed, as equals.")

        html = client.get(article.get_absolute_url()).content.decode()

        posting = of_type(html, "DiscussionForumPosting")
        assert posting["headline"] == article.question
        assert posting["commentCount"] == 2
        (item,) = posting["comment"]
        assert item["@type"] == "Comment"
        assert item["text"] == "Share intelligence."
        assert item["author"] == {"@type": "Person", "name": "Ana"}
        assert item["url"] == f"{SITE}/comments/{opener.pk}/"
        assert [child["text"] for child in item["comment"]] == ["Agreed, as equals."]
        assert item["comment"][0]["url"] == f"{SITE}/comments/{reply.pk}/"

    def test_it_never_holds_a_readers_own_reply_awaiting_moderation(
        self, client, article, returning_reader_key
    ):
        make_comment(
            article=article,
            body="Mine, still waiting.",
            reader_key=returning_reader_key,
            status=Comment.Status.PENDING,
        )
        make_comment(article=article, body="Published.")

        html = client.get(article.get_absolute_url()).content.decode()

        assert "Mine, still waiting." in html  # Shown to its author on the page...
        texts = [
            item["text"]
            for item in all_comments(of_type(html, "DiscussionForumPosting")["comment"])
        ]
        assert texts == ["Published."]  # ...never in the page's data.

    def test_it_holds_the_approved_text_not_an_edit_awaiting_moderation(self, client, article):
        make_comment(article=article, body="Approved words.", pending_body="Unvetted edit.")

        html = client.get(article.get_absolute_url()).content.decode()

        posting = of_type(html, "DiscussionForumPosting")
        assert [item["text"] for item in posting["comment"]] == ["Approved words."]
        assert "Unvetted edit." not in html

    def test_a_published_reply_under_a_removed_comment_stays_without_it(
        self, client, article, moderator
    ):
        opener = make_comment(article=article, body="Opener.")
        removed = make_comment(article=article, parent=opener, body="Removed later.")
        make_comment(article=article, parent=removed, body="Still published.")
        decisions.comment_moderate(comment=removed, status=Comment.Status.REJECTED, by=moderator)

        html = client.get(article.get_absolute_url()).content.decode()

        (item,) = of_type(html, "DiscussionForumPosting")["comment"]
        assert [child["text"] for child in item["comment"]] == ["Still published."]
        assert "Removed later." not in html

    def test_text_that_would_close_the_script_element_stays_inside_it(self, client, article):
        body = '</script><script>alert("x")</script> & <!-- more'
        make_comment(article=article, body=body)

        html = client.get(article.get_absolute_url()).content.decode()

        data = html.split("</footer>", 1)[1]
        assert "<script>alert" not in data and "<!--" not in data
        (item,) = of_type(html, "DiscussionForumPosting")["comment"]
        assert item["text"] == body


class TestThreadAndBoardPages:
    def test_a_thread_page_has_an_absolute_canonical_address_and_its_opener_as_description(
        self, client, article
    ):
        opener = make_comment(article=article, body="Joint investigations, not troops.")
        make_comment(article=article, parent=opener, body="A reply.")

        html = client.get(reverse("comments:thread", args=[opener.pk])).content.decode()

        assert canonical(html) == f"{SITE}/comments/{opener.pk}/thread/"
        assert meta(html, "name", "description") == "Joint investigations, not troops."
        assert meta(html, "property", "og:url") == canonical(html)
        item = of_type(html, "DiscussionForumPosting")["comment"][0]
        assert [child["text"] for child in item["comment"]] == ["A reply."]

    def test_a_thread_whose_opener_was_removed_is_described_by_the_question(
        self, client, article, moderator
    ):
        opener = make_comment(article=article, body="Removed opener.")
        make_comment(article=article, parent=opener, body="A published reply.")
        decisions.comment_moderate(comment=opener, status=Comment.Status.REJECTED, by=moderator)

        html = client.get(reverse("comments:thread", args=[opener.pk])).content.decode()

        assert "Removed opener." not in html
        assert meta(html, "name", "description").startswith("What strategies do you believe")
        texts = [item["text"] for item in of_type(html, "DiscussionForumPosting")["comment"]]
        assert texts == ["A published reply."]

    def test_the_board_has_an_absolute_canonical_address_and_a_description(self, client, article):
        html = client.get(reverse("board:board", args=[article.slug]) + "?mode=bilateral")
        html = html.content.decode()

        assert canonical(html) == f"{SITE}/articles/{article.slug}/strategies/"
        assert meta(html, "name", "description").startswith("Readers' answers to")
        assert meta(html, "property", "og:title").startswith("Strategies board · ")


@pytest.mark.parametrize("path", ["/community-guidelines/", "/privacy/"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_guidelines_and_the_notice_have_their_own_canonical_address(client, path, language):
    html = client.get(path, headers=in_language(language)).content.decode()

    assert canonical(html) == f"{SITE}{path}"
    assert meta(html, "name", "description")
    assert meta(html, "property", "og:url") == f"{SITE}{path}"
