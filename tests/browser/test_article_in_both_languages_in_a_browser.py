"""A Spanish-speaking reader, on a phone or a desktop, reads the article in Spanish."""

import pytest
from playwright.sync_api import expect

from tests.browser.devices import DESKTOP, PHONE
from tests.factories import make_article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE_PATH = "/articles/mexico-rejects-us-intervention/"
SPANISH_TITLE = (
    "México rechaza la intervención de Estados Unidos: ¿se avecina un giro en la estrategia "
    "de la guerra contra las drogas?"
)
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_a_spanish_reader_reads_the_spanish_article(
    new_page, live_server, article, axe_violations, screenshot, width, scheme
):
    # Only the article and its form: the comments' own colours are checked with the discussion.
    page = new_page(viewport=WIDTHS[width], language="es", axe=True)
    page.emulate_media(color_scheme=scheme)

    page.goto(live_server.url + ARTICLE_PATH)

    expect(page.locator("article.article h1")).to_have_text(SPANISH_TITLE)
    expect(page.locator("article.article")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="¿Una nueva era de cooperación en seguridad regional?"))
    expect(page.locator(".discussion-question")).to_contain_text("¿Qué estrategias crees")
    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []
    screenshot(page, f"article-in-spanish-{width}-{scheme}")


def test_the_spanish_address_serves_spanish_to_an_english_browser(new_page, live_server, article):
    page = new_page(language="en")

    page.goto(live_server.url + "/es" + ARTICLE_PATH)

    expect(page.locator("article.article h1")).to_have_text(SPANISH_TITLE)
    assert page.evaluate("document.documentElement.lang") == "es"
    english = page.locator('link[rel="alternate"][hreflang="en"]:not([type])').get_attribute("href")
    assert english.endswith("/en" + ARTICLE_PATH)


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_a_missing_version_is_said_above_the_original(
    new_page, live_server, axe_violations, screenshot, width
):
    untranslated = make_article(title="Only in English", lede="An English lede.")
    page = new_page(viewport=WIDTHS[width], language="es", axe=True)

    page.goto(live_server.url + untranslated.get_absolute_url())

    notice = page.get_by_role("note")
    expect(notice).to_have_text(
        "Este artículo todavía no está disponible en español; se muestra el original en inglés."
    )
    expect(page.locator("article.article")).to_have_attribute("lang", "en")
    assert axe_violations(page) == []
    screenshot(page, f"article-not-yet-in-spanish-{width}")
