"""Issue 14's reader, end to end: on a 360 × 640 phone in Spanish, the article in Spanish,
replies within two screens of its end, and an answer posted in a few taps."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.devices import SMALL_PHONE
from tests.factories import make_comment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE_PATH = "/articles/mexico-rejects-us-intervention/"
SPANISH_TITLE_START = "México rechaza la intervención de Estados Unidos"


@pytest.fixture
def discussion(article):
    for number in range(5):
        root = make_comment(
            article=article,
            body="La inteligencia financiera compartida golpea más que cualquier soldado. " * 4
            + f"Respuesta {number}.",
            language="es",
        )
        make_comment(article=article, parent=root, body="Estoy de acuerdo. " * 10, language="es")


def test_a_spanish_reader_on_a_phone_reads_the_article_sees_replies_and_answers(
    new_page, live_server, discussion, screenshot
):
    page = new_page(viewport=SMALL_PHONE, language="es")
    page.goto(live_server.url + ARTICLE_PATH)

    article = page.locator("article.article")
    expect(article).to_have_attribute("lang", "es")
    expect(article.locator("h1")).to_contain_text(SPANISH_TITLE_START)
    gap = page.evaluate(
        """() => document.querySelector("#comment-list .comment").getBoundingClientRect().top
                 - document.querySelector("article.article").getBoundingClientRect().bottom"""
    )
    assert 0 < gap <= 2 * SMALL_PHONE["height"], gap

    # A few taps: the text, the name, the email, then post.
    form = page.locator("#main-reply-form")
    form.get_by_role("textbox", name="Tu respuesta").fill(
        "Rastrear las armas que cruzan hacia el sur, sin tropas extranjeras."
    )
    form.get_by_role("textbox", name="Tu nombre").fill("Lucía")
    form.get_by_role("textbox", name="Correo electrónico").fill("lucia@example.mx")
    form.get_by_role("button", name="Publicar respuesta").click()

    expect(page.locator("#composer-status")).to_contain_text("pendiente de moderación")
    screenshot(page, "spanish-reader-answered-phone")
    posted = Comment.objects.get(author_name="Lucía")
    assert posted.is_pending
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
