"""An article loaded for a reader carries its text in their language and the languages it can be
read in, read in the query that loads it; an article loaded otherwise still finds them."""

import pytest

from articles.models import Article
from comments.models import Comment
from tests.factories import make_article, make_comment, make_translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def translated():
    article = make_article(title="Water rights", language="en")
    make_translation(article, "es", "Derechos del agua")
    return article


class TestAnArticleLoadedInALanguage:
    def test_it_is_read_in_that_language_with_no_query_of_its_own(
        self, translated, django_assert_num_queries
    ):
        with django_assert_num_queries(1):
            article = Article.objects.in_language("es").get(pk=translated.pk)
            text = article.text_in("es")
            languages = article.languages

        assert text.language == "es"
        assert text.title == "Derechos del agua"
        assert text.question == "¿Qué opinas?"
        assert languages == ["en", "es"]

    def test_its_original_costs_no_query_either(self, translated, django_assert_num_queries):
        with django_assert_num_queries(1):
            article = Article.objects.in_language("en").get(pk=translated.pk)
            text = article.text_in("en")
            languages = article.languages

        assert (text.language, text.title) == ("en", "Water rights")
        assert languages == ["en", "es"]

    def test_an_untranslated_article_is_read_in_its_original(self, django_assert_num_queries):
        untranslated = make_article(title="Only in English", language="en")

        with django_assert_num_queries(1):
            article = Article.objects.in_language("es").get(pk=untranslated.pk)
            text = article.text_in("es")
            languages = article.languages

        assert (text.language, text.title) == ("en", "Only in English")
        assert languages == ["en"]

    def test_each_article_of_a_list_gets_its_own_translation(self, translated):
        other = make_article(title="Borders", language="en")
        make_translation(other, "es", "Fronteras")

        titles = {
            article.pk: article.text_in("es").title
            for article in Article.objects.in_language("es").filter(
                pk__in=[translated.pk, other.pk]
            )
        }

        assert titles == {translated.pk: "Derechos del agua", other.pk: "Fronteras"}

    def test_it_still_finds_a_language_it_was_not_loaded_in(self, django_assert_num_queries):
        spanish_original = make_article(title="Derechos del agua", language="es")
        make_translation(spanish_original, "en", "Water rights")
        article = Article.objects.in_language("es").get(pk=spanish_original.pk)

        with django_assert_num_queries(1):
            english = article.text_in("en")

        assert (english.language, english.title) == ("en", "Water rights")


class TestAnArticleLoadedWithoutItsTexts:
    def test_its_translations_are_read_in_one_query(self, translated, django_assert_num_queries):
        article = Article.objects.get(pk=translated.pk)

        with django_assert_num_queries(1):
            spanish = article.text_in("es")
            languages = article.languages

        assert spanish.title == "Derechos del agua"
        assert languages == ["en", "es"]

    def test_its_original_needs_no_query(self, translated, django_assert_num_queries):
        article = Article.objects.get(pk=translated.pk)

        with django_assert_num_queries(0):
            assert article.text_in("en").title == "Water rights"


class TestTheArticleOfAComment:
    def test_it_comes_in_the_readers_language_in_the_comments_query(
        self, translated, django_assert_num_queries
    ):
        comment = make_comment(article=translated)

        with django_assert_num_queries(1):
            loaded = Comment.objects.with_article_in("es").get(pk=comment.pk)
            text = loaded.article.text_in("es")
            languages = loaded.article.languages

        assert text.title == "Derechos del agua"
        assert languages == ["en", "es"]

    def test_an_untranslated_article_comes_in_its_original(self, django_assert_num_queries):
        comment = make_comment(article=make_article(title="Only in English", language="en"))

        with django_assert_num_queries(1):
            loaded = Comment.objects.with_article_in("es").get(pk=comment.pk)
            text = loaded.article.text_in("es")

        assert (text.language, text.title) == ("en", "Only in English")
