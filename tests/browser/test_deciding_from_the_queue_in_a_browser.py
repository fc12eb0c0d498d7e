"""A moderator decides from the queue in headless Chromium: a reported comment with its
readers' reasons in view, and, in Spanish, three comments with the keyboard alone, one
decision undone."""

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment, ModerationDecision, Report, Rule
from tests.browser.devices import DESKTOP, PHONE
from tests.browser.sessions import sign_in
from tests.factories import ANA, LUIS, make_comment, report_by

pytestmark = [
    pytest.mark.browser,
    pytest.mark.on_postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

QUEUE = reverse("admin:comments_comment_queue")


@pytest.fixture
def desk(new_page, live_server, moderator):
    """A moderator's browser, signed in, in `language`."""

    def open_desk(language: str = "en", *, axe: bool = False, viewport=DESKTOP):
        page = sign_in(
            new_page(language=language, axe=axe, viewport=viewport), moderator, live_server
        )
        page.goto(live_server.url + QUEUE)
        return page

    return open_desk


def test_a_reported_comment_is_decided_with_its_reasons_in_view(
    desk, article, screenshot, axe_violations
):
    comment = make_comment(
        article=article,
        author_email="author@example.com",
        body="Cartels are run from Washington.",
    )
    report_by(ANA, comment, reason=Report.Reason.MISINFORMATION, text="No source at all.")
    report_by(LUIS, comment, reason=Report.Reason.ABUSE, text="Insults the reporter.")
    comment.decide(Comment.Status.PENDING, by=None, rule=Rule.REPORTS, rule_detail="2")

    page = desk(axe=True)

    item = page.locator(".queue-item", has_text="Cartels are run from Washington.")
    reports = item.get_by_role("region", name="Reported by 2 different readers")
    expect(reports).to_contain_text("Misinformation: “No source at all.”")
    expect(reports).to_contain_text("Abuse or harassment: “Insults the reporter.”")
    expect(item.get_by_role("button", name="Keep, dismiss the reports")).to_be_visible()
    expect(item.get_by_role("button", name="Approve")).to_have_count(0)
    # "Tell the author why" comes only with the removal.
    expect(item.get_by_label("Tell the author why by email (rejections)")).to_be_hidden()
    assert axe_violations(page) == []
    screenshot(page, "admin-queue-reported-comment")

    item.get_by_label("Reason").select_option("misinformation")
    item.get_by_role("button", name="Remove and tell the author why").click()

    expect(page.locator(".messagelist")).to_contain_text("1 comment is now rejected.")
    expect(page.locator(".queue-undo")).to_contain_text("are not recalled")
    assert axe_violations(page) == []
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    assert not Report.objects.filter(comment=comment, resolved__isnull=True).exists()
    assert [m.to for m in mail.outbox if m.to == ["author@example.com"]] == [["author@example.com"]]


def test_on_a_phone_in_spanish_every_decision_button_is_whole(desk, article, screenshot):
    make_comment(article=article, status="pending", body="Compartir inteligencia financiera.")
    reported = make_comment(article=article, body="Los cárteles se dirigen desde Washington.")
    report_by(ANA, reported, reason=Report.Reason.MISINFORMATION)
    reported.decide(Comment.Status.PENDING, by=None, rule=Rule.REPORTS, rule_detail="1")

    page = desk("es", viewport=PHONE)

    buttons = page.locator(".queue-buttons button")
    expect(buttons.filter(has_text="Retirar y decirle al autor por qué")).to_have_count(1)
    # The Spanish words are longer: the buttons wrap rather than run off the screen.
    cut_off = buttons.evaluate_all(
        "(all) => all.filter((b) => b.getBoundingClientRect().right > window.innerWidth).length"
    )
    assert cut_off == 0
    screenshot(page, "admin-queue-phone-es")


def test_a_keyboard_only_session_through_three_comments_in_spanish(desk, article, screenshot):
    first, second, third = (
        make_comment(article=article, status="pending", body=body)
        for body in [
            "Compartir inteligencia financiera.",
            "Todos son unos idiotas.",
            "Compre relojes baratos aquí.",
        ]
    )
    page = desk("es")

    expect(page.locator(".queue-keys")).to_contain_text("Teclas:")
    items = page.locator(".queue-item > article")
    # j and k move between the comments…
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(items.nth(1)).to_be_focused()
    page.keyboard.press("k")
    expect(items.nth(0)).to_be_focused()
    # …a, r and s decide the focused one; the next takes its place, focused.
    page.keyboard.press("a")
    expect(page.locator(".messagelist")).to_contain_text("aprobado")
    expect(items.first).to_contain_text("Todos son unos idiotas.")
    expect(items.first).to_be_focused()
    page.keyboard.press("r")
    expect(page.locator(".messagelist")).to_contain_text("rechazado")
    expect(items.first).to_contain_text("Compre relojes baratos aquí.")
    expect(items.first).to_be_focused()
    page.keyboard.press("s")
    expect(page.locator(".queue-undo")).to_contain_text("Puedes deshacer esa decisión")
    screenshot(page, "admin-queue-undo-es")
    # u takes back the last decision, on the record.
    page.keyboard.press("u")
    expect(page.locator(".messagelist")).to_contain_text("Decisión deshecha")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Compre relojes baratos aquí.")
    # The comment that came back has the focus: the keys work on it at once.
    expect(items.first).to_be_focused()

    statuses = {c.pk: c.status for c in Comment.objects.filter(pk__in=[first.pk, second.pk])}
    assert statuses == {first.pk: "approved", second.pk: "rejected"}
    third.refresh_from_db()
    assert third.status == Comment.Status.PENDING
    kinds = list(
        ModerationDecision.objects.filter(comment=third, moderator__isnull=False)
        .order_by("pk")
        .values_list("kind", "to_status")
    )
    assert kinds == [("decision", "spam"), ("undo", "pending")]
