"""Readers filter the threads by the language they were started in, and are told plainly
when a language has no replies yet while others do."""

import pytest

from tests.actions import in_language
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def threads_in(client, article, lang: str, *, reader_language: str = "en") -> str:
    url = f"{article.get_absolute_url()}?lang={lang}"
    return client.get(url, headers=in_language(reader_language)).content.decode()


def test_a_language_with_no_replies_says_so_when_others_have_replied(client, article):
    make_comment(article=article, language="en", body="Only English so far.")

    html = threads_in(client, article, "es")

    assert "No replies in Spanish yet." in html
    assert "No replies have been published yet" not in html
    assert 'href="?sort=newest#discussion">See the replies in every language</a>' in html


def test_a_spanish_reader_is_told_in_spanish(client, article):
    make_comment(article=article, language="es", body="Solo en español.")

    html = threads_in(client, article, "en", reader_language="es")

    assert "Todavía no hay respuestas en inglés." in html
    assert "Ver las respuestas en todos los idiomas" in html


def test_a_discussion_with_no_replies_at_all_invites_the_first(client, article):
    html = threads_in(client, article, "es")

    assert "No replies have been published yet. Be the first to answer." in html
    assert "No replies in Spanish yet." not in html


def test_a_language_with_replies_shows_them_and_no_empty_message(client, article):
    make_comment(article=article, language="es", body="Hay que seguir el dinero.")

    html = threads_in(client, article, "es")

    assert "Hay que seguir el dinero." in html
    assert "no-replies" not in html
