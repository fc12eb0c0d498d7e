"""A reader gets the article in their language: Spanish readers the Spanish version, English
readers the English one, each at an address of its own, and a word when a version is missing."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleTranslation
from articles.page_cache import article_state
from comments.models import Comment
from moderation import decisions
from tests.actions import in_language
from tests.factories import make_article, make_comment
from tests.mailbox import mails_to

pytestmark = pytest.mark.django_db

CONTENT = Path(settings.BASE_DIR) / "articles" / "content"
SPANISH_TITLE = (
    "México rechaza la intervención de Estados Unidos: ¿se avecina un giro en la estrategia "
    "de la guerra contra las drogas?"
)
SPANISH_QUESTION = (
    "¿Qué estrategias crees que serían más eficaces para combatir el narcotráfico y, "
    "al mismo tiempo, respetar la soberanía nacional?"
)
ENGLISH_QUESTION = (
    "What strategies do you believe would be most effective in combating drug trafficking "
    "while respecting national sovereignty?"
)
loading = importlib.import_module("articles.migrations.0007_load_the_spanish_translation")


def article_element(html: str) -> str:
    return re.search(r"<article class=\"article\"[^>]*>", html).group(0)


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


class TestTheTranslationShipsWithTheArticle:
    def test_it_is_kept_in_the_repository_beside_the_original(self):
        original = (CONTENT / "mexico-rejects-us-intervention.md").read_text()
        spanish = (CONTENT / "mexico-rejects-us-intervention.es.md").read_text()

        def headings(text):
            return re.findall(r"^(#+) ", text, flags=re.MULTILINE)

        def paragraphs(text):
            return [block for block in text.split("\n\n") if block.strip()]

        assert headings(spanish) == headings(original)
        assert len(paragraphs(spanish)) == len(paragraphs(original))

    def test_names_and_facts_are_unchanged(self):
        spanish = (CONTENT / "mexico-rejects-us-intervention.es.md").read_text()

        for name in (
            "Claudia Sheinbaum", "Trump", "Marco Rubio", "Council on Foreign Relations",
            "China", "Pacífico", "siglo XIX", "fentanilo", "Centroamérica",
        ):  # fmt: skip
            assert name in spanish, name
        assert "“colaboración y coordinación sin subordinación”" in spanish
        assert "la mitad de su territorio" in spanish

    def test_a_data_migration_loaded_it_with_the_original_untouched(self, article):
        spanish = article.translations.get(language="es")

        assert spanish.title == SPANISH_TITLE
        assert spanish.question == SPANISH_QUESTION
        assert spanish.lede.startswith("Crece el espectro de una presencia militar")
        assert "## La escalada de Trump y las preocupaciones históricas de México" in spanish.body
        assert "¡Comparte tu opinión" not in spanish.body
        assert article.language == "en"
        assert article.title.startswith("Mexico Rejects U.S. Intervention")
        assert article.question == ENGLISH_QUESTION

    def test_going_back_removes_it_and_coming_forward_loads_it_again(self, article):
        version = Article.objects.get(pk=article.pk).version

        loading.remove_translation(apps, None)
        assert not article.translations.exists()
        loading.load_translation(apps, None)

        assert article.translations.get(language="es").title == SPANISH_TITLE
        assert Article.objects.get(pk=article.pk).version == version + 2

    def test_an_editors_translation_is_never_overwritten_nor_removed(self, article):
        article.translations.filter(language="es").update(title="Título de la editora")

        loading.load_translation(apps, None)
        loading.remove_translation(apps, None)

        assert article.translations.get(language="es").title == "Título de la editora"


class TestEachReaderReadsTheirLanguage:
    def test_a_spanish_reader_gets_the_spanish_article(self, client, article):
        html = client.get(article.get_absolute_url(), headers=in_language("es")).content.decode()

        assert '<html lang="es">' in html
        assert 'lang="es"' in article_element(html)
        assert f"<title>{SPANISH_TITLE} · Foro Soberanía</title>" in html
        assert f">{SPANISH_TITLE}</h1>" in html
        assert "Crece el espectro de una presencia militar estadounidense" in html
        assert "<h2>El auge del fentanilo y la nueva dinámica del narcotráfico</h2>" in html
        assert f'class="discussion-question mb-2" lang="es">{SPANISH_QUESTION}</h2>' in html
        assert "The specter of a U.S. military presence" not in html
        assert "no está disponible" not in html

    def test_an_english_reader_gets_the_english_article(self, client, article):
        html = client.get(article.get_absolute_url(), headers=in_language("en")).content.decode()

        assert 'lang="en"' in article_element(html)
        assert "The specter of a U.S. military presence on Mexican soil is rising" in html
        assert "<h2>Trump’s Escalation and Mexico’s Historical Concerns</h2>" in html
        assert f'class="discussion-question mb-2" lang="en">{ENGLISH_QUESTION}</h2>' in html
        assert SPANISH_TITLE not in html

    def test_the_language_switch_brings_the_spanish_article(self, client, article):
        client.post(reverse("set_language"), {"language": "es", "next": "/"})

        html = client.get(article.get_absolute_url()).content.decode()

        assert f">{SPANISH_TITLE}</h1>" in html


class TestEachVersionHasItsOwnAddress:
    def test_the_pages_name_each_version_and_the_shared_address_as_alternates(
        self, client, article
    ):
        html = client.get(article.get_absolute_url()).content.decode()

        assert alternates(html) == {
            "en": settings.SITE_URL + "/en/articles/mexico-rejects-us-intervention/",
            "es": settings.SITE_URL + "/es/articles/mexico-rejects-us-intervention/",
            "x-default": settings.SITE_URL + "/articles/mexico-rejects-us-intervention/",
        }

    @pytest.mark.parametrize("browser", ["en", "es"])
    def test_each_alternate_serves_its_own_version_whatever_the_browser_asks(
        self, client, article, browser
    ):
        found = alternates(client.get(article.get_absolute_url()).content.decode())

        spanish = client.get(
            found["es"].removeprefix(settings.SITE_URL), headers=in_language(browser)
        )
        english = client.get(
            found["en"].removeprefix(settings.SITE_URL), headers=in_language(browser)
        )

        assert spanish.headers["Content-Language"] == "es"
        assert '<html lang="es">' in spanish.content.decode()
        assert f">{SPANISH_TITLE}</h1>" in spanish.content.decode()
        assert english.headers["Content-Language"] == "en"
        assert "The specter of a U.S. military presence" in english.content.decode()

    def test_a_version_is_its_own_canonical_page(self, client, article):
        html = client.get(article.url_in("es")).content.decode()

        canonical = settings.SITE_URL + article.url_in("es")
        assert f'<link rel="canonical" href="{canonical}">' in html

    def test_the_discussion_keeps_its_pages_in_that_language(self, client, article):
        for _ in range(settings.COMMENTS_THREADS_PER_PAGE + 1):
            make_comment(article=article)

        response = client.get(article.url_in("es") + "?page=2&sort=oldest")

        assert response.headers["Content-Language"] == "es"
        assert 'href="?page=1&amp;sort=oldest#discussion"' in response.content.decode()

    def test_the_language_switch_of_a_version_follows_the_readers_choice(self, client, article):
        html = client.get(article.url_in("es") + "?sort=oldest").content.decode()

        assert (
            '<input type="hidden" name="next" '
            'value="/articles/mexico-rejects-us-intervention/?sort=oldest">' in html
        )

    def test_an_unknown_language_has_no_page(self, client, article):
        assert client.get("/fr/articles/mexico-rejects-us-intervention/").status_code == 404

    def test_each_language_is_cached_as_its_own_page(self, client, article):
        client.get(article.url_in("es"))
        client.get(article.url_in("en"))

        spanish = client.get(article.get_absolute_url(), headers=in_language("es"))
        english = client.get(article.get_absolute_url(), headers=in_language("en"))

        assert f">{SPANISH_TITLE}</h1>" in spanish.content.decode()
        assert f">{SPANISH_TITLE}</h1>" not in english.content.decode()
        assert spanish.headers["ETag"] != english.headers["ETag"]


class TestAMissingVersionIsSaid:
    def test_a_spanish_reader_is_told_the_english_original_is_shown(self, client):
        untranslated = make_article(title="Only in English", lede="An English lede.")

        html = client.get(
            untranslated.get_absolute_url(), headers=in_language("es")
        ).content.decode()

        assert (
            "Este artículo todavía no está disponible en español; "
            "se muestra el original en inglés." in html
        )
        assert '<html lang="es">' in html
        assert 'lang="en"' in article_element(html)
        assert ">Only in English</h1>" in html
        assert alternates(html) == {}

    def test_an_english_reader_of_a_spanish_original_is_told_too(self, client):
        spanish_only = make_article(language="es", title="Solo en español", question="¿Qué opinas?")

        html = client.get(
            spanish_only.get_absolute_url(), headers=in_language("en")
        ).content.decode()

        assert "This article is not yet available in English; showing the Spanish original." in html
        assert 'lang="es"' in article_element(html)
        assert 'class="discussion-question mb-2" lang="es">¿Qué opinas?</h2>' in html

    def test_a_reader_of_the_version_in_their_language_is_told_nothing(self, client, article):
        for language in ("en", "es"):
            html = client.get(article.url_in(language)).content.decode()
            assert "article-language-notice" not in html


class TestTheTitleElsewhereIsInTheReadersLanguage:
    def test_the_thread_page_shows_the_spanish_question_and_title(self, client, article):
        root = make_comment(article=article)

        html = client.get(
            reverse("comments:thread", args=[root.pk]), headers=in_language("es")
        ).content.decode()

        assert f'<p class="question mb-0" lang="es">{SPANISH_QUESTION}</p>' in html
        assert f"<title>Hilo · {SPANISH_TITLE}</title>" in html

    def test_the_board_shows_the_spanish_title_and_question(self, client, article):
        html = client.get(
            reverse("board:board", args=[article.slug]), headers=in_language("es")
        ).content.decode()

        assert SPANISH_TITLE in html.split("</title>")[0]
        assert SPANISH_QUESTION in html

    def test_the_feed_is_titled_in_the_readers_language(self, client, article):
        feed = client.get(reverse("board:feed", args=[article.slug]), headers=in_language("es"))

        assert SPANISH_TITLE in feed.content.decode()

    def test_a_spanish_commenter_is_emailed_the_spanish_title(
        self, article, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        comment = make_comment(
            article=article, status="pending", language="es", author_email="ana@example.com"
        )

        with django_capture_on_commit_callbacks(execute=True):
            decisions.comment_moderate(
                comment=comment, status=Comment.Status.REJECTED, by=moderator, tell_author=True
            )

        (message,) = mails_to(mailoutbox, "ana@example.com")
        assert f"“{SPANISH_TITLE}”" in message.body


def change_form(article, **translation_fields) -> dict[str, str]:
    """What the article's admin page sends back, with its Spanish translation inline."""
    translation = article.translations.get(language="es")
    published = timezone.localtime(article.published)
    data = {
        "title": article.title,
        "slug": article.slug,
        "language": article.language,
        "published_0": published.strftime("%Y-%m-%d"),
        "published_1": published.strftime("%H:%M:%S"),
        "lede": article.lede,
        "body": article.body,
        "question": article.question,
        "discussion_open": "on",
        "discussion_closes_0": "",
        "discussion_closes_1": "",
        "moderation_mode": "",
        "translations-TOTAL_FORMS": "1",
        "translations-INITIAL_FORMS": "1",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
        "translations-0-id": str(translation.pk),
        "translations-0-article": str(article.pk),
    }
    fields = {
        "language": translation.language,
        "title": translation.title,
        "lede": translation.lede,
        "body": translation.body,
        "question": translation.question,
        **translation_fields,
    }
    data.update({f"translations-0-{name}": value for name, value in fields.items()})
    return data


class TestEditorsEditTheTranslationInTheAdmin:
    def test_the_article_page_of_the_admin_carries_its_translation(self, admin_client, article):
        html = admin_client.get(
            reverse("admin:articles_article_change", args=[article.pk])
        ).content.decode()

        assert 'name="translations-0-title"' in html
        assert SPANISH_TITLE in html

    def test_an_edited_translation_is_read_at_once_from_the_cached_pages(
        self, client, admin_client, article, django_capture_on_commit_callbacks
    ):
        assert f">{SPANISH_TITLE}</h1>" in client.get(article.url_in("es")).content.decode()
        state_before, _article = article_state(article.slug)

        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                reverse("admin:articles_article_change", args=[article.pk]),
                change_form(article, title="México dice no a la intervención"),
            )

        assert response.status_code == 302
        state_after, _article = article_state(article.slug)
        assert state_after.version == state_before.version + 1
        html = client.get(article.url_in("es")).content.decode()
        assert ">México dice no a la intervención</h1>" in html
        assert f">{SPANISH_TITLE}</h1>" not in html

    def test_an_edited_translation_is_read_at_once_from_the_cached_thread_and_board(
        self, client, admin_client, article, django_capture_on_commit_callbacks
    ):
        root = make_comment(article=article)
        pages = [
            reverse("comments:thread", args=[root.pk]),
            reverse("board:board", args=[article.slug]),
        ]
        for page in pages:
            assert SPANISH_TITLE in client.get(page, headers=in_language("es")).content.decode()

        with django_capture_on_commit_callbacks(execute=True):
            admin_client.post(
                reverse("admin:articles_article_change", args=[article.pk]),
                change_form(article, title="México dice no a la intervención"),
            )

        for page in pages:
            html = client.get(page, headers=in_language("es")).content.decode()
            assert "México dice no a la intervención" in html
            assert SPANISH_TITLE not in html

    def test_a_translation_into_the_original_language_is_refused_beside_its_field(
        self, admin_client, article
    ):
        response = admin_client.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            change_form(article, language="en"),
        )

        assert response.status_code == 200
        assert (
            "The article was written in this language: edit it above." in response.content.decode()
        )
        assert ArticleTranslation.objects.get(article=article).language == "es"
