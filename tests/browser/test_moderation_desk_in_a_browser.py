"""A moderator works the queues of the admin in headless Chromium."""

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Block, Comment, ModerationDecision, Reason, Report, WordRule
from moderation.decisions import comment_moderate
from tests.browser.devices import DESKTOP, PHONE
from tests.browser.sessions import sign_in
from tests.factories import make_comment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE_PATH = "/articles/mexico-rejects-us-intervention/"


@pytest.fixture
def desk(new_page, live_server):
    """A moderator's browser, logged in to the admin."""
    user = User.objects.create_user(
        "lucia", "lucia@example.com", "moderate-with-care-42", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    page = new_page()
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("lucia")
    page.get_by_label("Password").fill("moderate-with-care-42")
    page.get_by_role("button", name="Log in").click()
    return page


def test_a_moderator_works_the_queues(desk, new_page, live_server, article, screenshot, settings):
    settings.COMMENTS_REPORT_HIDE_THRESHOLD = 5
    rude = make_comment(article=article, status="pending", body="You are all idiots and traitors.")
    make_comment(article=article, status="pending", body="Share intelligence, keep sovereignty.")
    make_comment(article=article, status="pending", body="Fund the courts in Mexico.")
    reported = make_comment(article=article, body="Cartels are run from Washington.")

    # A reader reports a published comment from the article page.
    reader = new_page()
    reader.goto(live_server.url + ARTICLE_PATH)
    reader.locator(".comment", has_text="Cartels are run from Washington.").get_by_role(
        "link", name="Report"
    ).click()
    reader.get_by_label("Misinformation").check()
    reader.get_by_role("button", name="Send report").click()
    # Back at the comment, with the confirmation beside it.
    assert reader.url.endswith(f"#c{reported.pk}")
    assert "moderators will look" in reader.locator(f"#c{reported.pk} .comment-notice").inner_text()
    assert Report.objects.filter(comment=reported).count() == 1

    # The queues, with their counts, one click each.
    desk.goto(live_server.url + "/admin/comments/comment/")
    desk.get_by_role("link", name="Reported (1)").click()
    expect(desk.locator("#result_list tbody tr")).to_have_count(1)
    screenshot(desk, "admin-reported-queue-desktop")
    desk.get_by_role("link", name="Pending (3)").click()
    screenshot(desk, "admin-pending-queue-desktop")

    # One comment rejected on its own page, with a reason, the author told.
    desk.get_by_role("link", name="You are all idiots and traitors.").click()
    desk.get_by_label("Reason").select_option(Reason.PERSONAL_ATTACK)
    desk.get_by_label("Note").fill("Insults other readers")
    screenshot(desk, "admin-comment-decision-desktop")
    desk.get_by_role("button", name="Reject and tell the author why").click()
    assert "is now rejected" in desk.locator(".messagelist").inner_text()
    rude.refresh_from_db()
    assert rude.status == Comment.Status.REJECTED
    decision = ModerationDecision.objects.get(comment=rude, moderator__username="lucia")
    assert decision.reason == Reason.PERSONAL_ATTACK
    assert any("Personal attack" in message.body for message in mail.outbox)

    # The rest approved in bulk, with a reason.
    desk.goto(live_server.url + "/admin/comments/comment/?queue=pending")
    desk.locator("#action-toggle").check()
    desk.locator("select[name=action]").select_option("approve")
    desk.get_by_role("button", name="Run").click()
    assert "2 comments are now approved" in desk.locator(".messagelist").inner_text()

    # The history of the rejected comment, read back.
    desk.goto(live_server.url + f"/admin/comments/comment/{rude.pk}/change/")
    history = desk.locator("#decisions-group").inner_text()
    assert (
        "lucia" in history and "Personal attack" in history and "Insults other readers" in history
    )

    # A word rule and a block, added through their forms.
    desk.goto(live_server.url + "/admin/comments/wordrule/add/")
    desk.get_by_label("Word or phrase").fill("traidores")
    desk.get_by_label("Action").select_option("hold")
    desk.get_by_role("button", name="Save", exact=True).click()
    assert WordRule.objects.filter(phrase="traidores").exists()
    desk.goto(live_server.url + "/admin/comments/block/add/")
    desk.get_by_label("Email, @domain or IP network").fill("@spam.example")
    desk.get_by_role("button", name="Save", exact=True).click()
    assert Block.objects.filter(target="@spam.example").exists()
    screenshot(desk, "admin-blocks-desktop")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_moderator_decides_from_the_queue_page(
    new_page, live_server, article, screenshot, axe_violations, viewport
):
    user = User.objects.create_user("tomas", password="moderate-with-care-42", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    parent = make_comment(article=article, author_name="Ana", body="Share intelligence.")
    insult = make_comment(
        article=article, parent=parent, status="pending", body="Only a fool believes that."
    )
    others = [
        make_comment(article=article, status="pending", body=f"Proposal {n}: fund the courts.")
        for n in range(3)
    ]
    desk = new_page(viewport=viewport, axe=True)
    desk.goto(live_server.url + "/admin/login/?next=/admin/")
    desk.locator("#id_username").fill("tomas")
    desk.locator("#id_password").fill("moderate-with-care-42")
    desk.locator("input[type=submit]").click()

    # The count in the top bar leads to the queue, each comment in its context.
    desk.get_by_role("link", name="4 waiting for review").click()
    item = desk.locator(".queue-item", has_text="Only a fool believes that.")
    expect(item).to_contain_text("replying to Ana: Share intelligence.")
    assert axe_violations(desk) == []
    width = desk.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"]
    name = "desktop" if viewport is DESKTOP else "phone"
    screenshot(desk, f"admin-queue-page-{name}")

    # "Other" needs a note: refused where it was made, nothing recorded.
    item.get_by_label("Reason").select_option(Reason.OTHER)
    item.get_by_role("button", name="Reject", exact=True).click()
    expect(desk.locator(".errornote")).to_contain_text("Add a note")
    assert not ModerationDecision.objects.exists()
    item = desk.locator(".queue-item", has_text="Only a fool believes that.")
    expect(item.get_by_label("Note")).to_be_focused()
    item.get_by_label("Note").fill("Belittles other readers")
    item.get_by_role("button", name="Reject", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("1 comment is now rejected.")
    decision = ModerationDecision.objects.get(comment=insult)
    assert (decision.reason, decision.note) == (Reason.OTHER, "Belittles other readers")

    # The rest ticked at once and approved together.
    desk.get_by_label("Tick all on this page").check()
    desk.locator("#queue-bulk").get_by_role("button", name="Approve").click()
    expect(desk.locator(".messagelist")).to_contain_text("3 comments are now approved.")
    expect(desk.locator(".pending-banner")).to_contain_text("No comments await moderation.")
    assert {c.status for c in Comment.objects.filter(pk__in=[o.pk for o in others])} == {"approved"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_desk_passes_axe_in_both_colour_schemes(
    new_page, live_server, article, moderator, axe_violations, screenshot, viewport, scheme
):
    # A comment with a history and a report, a reply and a proposal waiting.
    published = make_comment(
        article=article, author_name="Ana", status="pending", body="Share intelligence."
    )
    comment_moderate(
        comment=published,
        status=Comment.Status.APPROVED,
        by=moderator,
        note="On topic, and a proposal the article asks for: approved after a second reading.",
    )
    Report.objects.create(
        comment=published,
        reason=Report.Reason.SPAM,
        text="Posted the same words under three articles this morning, word for word.",
        reader_key="a-reader",
    )
    make_comment(
        article=article, parent=published, status="pending", body="Only a fool believes that."
    )
    make_comment(article=article, status="pending", body="Fund the courts in Mexico.")
    desk = sign_in(
        new_page(viewport=viewport, axe=True, color_scheme=scheme), moderator, live_server
    )
    screens = {
        "home": reverse("admin:index"),
        "queue": reverse("admin:comments_comment_queue"),
        "figures": reverse("admin:comments_comment_desk"),
        "comments": reverse("admin:comments_comment_changelist"),
        "reported": reverse("admin:comments_comment_changelist") + "?queue=reported",
        "comment": reverse("admin:comments_comment_change", args=[published.pk]),
    }
    found = {}
    for name, path in screens.items():
        desk.goto(live_server.url + path)
        expect(desk.locator("#site-name")).to_be_visible()
        found[name] = axe_violations(desk)
    width = "desktop" if viewport is DESKTOP else "phone"
    screenshot(desk, f"admin-comment-{width}-{scheme}")

    failing = {name: violations for name, violations in found.items() if violations}
    assert not failing, "\n".join(
        f"{name}:\n" + "\n".join(f"  - {violation}" for violation in violations)
        for name, violations in failing.items()
    )
