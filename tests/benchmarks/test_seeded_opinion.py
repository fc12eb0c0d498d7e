"""The seeded ratings spread like real opinion, with each rater's language recorded."""

from datetime import UTC, datetime

import pytest
from django.db.models import Avg, Count

from benchmarks.seeding import seed_discussion
from board.board import strategy_board
from board.common_ground import common_ground
from comments.models import Rating
from tests.factories import make_article

pytestmark = pytest.mark.django_db

END = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def seeded(article):
    seed_discussion(article, comments=3_000, seed=7, end=END)
    return article


def means(strategy: str, language: str) -> tuple[float, float]:
    """The mean answers of readers of `language` to proposals naming only `strategy`."""
    ratings = Rating.objects.filter(language=language, comment__strategies__slug=strategy)
    only_it = ratings.annotate(named=Count("comment__strategies")).filter(named=1)
    figures = only_it.aggregate(works=Avg("works"), respects=Avg("respects"))
    return figures["works"], figures["respects"]


def test_every_seeded_rating_records_its_rater_s_language(seeded):
    languages = dict(Rating.objects.values_list("language").annotate(n=Count("pk")))

    assert set(languages) == {"en", "es"}
    assert 0.4 < languages["es"] / sum(languages.values()) < 0.7


def test_a_reader_rates_in_one_language(seeded):
    per_reader = Rating.objects.values("reader_key").annotate(n=Count("language", distinct=True))

    assert {row["n"] for row in per_reader} == {1}


def test_some_strategies_are_favoured_some_disliked_and_some_divide_the_languages(seeded):
    sharing_en, sharing_es = (
        means("intelligence-sharing", "en"),
        means("intelligence-sharing", "es"),
    )
    military_en, military_es = means("military-action", "en"), means("military-action", "es")

    # Favoured on both sides of the border.
    assert min(*sharing_en, *sharing_es) > 3.4
    # Judged unlikely to work by both.
    assert max(means("police-and-courts", "en")[0], means("police-and-courts", "es")[0]) < 3.0
    # Spanish readers find U.S. military action far less respectful of sovereignty.
    assert military_en[1] - military_es[1] > 1.2


def test_the_board_and_the_common_ground_view_have_something_to_show(seeded):
    rows = strategy_board(seeded)
    works = [row.works_mean for row in rows if row.is_rated]
    found = common_ground(seeded)

    assert max(works) - min(works) > 0.6
    assert len(found) == 5
    assert all(group.favourable_share > 0.5 for item in found for group in item.groups)


def test_the_same_seed_rates_the_same_way(article):
    other = make_article(slug="another-article")

    for each in (article, other):
        seed_discussion(each, comments=500, seed=3, end=END)

    first, again = (
        list(
            Rating.objects.filter(comment__article=each)
            .order_by("comment__created", "reader_key")
            .values_list("works", "respects", "language")
        )
        for each in (article, other)
    )
    assert first and first == again
