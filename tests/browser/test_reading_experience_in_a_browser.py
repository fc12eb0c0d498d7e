"""Readers on phones and desktops, in English and Spanish, with and without JavaScript."""

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from comments import notifications, readers
from comments.models import Comment, SovereigntyMode, Strategy
from safeguards.views import too_many_requests
from tests.browser.devices import DESKTOP, PHONE
from tests.factories import make_comment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.on_postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE_PATH = "/articles/mexico-rejects-us-intervention/"
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}
# The browser that wrote the reply awaiting moderation.
AUTHOR_TOKEN = "the-authors-browser"


@pytest.fixture
def discussion(article):
    threads = [
        make_comment(article=article, body=f"Answer number {i}: fund the courts.")
        for i in range(25)
    ]
    for i in range(3):
        make_comment(article=article, parent=threads[-1], body=f"A reply {i} to the newest answer.")
    return threads


@pytest.fixture
def every_kind_of_comment(article, discussion):
    """Beside the discussion: a rated proposal with strategies, and a reply awaiting moderation
    that its author still sees (from the browser of AUTHOR_TOKEN)."""
    proposal = make_comment(
        article=article,
        body="Shared financial intelligence, without foreign troops.",
        sovereignty_mode=SovereigntyMode.BILATERAL,
        rating_count=3,
        works_total=12,
        respects_total=14,
    )
    proposal.strategies.set(Strategy.objects.all()[:2])
    pending = make_comment(
        article=article,
        parent=proposal,
        status=Comment.Status.PENDING,
        reader_key=readers.digest(AUTHOR_TOKEN),
        body="My reply, still waiting for a moderator.",
    )
    return {
        "proposal": proposal,
        "pending": pending,
        "newest": discussion[-1],
        **long_thread(article),
        "unavailable-opener": unavailable_opener(article),
    }


def long_thread(article) -> dict[str, Comment]:
    """A thread long enough, with its pages made small, to be read in pages, its first
    branch folded on its page to its first reply and opened whole on a page of its own."""
    opener = make_comment(article=article, body="A thread read in pages.")
    branches = [make_comment(article=article, parent=opener, body=f"Branch {n}.") for n in range(5)]
    for n in range(4):
        make_comment(article=article, parent=branches[0], body=f"An answer {n} to the first.")
    return {"long": opener, "branch": branches[0]}


def unavailable_opener(article) -> Comment:
    """A thread whose first comment was removed and whose reply is published."""
    opener = make_comment(article=article, status=Comment.Status.REJECTED)
    make_comment(article=article, parent=opener, body="A reply still worth reading.")
    return opener


@pytest.fixture
def small_thread_pages(settings):
    settings.COMMENTS_BRANCHES_PER_PAGE = 3
    settings.COMMENTS_THREAD_PAGE_REPLIES = 5
    settings.COMMENTS_BRANCH_PREVIEW = 1


def reader_pages(article, comments) -> dict[str, str]:
    """Every public page a reader opens, by name (the error pages the server draws aside)."""
    proposal, pending, newest = comments["proposal"], comments["pending"], comments["newest"]
    email = pending.author_email
    return {
        "home": reverse("articles:home"),
        "article": ARTICLE_PATH,
        "article-page-2": ARTICLE_PATH + "?page=2",
        "article-in-english": article.url_in("en"),
        "article-in-spanish": article.url_in("es"),
        # Lands on the article with the comment highlighted (:target).
        "permalink": reverse("comments:permalink", args=[newest.pk]),
        "thread": reverse("comments:thread", args=[newest.pk]),
        "long-thread": reverse("comments:thread", args=[comments["long"].pk]),
        "long-thread-page-2": reverse("comments:thread", args=[comments["long"].pk]) + "?page=2",
        "branch-replies": reverse("comments:replies", args=[comments["branch"].pk]),
        "unavailable-openers": reverse("articles:unavailable-openers", args=[article.slug]),
        "board": reverse("board:board", args=[article.slug]),
        "community-guidelines": reverse("comments:guidelines"),
        "privacy-notice": reverse("commenters:privacy"),
        "reply-form": reverse("comments:reply", args=[newest.pk]),
        "rate-form": reverse("board:rate", args=[proposal.pk]),
        "report-form": reverse("comments:report", args=[newest.pk]),
        "edit-form": reverse("comments:edit", args=[pending.pk]),
        "confirm-email": notifications.confirmation_url(email).removeprefix(settings.SITE_URL),
        "unsubscribe": notifications.unsubscribe_url(email).removeprefix(settings.SITE_URL),
        "link-invalid": reverse("commenters:unsubscribe", args=["made-up"]),
        "not-found": "/no-such-page/",
    }


def fulfilled_with(body: bytes):
    def fulfil(route):
        route.fulfill(body=body, content_type="text/html")

    return fulfil


def serve_error_pages(page, base_url: str, language: str) -> dict[str, str]:
    """The 429, 500 and 503 pages as the server draws them, served at addresses of their own."""
    with translation.override(language):
        request = RequestFactory().get("/", headers={"accept-language": language})
        bodies = {
            "too-many-requests": too_many_requests(
                request, retry_after=120, unsent_text="Words I do not want to lose."
            ).content,
            "server-error": render_to_string("500.html").encode(),
            "unavailable": render_to_string("503.html").encode(),
        }
    addresses = {}
    for name, body in bodies.items():
        address = f"{base_url}/error-pages/{name}/"
        page.route(address, fulfilled_with(body))
        addresses[name] = address
    return addresses


# Each page at both widths, in both colour schemes and in both languages: pairwise, since the
# colours do not depend on the language, and what fits a phone's width is seen in both.
VIEWS = [
    ("phone", "en", "light"),
    ("phone", "es", "dark"),
    ("desktop", "es", "light"),
    ("desktop", "en", "dark"),
]


@pytest.mark.parametrize(
    ("width", "language", "scheme"), VIEWS, ids=["-".join(view) for view in VIEWS]
)
def test_every_page_reads_well_and_passes_axe(
    new_page,
    live_server,
    article,
    every_kind_of_comment,
    small_thread_pages,
    axe_violations,
    screenshot,
    language,
    width,
    scheme,
):
    page = new_page(viewport=WIDTHS[width], language=language, axe=True, color_scheme=scheme)
    page.context.add_cookies(
        [
            {
                "name": settings.READER_COOKIE_NAME,
                "value": readers.cookie_value(AUTHOR_TOKEN),
                "url": live_server.url,
            }
        ]
    )
    pages = {
        name: live_server.url + path
        for name, path in reader_pages(article, every_kind_of_comment).items()
    }
    pages.update(serve_error_pages(page, live_server.url, language))
    found = {}
    for name, url in pages.items():
        page.goto(url)
        # The article at its address in one language is in that language, whoever reads it.
        written_in = {"article-in-english": "en", "article-in-spanish": "es"}.get(name, language)
        assert page.evaluate("document.documentElement.lang") == written_in, name
        assert page.evaluate("document.documentElement.dataset.bsTheme") == scheme, name
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
        found[name] = axe_violations(page)
        if name == "long-thread":
            # Read in pages, a branch folded to its first reply.
            expect(page.locator(".more-replies")).to_have_count(1)
            expect(page.locator(".thread-pages").first).to_be_visible()
        if name in ("article", "thread", "board", "long-thread", "unavailable-openers"):
            screenshot(page, f"{name}-{width}-{language}-{scheme}")

    # The reply form and the rating form with their errors shown, without JavaScript's help.
    page.goto(live_server.url + ARTICLE_PATH)
    # With JavaScript the button appears once the reader is in the form.
    page.locator("#reply-form textarea").click()
    page.locator("#reply-form button[type=submit]").click()
    expect(page.locator(".form-error-summary")).to_be_visible()
    found["reply-errors"] = axe_violations(page)
    screenshot(page, f"reply-errors-{width}-{language}-{scheme}")
    page.goto(pages["rate-form"])
    page.locator("form[action*=rate]").get_by_role("button").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    found["rate-errors"] = axe_violations(page)

    failing = {name: violations for name, violations in found.items() if violations}
    assert not failing, "\n".join(
        f"{name}:\n" + "\n".join(f"  - {violation}" for violation in violations)
        for name, violations in failing.items()
    )


def test_errors_are_announced_and_linked_to_their_fields(new_page, live_server, article):
    page = new_page(javascript=False)
    page.goto(live_server.url + ARTICLE_PATH)
    page.get_by_role("textbox", name="Your name").fill("Ana")
    page.get_by_role("button", name="Post reply").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Your reply was not posted")
    summary.get_by_role("link", name="Email").click()
    expect(page.locator("#id_author_email")).to_be_focused()
    expect(page.get_by_role("textbox", name="Email")).to_have_attribute("aria-invalid", "true")


def test_with_javascript_replying_opens_inline_and_posting_updates_the_thread_in_place(
    new_page, live_server, discussion
):
    page = new_page()
    page.goto(live_server.url + ARTICLE_PATH)
    page.evaluate("window.notReloaded = true")
    newest = page.locator(f"#thread-{discussion[-1].pk}")

    newest.get_by_role("link", name="Reply").first.click()
    form = newest.locator("form")
    expect(form).to_be_visible()
    # In the reply slot of the comment answered, and nowhere else.
    expect(page.locator(f"#c{discussion[-1].pk} > .reply-slot form")).to_have_count(1)
    expect(page.locator(".reply-slot form")).to_have_count(1)
    # The reply's text first; the name and email follow.
    expect(form.get_by_role("textbox", name="Your reply")).to_be_focused()
    form.get_by_role("textbox", name="Your reply").fill("Inline and in place.")
    form.get_by_role("textbox", name="Your name").fill("Luis")
    form.get_by_role("textbox", name="Email").fill("luis@example.com")
    form.get_by_role("button", name="Post reply").click()

    expect(newest.locator(".comment", has_text="Inline and in place.")).to_contain_text(
        "Awaiting moderation"
    )
    # Announced in the thread, where the reader wrote it.
    expect(page.locator(f"#thread-status-{discussion[-1].pk}")).to_contain_text("awaits moderation")
    assert page.evaluate("window.notReloaded") is True
    assert page.url == live_server.url + ARTICLE_PATH
    assert Comment.objects.get(body="Inline and in place.").parent_id == discussion[-1].pk


def test_with_javascript_a_top_level_answer_appears_at_the_top_and_the_form_is_emptied(
    new_page, live_server, discussion
):
    page = new_page()
    page.goto(live_server.url + ARTICLE_PATH)
    page.evaluate("window.notReloaded = true")
    main_form = page.locator("#main-reply-form")
    main_form.get_by_role("textbox", name="Your reply").fill("A fresh answer at the top.")
    main_form.get_by_role("textbox", name="Your name").fill("Ana")
    main_form.get_by_role("textbox", name="Email").fill("ana@example.com")
    main_form.get_by_role("button", name="Post reply").click()

    expect(page.locator("#comment-list > li").first).to_contain_text("A fresh answer at the top.")
    expect(main_form.get_by_role("textbox", name="Your reply")).to_have_value("")
    assert page.evaluate("window.notReloaded") is True


def test_with_javascript_errors_show_in_place_and_keep_the_text(new_page, live_server, article):
    page = new_page()
    page.goto(live_server.url + ARTICLE_PATH)
    main_form = page.locator("#main-reply-form")
    main_form.get_by_role("textbox", name="Your reply").fill("Words I do not want to lose.")
    main_form.get_by_role("button", name="Post reply").click()

    expect(main_form.get_by_role("alert")).to_contain_text("Your reply was not posted")
    expect(main_form.get_by_role("textbox", name="Your reply")).to_have_value(
        "Words I do not want to lose."
    )
    assert not Comment.objects.exists()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_more_threads_load(new_page, live_server, discussion, javascript):
    page = new_page(javascript=javascript)
    page.goto(live_server.url + ARTICLE_PATH)
    expect(page.locator("li.thread")).to_have_count(20)

    page.get_by_role("link", name="Show more threads").click()

    if javascript:
        expect(page.locator("li.thread")).to_have_count(25)
        assert page.url == live_server.url + ARTICLE_PATH
    else:
        expect(page.locator("li.thread")).to_have_count(5)
        assert "page=2" in page.url


def test_the_language_follows_the_browser_and_a_visible_switch_that_is_remembered(
    new_page, live_server, article
):
    page = new_page(language="es")
    page.goto(live_server.url + ARTICLE_PATH)
    assert page.evaluate("document.documentElement.lang") == "es"

    page.get_by_role("button", name="English").click()
    assert page.evaluate("document.documentElement.lang") == "en"
    page.goto(live_server.url + ARTICLE_PATH)
    assert page.evaluate("document.documentElement.lang") == "en"


def test_the_keyboard_reaches_everything_with_a_visible_focus(new_page, live_server, discussion):
    page = new_page()
    page.goto(live_server.url + ARTICLE_PATH)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Reply":
            break
    focus_style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle + '|' + s.boxShadow; })()"
    )
    assert focus_style != "none|none"
