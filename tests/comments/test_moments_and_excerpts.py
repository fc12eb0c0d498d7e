"""How a comment page tells a moment and cuts an excerpt."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from comments.models import EXCERPT_LENGTH, excerpt
from comments.moments import Moments

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("age", "english", "spanish"),
    [
        (timedelta(seconds=20), "just now", "justo ahora"),
        (timedelta(minutes=1), "1 minute ago", "hace 1 minuto"),
        (timedelta(hours=3, minutes=59), "3 hours ago", "hace 3 horas"),
        (timedelta(days=1), "1 day ago", "hace 1 día"),
        (timedelta(days=15), "2 weeks ago", "hace 2 semanas"),
        (timedelta(days=65), "2 months ago", "hace 2 meses"),
        (timedelta(days=800), "2 years ago", "hace 2 años"),
    ],
)
def test_a_moment_is_told_in_the_largest_unit_that_fits(age, english, spanish):
    with translation.override("en"):
        assert Moments(now=NOW).ago(NOW - age) == english
    with translation.override("es"):
        assert Moments(now=NOW).ago(NOW - age) == spanish


def test_the_exact_moment_is_the_local_date_and_time_with_its_zone_named(settings):
    settings.TIME_ZONE = "America/Mexico_City"
    moment = datetime(2026, 11, 28, 18, 5, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 18, 5, tzinfo=UTC)

    with translation.override("en"):
        assert Moments(now=NOW).exact(moment) == "Nov. 28, 2026, 12:05 p.m. CST"
    with translation.override("es"):
        assert Moments(now=NOW).exact(moment) == "28 de noviembre de 2026, 12:05 CST"
    # Mexico City keeps standard time all year since 2022.
    with translation.override("en"):
        assert Moments(now=NOW).exact(summer) == "July 1, 2026, 12:05 p.m. CST"


def test_the_exact_moment_names_utc_by_default():
    moment = datetime(2026, 11, 28, 18, 5, tzinfo=UTC)

    with translation.override("en"):
        assert Moments(now=NOW).exact(moment) == "Nov. 28, 2026, 6:05 p.m. UTC"


def test_an_excerpt_is_the_text_on_one_line_cut_at_eighty_characters():
    two_paragraphs = "Shared intelligence,\n\n under   Mexican command. " * 5

    assert excerpt(two_paragraphs) == (
        "Shared intelligence, under Mexican command. Shared intelligence, under Mexican …"
    )
    assert len(excerpt(two_paragraphs)) == EXCERPT_LENGTH == 80
    assert excerpt("x" * 80) == "x" * 80
