"""A proposal is tagged, rated by two readers on two networks, and moves on the board."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from benchmarks.seeding import seed_discussion
from comments.models import Comment
from tests.browser.devices import DESKTOP, PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE_PATH = "/articles/mexico-rejects-us-intervention/"
BOARD_PATH = ARTICLE_PATH + "strategies/"
# The strategy's dot in the desktop drawing of the chart.
ARMS_DOT = ".quadrant-chart-wide circle[data-strategy=arms-trafficking]"


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
    expect(board.locator(ARMS_DOT)).to_have_count(0)

    rate(new_page(network_address="198.51.100.7"), live_server, works=5, respects=4)
    rate(new_page(network_address="203.0.113.9"), live_server, works=3, respects=2)

    board.reload()
    cells = row.locator("td")
    expect(cells.nth(0)).to_have_text("1")
    expect(cells.nth(1)).to_have_text("2")
    expect(cells.nth(2).locator(".board-mean")).to_have_text("4.0")
    expect(cells.nth(3).locator(".board-mean")).to_have_text("3.0")
    # Two ratings tell little: the 90% interval of each mean spans most of the scale.
    expect(cells.nth(2).locator(".board-interval")).to_have_text("1.0–5.0")
    expect(board.locator(ARMS_DOT)).to_have_count(1)
    screenshot(board, "board-desktop")

    board.get_by_role("link", name="Unilateral").click()
    expect(board.locator(ARMS_DOT)).to_have_count(0)


# The boxes of the visible chart's labels (strategies and quadrants) and of the chart itself,
# as the browser drew them.
LABEL_BOXES = """() => {
  const svg = [...document.querySelectorAll("svg.quadrant-chart")]
    .find((chart) => chart.getBoundingClientRect().width > 0);
  const box = (element) => {
    const r = element.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  };
  const labels = [...svg.querySelectorAll(".chart-point-label, .chart-quadrant-name")];
  return {
    chart: box(svg),
    labels: labels.map((label) => ({text: label.textContent, ...box(label)})),
    points: svg.querySelectorAll(".chart-point-label").length,
    dots: svg.querySelectorAll("circle").length,
  };
}"""


def overlapping(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def inside(label: dict, chart: dict) -> bool:
    return (
        label["left"] >= chart["left"]
        and label["top"] >= chart["top"]
        and label["right"] <= chart["right"]
        and label["bottom"] <= chart["bottom"]
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_at_10000_comments_every_strategy_is_labelled_clear_of_the_others_on_desktop_and_phone(
    new_page, live_server, screenshot, language
):
    seed_discussion(Article.objects.get(), comments=10_000)

    # The README shows these charts (`make screenshots`); dark mode once.
    views = [("", DESKTOP, "light"), ("-phone", PHONE, "light")]
    if language == "en":
        views.append(("-dark", DESKTOP, "dark"))
    for suffix, viewport, scheme in views:
        page = new_page(viewport=viewport, language=language, color_scheme=scheme)
        page.goto(live_server.url + BOARD_PATH)
        drawn = page.evaluate(LABEL_BOXES)

        assert drawn["dots"] == drawn["points"] == 10
        labels = drawn["labels"]
        for i, label in enumerate(labels):
            assert inside(label, drawn["chart"]), label["text"]
            for other in labels[i + 1 :]:
                assert not overlapping(label, other), (label["text"], other["text"])
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        page.locator(".board-chart").screenshot(
            path=str(screenshot.directory / f"tour-board-10000{suffix}-{language}.png")
        )


def test_on_a_phone_the_table_is_one_card_per_strategy_with_both_means(new_page, live_server):
    seed_discussion(Article.objects.get(), comments=2_000)
    page = new_page(viewport=PHONE)
    page.goto(live_server.url + BOARD_PATH)

    card = page.locator("#board-table tbody tr").first
    card.scroll_into_view_if_needed()
    # Each figure is named beside it, by the stylesheet (as the column headings would).
    named = card.locator("td").evaluate_all(
        "(cells) => cells.map((cell) => getComputedStyle(cell, '::before').content)"
    )
    assert [name.strip('" ·') for name in named] == [
        "Proposals",
        "Raters",
        "Would it work?",
        "Respects sovereignty?",
    ]
    means = card.locator(".board-mean")
    expect(means).to_have_count(2)
    for i in range(2):
        expect(means.nth(i)).to_be_visible()
        # Nothing off-screen to the right.
        assert means.nth(i).bounding_box()["x"] + means.nth(i).bounding_box()["width"] <= 360
    # The column headings are there for assistive technology only: each card names its figures.
    expect(page.locator("#board-table thead")).to_have_css("position", "absolute")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
