"""The compact composer on a 360 × 640 phone: the first replies within two screens of the
article's end, the text asked first and the rest revealed once the reader writes, the
name and email remembered; without JavaScript the whole form is shown and works."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment, Strategy
from tests.browser.devices import DESKTOP, SMALL_PHONE
from tests.factories import make_comment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE_PATH = "/articles/mexico-rejects-us-intervention/"
PROMPT = {"en": "Your reply", "es": "Tu respuesta"}
NAME = {"en": "Your name", "es": "Tu nombre"}
POST = {"en": "Post reply", "es": "Publicar respuesta"}
LONG = (
    "Follow the money: shared financial intelligence would hurt the cartels more than "
    "any soldier could, and it needs no foreign boots on Mexican soil. "
)


@pytest.fixture
def discussion(article):
    threads = []
    for i in range(6):
        root = make_comment(article=article, body=LONG * 3 + f"Answer {i}.")
        root.strategies.set(Strategy.objects.all()[:3])
        make_comment(article=article, parent=root, body="A reply. " * 20)
        threads.append(root)
    return threads


def distance_from_the_article_to_the_first_reply(page) -> float:
    return page.evaluate(
        """() => {
          const top = (selector) => document.querySelector(selector).getBoundingClientRect();
          return top("#comment-list .comment").top - top("article.article").bottom;
        }"""
    )


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_on_a_small_phone_the_first_reply_is_within_two_screens_of_the_articles_end(
    new_page, live_server, discussion, language, javascript
):
    page = new_page(viewport=SMALL_PHONE, language=language, javascript=javascript)
    page.goto(live_server.url + ARTICLE_PATH)

    gap = distance_from_the_article_to_the_first_reply(page)

    assert 0 < gap <= 2 * SMALL_PHONE["height"], gap
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("language", ["en", "es"])
def test_with_javascript_the_text_comes_first_and_the_rest_once_the_reader_writes(
    new_page, live_server, discussion, language
):
    page = new_page(viewport=SMALL_PHONE, language=language)
    page.goto(live_server.url + ARTICLE_PATH)
    form = page.locator("#main-reply-form")
    text = form.get_by_role("textbox", name=PROMPT[language])
    name = form.get_by_role("textbox", name=NAME[language])

    expect(text).to_be_visible()
    expect(name).to_be_hidden()
    expect(form.get_by_role("button", name=POST[language])).to_be_hidden()
    compact = form.bounding_box()["height"]

    text.click()
    text.press_sequentially("Hola")
    # Written to, the form stays whole even when the reader looks elsewhere.
    page.locator("article.article h1").click()

    expect(name).to_be_visible()
    expect(form.get_by_role("button", name=POST[language])).to_be_visible()
    assert form.bounding_box()["height"] > compact
    assert compact < 200, compact


def test_with_javascript_the_strategies_are_chips_and_the_post_is_announced_at_the_form(
    new_page, live_server, discussion, screenshot
):
    page = new_page(viewport=SMALL_PHONE)
    page.goto(live_server.url + ARTICLE_PATH)
    page.evaluate("window.notReloaded = true")
    form = page.locator("#main-reply-form")
    form.get_by_role("textbox", name="Your reply").fill("Trace the guns going south.")
    form.get_by_role("textbox", name="Your name").fill("Ana")
    form.get_by_role("textbox", name="Email").fill("ana@example.com")
    chip = form.get_by_role("checkbox", name="Stopping arms trafficking into Mexico")
    expect(chip).to_be_hidden()  # In the optional step, closed.

    form.get_by_text("Add strategies and sovereignty (optional)").click()
    form.locator("label", has_text="Stopping arms trafficking into Mexico").click()
    form.locator("label", has_text="Bilateral, with consent").click()
    expect(chip).to_be_checked()
    screenshot(page, "composer-open-phone-en")
    form.get_by_role("button", name="Post reply").click()

    status = page.locator("#composer-status")
    expect(status).to_contain_text("awaits moderation")
    expect(status).to_have_attribute("aria-live", "polite")
    assert page.evaluate("window.notReloaded") is True
    posted = Comment.objects.get(author_name="Ana")
    assert [s.slug for s in posted.strategies.all()] == ["arms-trafficking"]
    assert posted.sovereignty_mode == "bilateral"
    # The fresh form, compact again, has this reader's name and email for the next reply.
    expect(form.locator("input[name=author_name]")).to_have_value("Ana")

    page.reload()
    page.locator("#main-reply-form textarea").click()
    expect(form.get_by_role("textbox", name="Your name")).to_have_value("Ana")
    expect(form.get_by_role("textbox", name="Email")).to_have_value("ana@example.com")


def test_without_javascript_the_whole_form_is_shown_and_works_and_remembers(
    new_page, live_server, discussion, moderator
):
    page = new_page(viewport=SMALL_PHONE, javascript=False)
    page.goto(live_server.url + ARTICLE_PATH)
    form = page.locator("#main-reply-form")

    expect(form.get_by_role("textbox", name="Your name")).to_be_visible()
    expect(form.get_by_role("textbox", name="Email")).to_be_visible()
    expect(form.get_by_role("button", name="Post reply")).to_be_visible()
    form.get_by_role("textbox", name="Your reply").fill("Courts first, then everything else.")
    form.get_by_role("textbox", name="Your name").fill("Luis")
    form.get_by_role("textbox", name="Email").fill("luis@example.com")
    form.get_by_text("Add strategies and sovereignty (optional)").click()
    form.locator("label", has_text="Domestic action only").click()
    form.get_by_role("button", name="Post reply").click()

    # Beside the reply, on the page that shows it.
    expect(page.locator(".comment-notice")).to_contain_text("awaits moderation")
    assert Comment.objects.get(author_name="Luis").sovereignty_mode == "domestic"
    page.goto(live_server.url + ARTICLE_PATH)
    expect(form.get_by_role("textbox", name="Your name")).to_have_value("Luis")
    expect(form.get_by_role("textbox", name="Email")).to_have_value("luis@example.com")

    # Another reader's browser never sees them.
    other = new_page(viewport=SMALL_PHONE, javascript=False)
    other.goto(live_server.url + ARTICLE_PATH)
    expect(
        other.locator("#main-reply-form").get_by_role("textbox", name="Your name")
    ).to_have_value("")
    assert "luis@example.com" not in other.content()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_discussion_reads_well_and_passes_axe(
    new_page, live_server, discussion, axe_violations, screenshot, scheme, language, width
):
    make_comment(article=discussion[0].article, featured=True, body="An editor's pick.")
    page = new_page(
        viewport=SMALL_PHONE if width == "phone" else DESKTOP, language=language, axe=True
    )
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + ARTICLE_PATH + "#discussion")
    page.locator("#main-reply-form textarea").click()
    page.locator("#main-reply-form summary").click()

    assert axe_violations(page) == []
    screenshot(page, f"discussion-{width}-{scheme}-{language}")
