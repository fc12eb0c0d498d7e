"""A real browser enforces the Content Security Policy, and the moderation admin works under it."""

import pytest

from articles.models import Article
from comments.models import Comment
from tests.factories import make_article, make_comment, make_moderator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Reports every violation the browser sees to the test, on every page the tab opens.
LISTEN_FOR_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || location.pathname}:${event.lineNumber}`);
});
"""


@pytest.fixture
def watched_page(new_page):
    """A page, and the list its CSP violations (events and console messages) are collected in."""
    page = new_page()
    violations: list[str] = []

    def report(violation: str) -> None:
        violations.append(violation)

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.expose_function("reportViolation", report)
    page.add_init_script(LISTEN_FOR_VIOLATIONS)
    page.on("console", on_console)
    return page, violations


def test_a_moderator_works_the_queue_under_the_policy(watched_page, live_server, screenshot):
    make_moderator("maria")
    pending = make_comment(
        article=Article.objects.get(slug="mexico-rejects-us-intervention"),
        body="Stop the guns going south.",
        status=Comment.Status.PENDING,
    )
    page, violations = watched_page

    response = page.goto(live_server.url + "/admin/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    page.get_by_label("Username").fill("maria")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/admin/comments/comment/")

    page.locator("input[name=_selected_action]").first.check()
    # The admin's own JavaScript runs: it counts the selection.
    assert page.locator(".action-counter").inner_text().startswith("1 of")
    page.locator("select[name=action]").select_option("approve")
    page.get_by_role("button", name="Run").click()
    screenshot(page, "admin-queue-under-csp")

    assert "approved" in page.locator(".messagelist").inner_text()
    pending.refresh_from_db()
    assert pending.status == Comment.Status.APPROVED
    assert violations == []


def test_the_policy_blocks_an_injected_inline_script(watched_page, live_server):
    page, violations = watched_page
    page.goto(live_server.url + make_article().get_absolute_url())

    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            """() => {
              const script = document.createElement("script");
              script.textContent = "window.injected = true";
              document.body.append(script);
            }"""
        )

    assert page.evaluate("window.injected") is None
    assert any("script-src" in violation for violation in violations)
