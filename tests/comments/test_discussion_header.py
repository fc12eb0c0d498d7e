"""The discussion's header: its question, how many replies in words, its orders and views,
and the way to the community guidelines. Editors' picks are a view of their own."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from articles.models import Article
from tests.actions import in_language
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def ago(minutes: int):
    return timezone.now() - timedelta(minutes=minutes)


def header_of(html: str) -> str:
    return html.split('<header class="discussion-header', 1)[1].split("</header>", 1)[0]


def thread_ids(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('<li class="thread" id="thread-')[1:]]


def test_the_question_is_the_headings_text(client, article):
    header = header_of(client.get(article.get_absolute_url()).content.decode())

    assert f'class="discussion-question mb-2" lang="en">{article.question}</h2>' in header


@pytest.mark.parametrize(
    ("language", "published", "words"),
    [
        ("en", 1, "1 reply"),
        ("en", 9078, "9,078 replies"),
        ("es", 1, "1 respuesta"),
        ("es", 9078, "9,078 respuestas"),
    ],
)
def test_the_count_is_said_in_words_in_the_readers_language(article, language, published, words):
    # The counter the page reads, as thousands of published replies leave it.
    Article.objects.filter(pk=article.pk).update(published_count=published)

    html = Client().get(article.get_absolute_url(), headers=in_language(language))

    assert f'<strong class="discussion-count">{words}</strong>' in header_of(html.content.decode())


def test_the_header_links_to_the_community_guidelines(client, article):
    header = header_of(client.get(article.get_absolute_url()).content.decode())

    assert '<a class="guidelines-link" href="/community-guidelines/">' in header
    assert ">Community guidelines</a>" in header


class TestEditorsPicks:
    @pytest.fixture
    def discussion(self, article):
        return {
            "old pick": make_comment(article=article, created=ago(300), featured=True),
            "new": make_comment(article=article, created=ago(10)),
            "new pick": make_comment(article=article, created=ago(100), featured=True),
            "old": make_comment(article=article, created=ago(200)),
        }

    def test_they_are_not_pinned_above_the_newest(self, client, article, discussion):
        html = client.get(article.get_absolute_url()).content.decode()

        names = ["new", "new pick", "old", "old pick"]
        assert thread_ids(html) == [str(discussion[name].pk) for name in names]

    def test_nor_above_the_oldest(self, client, article, discussion):
        html = client.get(article.get_absolute_url() + "?sort=oldest").content.decode()

        names = ["old pick", "old", "new pick", "new"]
        assert thread_ids(html) == [str(discussion[name].pk) for name in names]

    def test_their_view_shows_only_them_newest_first(self, client, article, discussion):
        html = client.get(article.get_absolute_url() + "?sort=picks").content.decode()

        picks = [discussion["new pick"].pk, discussion["old pick"].pk]
        assert thread_ids(html) == [str(pk) for pk in picks]
        assert '<a class="nav-link active" aria-current="page" href="?sort=picks' in html

    def test_their_view_is_a_tab_beside_the_orders(self, client, article, discussion):
        html = client.get(article.get_absolute_url()).content.decode()
        tabs = html.split('class="sort-tabs"', 1)[1].split("</nav>", 1)[0]

        for label in ("Newest first", "Oldest first", "Most supported", "Editor’s picks"):
            assert f">{label}</a>" in tabs

    def test_in_spanish_too(self, client, article, discussion):
        html = client.get(article.get_absolute_url(), headers=in_language("es")).content.decode()

        assert ">Selección editorial</a>" in html.split('class="sort-tabs"', 1)[1]

    def test_an_empty_view_says_so(self, client, article):
        make_comment(article=article)

        html = client.get(article.get_absolute_url() + "?sort=picks").content.decode()

        assert "The editors have not picked any replies yet." in html

    @override_settings(COMMENTS_THREADS_PER_PAGE=1)
    def test_a_page_beyond_their_last_is_their_last_page_from_the_cache(
        self, client, article, discussion
    ):
        last = client.get(article.get_absolute_url() + "?sort=picks&page=2")

        beyond = client.get(article.get_absolute_url() + "?page=40&sort=picks&utm=x")

        assert thread_ids(last.content.decode()) == [str(discussion["old pick"].pk)]
        assert beyond["ETag"] == last["ETag"]
        assert not beyond.templates  # Served from the cache, not drawn again.
