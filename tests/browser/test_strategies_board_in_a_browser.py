"""A proposal is tagged, rated by two readers on two networks, and moves on the board."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE_PATH = "/articles/mexico-rejects-us-intervention/"
BOARD_PATH = ARTICLE_PATH + "strategies/"


def rate(page, live_server, *, works: int, respects: int) -> None:
    page.goto(live_server.url + ARTICLE_PATH)
    page.locator(".comment", has_text="Trace the guns").get_by_role("link", name="Rate").click()
    page.get_by_role("group", name="Would it work?").get_by_label(str(works)).check()
    page.get_by_role("group", name="Does it respect national sovereignty?").get_by_label(
        str(respects)
    ).check()
    page.get_by_role("button", name="Save my rating").click()
    # Back at the proposal, the confirmation beside it.
    rated = page.locator(".comment", has_text="Trace the guns")
    expect(rated.locator(".comment-notice")).to_contain_text("your rating is counted")
    assert page.url.endswith(f"#{rated.get_attribute('id')}")


@pytest.fixture
def readers_behind_a_proxy(settings):
    """The live server trusts one proxy, so each browser can come from a network of its own."""
    settings.TRUSTED_PROXY_COUNT = 1


def test_a_tagged_proposal_is_rated_by_two_readers_and_moves_on_the_board(
    new_page, live_server, moderator, screenshot, readers_behind_a_proxy
):
    author = new_page()
    author.goto(live_server.url + ARTICLE_PATH)
    author.get_by_role("textbox", name="Your reply").fill(
        "Trace the guns that cross the border south."
    )
    author.get_by_role("textbox", name="Your name").fill("Ana")
    author.get_by_role("textbox", name="Email").fill("ana@example.com")
    # The strategies and the mode are an optional step, as chips.
    author.get_by_text("Add strategies and sovereignty (optional)").click()
    author.locator("label", has_text="Stopping arms trafficking into Mexico").click()
    author.locator("label", has_text="Bilateral, with consent").click()
    author.get_by_role("button", name="Post reply").click()
    expect(author.locator("#composer-status")).to_contain_text("awaits moderation")
    Comment.objects.get(author_name="Ana").approve(by=moderator)

    board = new_page()
    board.goto(live_server.url + BOARD_PATH)
    row = board.locator("#board-table tr[data-strategy=arms-trafficking]")
    expect(row).to_contain_text("1")
    expect(board.locator("circle[data-strategy=arms-trafficking]")).to_have_count(0)

    rate(new_page(network_address="198.51.100.7"), live_server, works=5, respects=4)
    rate(new_page(network_address="203.0.113.9"), live_server, works=3, respects=2)

    board.reload()
    cells = row.locator("td")
    expect(cells.nth(0)).to_have_text("1")
    expect(cells.nth(1)).to_have_text("2")
    expect(cells.nth(2)).to_have_text("4.0")
    expect(cells.nth(3)).to_have_text("3.0")
    expect(board.locator("circle[data-strategy=arms-trafficking]")).to_have_count(1)
    screenshot(board, "board-desktop")

    board.get_by_role("link", name="Unilateral").click()
    expect(board.locator("circle[data-strategy=arms-trafficking]")).to_have_count(0)
