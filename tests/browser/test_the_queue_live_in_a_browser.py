"""Two moderators work the queue at once, in two headless Chromium browsers: each sees which
comment the other is reading, a comment one decides loses its buttons on the other's screen,
and a comment arriving meanwhile is announced."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment, ModerationDecision, Rule
from tests.browser.sessions import sign_in
from tests.factories import make_comment, make_moderator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.on_postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

QUEUE = reverse("admin:comments_comment_queue")
WITHIN = 5_000  # ms


@pytest.fixture(autouse=True)
def pages_ask_every_second(settings):
    settings.COMMENTS_LIVE_POLL_SECONDS = 1


@pytest.fixture
def desk(new_page, live_server):
    def open_desk(user):
        page = sign_in(new_page(), user, live_server)
        page.goto(live_server.url + QUEUE)
        return page

    return open_desk


def test_two_moderators_see_each_other_and_what_the_other_decided(desk, article, screenshot):
    maria = make_moderator("maria")
    maria.first_name = "María"
    maria.save()
    jorge = make_moderator("jorge")
    first = make_comment(article=article, status=Comment.Status.PENDING, body="Follow the money.")
    second = make_comment(article=article, status=Comment.Status.PENDING, body="Close the banks.")
    at_marias, at_jorges = desk(maria), desk(jorge)

    # María reads the first comment (j gives it the keyboard's focus); Jorge reads the second.
    at_marias.keyboard.press("j")
    at_jorges.keyboard.press("j")
    at_jorges.keyboard.press("j")

    expect(at_jorges.locator(f"#queue-{first.pk} .queue-presence")).to_have_text(
        "María is reading this comment.", timeout=WITHIN
    )
    expect(at_marias.locator(f"#queue-{second.pk} .queue-presence")).to_have_text(
        "jorge is reading this comment.", timeout=WITHIN
    )
    expect(at_marias.locator(f"#queue-{first.pk} .queue-presence")).to_have_count(0)
    at_jorges.screenshot(path=str(screenshot.directory / "admin-queue-presence.png"))

    # María approves the first: on Jorge's screen it says so, and its buttons are gone.
    at_marias.locator(f"#queue-{first.pk}").get_by_role("button", name="Approve").click()
    expect(at_jorges.locator(f"#queue-{first.pk} .queue-decided")).to_have_text(
        "Decided meanwhile: Approved (María).", timeout=WITHIN
    )
    expect(at_jorges.locator(f"#queue-{first.pk}").get_by_role("button")).to_have_count(0)

    # A reply arrives: both are told, and Show brings it into the queue.
    arrived = make_comment(article=article, status=Comment.Status.PENDING, body="A new one.")
    ModerationDecision.objects.record(
        comment=arrived, from_status="", to_status=Comment.Status.PENDING, rule=Rule.PRE_MODERATION
    )
    arrivals = at_jorges.locator(".queue-arrivals")
    expect(arrivals).to_contain_text("1 new comment waiting", timeout=WITHIN)
    arrivals.get_by_role("button", name="Show").click()
    expect(at_jorges.locator(f"#queue-{arrived.pk}")).to_contain_text("A new one.")
    expect(at_jorges.locator(f"#queue-{first.pk}")).to_have_count(0)
