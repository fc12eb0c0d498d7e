"""The pages the README shows, in both languages, from a lively discussion.

`make screenshots` runs this file with SCREENSHOTS_DIR=docs/screenshots to
refresh the pictures in the README; in `make test` they go to test-artifacts.
The board's chart at 10,000 comments is pictured by the board's own test of
that size (test_strategies_board_in_a_browser.py).
"""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from board.ratings import rating_record
from comments.models import Comment, Strategy
from tests.browser.devices import DESKTOP, PHONE
from tests.factories import make_comment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE_PATH = "/articles/mexico-rejects-us-intervention/"

PROPOSALS = [
    (
        "Lucía M.",
        "es",
        ["anti-money-laundering", "joint-investigations"],
        "bilateral",
        "Seguir el dinero: inteligencia financiera compartida y congelamiento de cuentas, "
        "sin tropas extranjeras.",
    ),
    (
        "Daniel R.",
        "en",
        ["arms-trafficking"],
        "domestic",
        "Most guns used by the cartels are bought in the U.S. Enforce background checks "
        "and trace every weapon seized in Mexico.",
    ),
    (
        "Carmen V.",
        "es",
        ["police-and-courts", "anti-corruption"],
        "domestic",
        "Sin jueces independientes y policías bien pagados, cualquier estrategia fracasa.",
    ),
    (
        "Tom K.",
        "en",
        ["demand-reduction"],
        "domestic",
        "Treat addiction as a health problem at home. Less demand, less money for cartels.",
    ),
    (
        "Ana P.",
        "en",
        ["military-action"],
        "unilateral",
        "If Mexico will not act, the U.S. should strike the labs itself.",
    ),
    (
        "Sofía G.",
        "es",
        ["intelligence-sharing"],
        "bilateral",
        "Compartir inteligencia, sí, pero con reglas escritas y un juez que las revise.",
    ),
]


@pytest.fixture
def lively_discussion(article):
    proposals = []
    for name, language, slugs, mode, body in PROPOSALS:
        comment = make_comment(
            article=article,
            author_name=name,
            body=body,
            language=language,
            sovereignty_mode=mode,
        )
        comment.strategies.set(Strategy.objects.filter(slug__in=slugs))
        proposals.append(comment)
    first = proposals[0]
    answer = make_comment(
        article=article,
        parent=first,
        author_name="Jorge",
        body="¿Y quién vigila a los bancos de Texas?",
        language="es",
    )
    make_comment(
        article=article,
        parent=answer,
        author_name="Lucía M.",
        body="Una unidad conjunta con acceso a ambos sistemas, con reglas claras.",
    )
    for reader, (works, respects) in enumerate([(5, 5), (4, 5), (4, 4), (3, 5)]):
        rating_record(comment=first, reader_key=f"r{reader}", works=works, respects=respects)
    for reader, (works, respects) in enumerate([(4, 4), (5, 4), (3, 4)]):
        rating_record(comment=proposals[1], reader_key=f"r{reader}", works=works, respects=respects)
    for reader, (works, respects) in enumerate([(2, 1), (3, 1), (1, 1)]):
        rating_record(comment=proposals[4], reader_key=f"r{reader}", works=works, respects=respects)
    for reader, (works, respects) in enumerate([(4, 5), (3, 5)]):
        rating_record(comment=proposals[3], reader_key=f"r{reader}", works=works, respects=respects)
    for reader, (works, respects) in enumerate([(4, 3), (3, 4), (4, 4), (2, 3), (4, 4)]):
        rating_record(comment=proposals[5], reader_key=f"r{reader}", works=works, respects=respects)
    make_comment(
        article=article,
        status="pending",
        author_name="Rita",
        body="Legalise and regulate: the only way to break their business.",
    )
    make_comment(
        article=article,
        status="pending",
        author_name="Troll",
        body="All of you are idiots and traitors.",
    )
    Comment.objects.filter(pk=first.pk).update(featured=True)
    return proposals


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_product_in_pictures(new_page, live_server, lively_discussion, screenshot, language):
    reader = new_page(language=language)
    reader.goto(live_server.url + ARTICLE_PATH + "#discussion")
    expect(reader.locator(".comment-featured")).to_have_count(1)
    screenshot(reader, f"tour-article-{language}")

    reader.goto(live_server.url + f"/comments/{lively_discussion[0].pk}/thread/")
    screenshot(reader, f"tour-thread-{language}")

    reader.goto(live_server.url + ARTICLE_PATH + "strategies/")
    # Six proposals, six strategies rated: each a labelled dot with its intervals.
    expect(reader.locator(".quadrant-chart-wide circle")).to_have_count(6)
    screenshot(reader, f"tour-board-{language}")
    board_on_a_phone = new_page(viewport=PHONE, language=language)
    board_on_a_phone.goto(live_server.url + ARTICLE_PATH + "strategies/")
    screenshot(board_on_a_phone, f"tour-board-phone-{language}")

    # Dark mode, once: the article's discussion as a reader who prefers it sees it.
    if language == "en":
        night = new_page(language=language, color_scheme="dark")
        night.goto(live_server.url + ARTICLE_PATH + "#discussion")
        night.screenshot(path=str(screenshot.directory / "tour-article-dark-en.png"))
        night.goto(live_server.url + ARTICLE_PATH + "strategies/")
        screenshot(night, "tour-board-dark-en")

    phone = new_page(viewport=PHONE, language=language)
    phone.goto(live_server.url + ARTICLE_PATH + "#discussion")
    phone.locator("#discussion").scroll_into_view_if_needed()
    phone.screenshot(path=str(screenshot.directory / f"tour-phone-{language}.png"))

    user = User.objects.create_user(
        f"editor-{language}", password="moderate-with-care-42", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    desk = new_page(viewport=DESKTOP, language=language)
    desk.goto(live_server.url + "/admin/login/?next=/admin/comments/comment/queue/")
    desk.locator("#id_username").fill(user.username)
    desk.locator("#id_password").fill("moderate-with-care-42")
    desk.locator("input[type=submit]").click()
    expect(desk.locator(".queue-item").first).to_be_visible()
    screenshot(desk, f"tour-moderation-queue-{language}")
