"""The board's chart as a graphics desk would publish it: honest intervals, labels apart."""

import random

import pytest
from django.utils import translation

from board.board import StrategyRow
from board.chart import CHARACTER_WIDTH, LAYOUTS, NARROW, WIDE, axis_range, chart, ticks
from board.intervals import mean_interval, t_quantile
from board.labels import Box
from comments.models import Strategy

NAMES = [
    ("intelligence-sharing", "Intelligence sharing", "Intercambio de inteligencia"),
    ("joint-investigations", "Joint investigations", "Investigaciones conjuntas"),
    (
        "police-and-courts",
        "Capacity building of police and courts",
        "Fortalecimiento de policías y tribunales",
    ),
    (
        "economic-development",
        "Economic development and root causes",
        "Desarrollo económico y causas de fondo",
    ),
    (
        "demand-reduction",
        "Demand reduction and public health in the U.S.",
        "Reducción de la demanda y salud pública en EE. UU.",
    ),
    ("precursor-chemicals", "Control of precursor chemicals", "Control de precursores químicos"),
    (
        "anti-money-laundering",
        "Financial and anti-money-laundering measures",
        "Medidas financieras y contra el lavado de dinero",
    ),
    (
        "arms-trafficking",
        "Stopping arms trafficking into Mexico",
        "Frenar el tráfico de armas hacia México",
    ),
    ("anti-corruption", "Anti-corruption", "Combate a la corrupción"),
    ("military-action", "Military action", "Acción militar"),
]


def row(index: int, works: float, respects: float, *, ratings: int = 40, spread: float = 1.0):
    """A strategy rated `ratings` times with these means and this standard deviation."""
    slug, name, name_es = NAMES[index]
    squares = lambda mean: round(ratings * mean * mean + (ratings - 1) * spread * spread)  # noqa: E731
    return StrategyRow(
        strategy=Strategy(slug=slug, name=name, name_es=name_es, position=index),
        proposals=ratings // 3 + 1,
        raters=ratings,
        ratings=ratings,
        works_mean=round(works * ratings) / ratings,
        respects_mean=round(respects * ratings) / ratings,
        works_squares=squares(works),
        respects_squares=squares(respects),
    )


def spread_out(count: int) -> list[StrategyRow]:
    rng = random.Random(count)  # noqa: S311  (reproducible test data)
    return [row(i, rng.uniform(1.5, 4.5), rng.uniform(1.5, 4.5)) for i in range(count)]


def bunched(count: int = 10) -> list[StrategyRow]:
    """Ten strategies within a few tenths of a point of each other, as a large discussion gives."""
    rng = random.Random(7)  # noqa: S311  (reproducible test data)
    return [
        row(i, 3.2 + rng.uniform(-0.15, 0.15), 3.6 + rng.uniform(-0.15, 0.15), ratings=400)
        for i in range(count)
    ]


CASES = {
    "one strategy": [row(0, 4.0, 4.1)],
    "two strategies": [row(0, 4.0, 4.1), row(1, 3.2, 2.0)],
    "two at the same point": [row(0, 3.0, 3.0), row(1, 3.0, 3.0)],
    "six strategies": spread_out(6),
    "ten strategies": spread_out(10),
    "ten bunched in the middle": bunched(),
    "ten on one spot, few ratings": [row(i, 3.0, 3.0, ratings=3) for i in range(10)],
}


def label_boxes(drawn) -> list[tuple[str, Box]]:
    boxes = [(point.row.strategy.slug, point.label.box) for point in drawn.points]
    return boxes + [(f"quadrant {q.label.lines[0]}", q.label.box) for q in drawn.quadrants]


def text_fits(lines, box, layout) -> bool:
    longest = max(len(line) for line in lines)
    return longest * layout.font * CHARACTER_WIDTH <= box.width + 0.01


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
@pytest.mark.parametrize("case", CASES, ids=str)
class TestLabels:
    def test_every_rated_strategy_is_labelled_with_its_raters(self, case, layout, language):
        with translation.override(language):
            drawn = chart(CASES[case], layout)

        assert all(point.label is not None for point in drawn.points)
        for point in drawn.points:
            text = " ".join(point.label.lines)
            assert str(point.row.raters) in text
            assert text_fits(point.label.lines, point.label.box, layout)

    def test_no_two_labels_intersect_and_all_lie_inside_the_plot(self, case, layout, language):
        with translation.override(language):
            drawn = chart(CASES[case], layout)

        boxes = label_boxes(drawn)
        view = Box(0, 0, layout.width, layout.height)
        for i, (name, box) in enumerate(boxes):
            assert box.inside(drawn.plot) and box.inside(view), name
            for other_name, other in boxes[i + 1 :]:
                assert not box.intersects(other), (name, other_name)

    def test_no_label_covers_a_dot(self, case, layout, language):
        with translation.override(language):
            drawn = chart(CASES[case], layout)

        r = drawn.dot_radius
        dots = [Box(p.x - r, p.y - r, 2 * r, 2 * r) for p in drawn.points]
        for name, box in label_boxes(drawn):
            assert not any(box.intersects(dot) for dot in dots), name

    def test_a_label_moved_away_from_its_dot_has_a_leader_line_to_it(self, case, layout, language):
        with translation.override(language):
            drawn = chart(CASES[case], layout)

        for point in drawn.points:
            box, leader = point.label.box, point.label.leader
            px, py = box.nearest_point(point.x, point.y)
            if ((px - point.x) ** 2 + (py - point.y) ** 2) ** 0.5 > drawn.dot_radius + 12:
                assert leader is not None, point.row.strategy.slug
                assert box.nearest_point(leader.x2, leader.y2) == (leader.x2, leader.y2)


def test_a_label_keeps_an_abbreviation_on_one_line():
    with translation.override("es"):
        drawn = chart([row(4, 3.0, 3.0)], NARROW)

    (label,) = [point.label for point in drawn.points]
    assert any("EE.\u00a0UU." in line for line in label.lines)


def test_the_labels_are_placed_the_same_way_every_time():
    first = chart(bunched(), NARROW)
    second = chart(bunched(), NARROW)

    assert [p.label.box for p in first.points] == [p.label.box for p in second.points]


class TestIntervals:
    def test_the_90_percent_interval_of_a_mean_uses_student_s_t(self):
        # Answers 2, 3, 4: mean 3, s = 1, n = 3; t(0.95, 2) = 2.920.
        low, high = mean_interval(3, 9, 4 + 9 + 16)

        assert (low, high) == pytest.approx((3 - 2.920 / 3**0.5, 3 + 2.920 / 3**0.5))

    def test_it_narrows_as_ratings_grow(self):
        few = mean_interval(4, 12, 4 * 9 + 3 * 1)
        many = mean_interval(400, 1200, 400 * 9 + 399 * 1)

        assert few[1] - few[0] > 5 * (many[1] - many[0])

    def test_it_never_leaves_the_scale(self):
        assert mean_interval(2, 10, 50) == (5.0, 5.0)
        assert mean_interval(3, 11, 1 + 25 + 25) == pytest.approx((1.0, 5.0), abs=1.5)
        low, high = mean_interval(3, 11, 1 + 25 + 25)
        assert low >= 1 and high <= 5

    def test_a_single_rating_spans_the_whole_scale(self):
        assert mean_interval(1, 4, 16) == (1.0, 5.0)

    @pytest.mark.parametrize(("degrees", "expected"), [(30, 1.697), (60, 1.671), (120, 1.658)])
    def test_t_beyond_the_table_follows_the_expansion(self, degrees, expected):
        assert t_quantile(degrees) == pytest.approx(expected, abs=0.001)


class TestAxes:
    def test_the_axes_span_the_data_on_half_points(self):
        assert axis_range([3.05, 3.4, 3.62]) == (2.5, 4.0)

    def test_the_axes_never_leave_the_scale(self):
        assert axis_range([1.0, 5.0]) == (1.0, 5.0)

    def test_numbered_ticks_every_half_point_on_a_short_axis_every_point_on_a_long_one(self):
        assert ticks(2.5, 4.0) == [2.5, 3.0, 3.5, 4.0]
        assert ticks(1.0, 5.0) == [1.0, 2.0, 3.0, 4.0, 5.0]

    def test_bunched_data_fill_the_plot(self):
        drawn = chart(bunched(), WIDE)

        xs = [p.x for p in drawn.points]
        assert max(xs) - min(xs) > drawn.plot.width / 4
