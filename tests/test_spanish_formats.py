"""Spanish pages write numbers as Mexico does, where most Spanish-speaking readers are."""

import pytest
from django.urls import reverse
from django.utils import formats, translation

from board.ratings import rating_record
from comments.models import Strategy
from tests.factories import make_comment


def test_spanish_numbers_use_a_decimal_point_and_commas_for_thousands():
    with translation.override("es"):
        written = formats.number_format(1234.5, 1, use_l10n=True, force_grouping=True)

    assert written == "1,234.5"


def test_english_numbers_are_unchanged():
    with translation.override("en"):
        written = formats.number_format(1234.5, 1, use_l10n=True, force_grouping=True)

    assert written == "1,234.5"


@pytest.mark.django_db
def test_the_strategies_board_in_spanish_shows_averages_with_a_decimal_point(client, article):
    proposal = make_comment(article=article)
    proposal.strategies.set([Strategy.objects.get(slug="intelligence-sharing")])
    rating_record(comment=proposal, reader_key="a", works=4, respects=5)

    page = client.get(
        reverse("board:board", kwargs={"slug": article.slug}),
        headers={"Accept-Language": "es"},
    )

    html = page.content.decode()
    row = html.split('<tr data-strategy="intelligence-sharing">', 1)[1].split("</tr>", 1)[0]
    assert '<span class="board-mean">4.0</span>' in row
    assert '<span class="board-mean">5.0</span>' in row
    assert "4,0" not in row
