"""The board's chart: each strategy a dot at its two means, with a 90% interval on each axis.

Drawn on the server as SVG (templates/board/_chart.svg.html) in two sizes, one
for desktops and one for phones, each at about one user unit per CSS pixel, so
that its text is as large as the page's small print on either.

Each mean's 90% interval is board.intervals'.
The axes span the data (every interval, padded, on half points) with numbered
ticks. Labels (the strategy's name and its raters) are placed by board.labels
so that none overlaps another or a dot, or leaves the plot; the quadrants'
names then take free corners, and are left out where none is free.
"""

import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .board import StrategyRow
from .intervals import SCALE
from .labels import Box, Mark, Placement, Segment, place_labels

MIDDLE = 3.0
DOT_RADIUS = 5.0
# Wider than the average letter of the site's sans-serif fonts: the boxes must
# hold the real text whatever font the reader's system draws it in.
CHARACTER_WIDTH = 0.6
LINE_HEIGHT = 1.2
ABBREVIATIONS = re.compile(r"\b(\w{1,3}\.) (?=\w{1,3}\.)")


@dataclass(frozen=True)
class Layout:
    name: str
    width: float
    height: float
    # The plot's margins: the ticks and axis titles are drawn in them.
    left: float
    right: float
    top: float
    bottom: float
    font: float
    line_chars: int

    @property
    def plot(self) -> Box:
        return Box(
            self.left,
            self.top,
            self.width - self.left - self.right,
            self.height - self.top - self.bottom,
        )


WIDE = Layout("wide", 720, 500, left=58, right=14, top=14, bottom=56, font=13, line_chars=24)
NARROW = Layout("narrow", 340, 600, left=46, right=8, top=10, bottom=54, font=11, line_chars=16)
LAYOUTS = (WIDE, NARROW)


def axis_range(values: Sequence[float]) -> tuple[float, float]:
    """From the lowest to the highest value, padded, on half points, at least one point long."""
    if not values:
        return SCALE
    low, high = min(values), max(values)
    pad = max((high - low) * 0.08, 0.15)
    low = max(math.floor((low - pad) * 2) / 2, SCALE[0])
    high = min(math.ceil((high + pad) * 2) / 2, SCALE[1])
    while high - low < 1:
        low, high = max(low - 0.5, SCALE[0]), min(high + 0.5, SCALE[1])
    return low, high


def ticks(low: float, high: float) -> list[float]:
    step = 0.5 if high - low <= 2 else 1.0
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(round((high - first) / step) + 1)]


@dataclass(frozen=True)
class Tick:
    value: float
    position: float


@dataclass(frozen=True)
class Label:
    lines: list[str]
    box: Box
    # Where the text is drawn from, and which way it runs from there.
    x: float
    anchor: str
    baselines: list[float]
    leader: Segment | None = None

    @property
    def lines_at(self) -> list[tuple[str, float]]:
        return list(zip(self.lines, self.baselines, strict=True))


@dataclass
class Point:
    row: StrategyRow
    x: float
    y: float
    works_interval: tuple[float, float]
    respects_interval: tuple[float, float]
    # The interval's whiskers, across (respect) and up (would it work).
    across: Segment
    up: Segment
    label: Label | None = None


@dataclass
class Quadrant:
    label: Label


@dataclass
class Chart:
    layout: Layout
    points: list[Point]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    quadrants: list[Quadrant]
    # The scale's middle (3) on each axis, when it is inside the plot.
    middle_x: float | None
    middle_y: float | None
    x_title: tuple[float, float]
    y_title: tuple[float, float]
    dot_radius: float = DOT_RADIUS

    @property
    def plot(self) -> Box:
        return self.layout.plot


def chart(rows: Sequence[StrategyRow], layout: Layout) -> Chart:
    """The chart of the rated strategies, laid out for `layout`."""
    rated = [row for row in rows if row.is_rated]
    intervals = [(row.works_interval, row.respects_interval) for row in rated]
    x_low, x_high = axis_range([v for _, respects in intervals for v in respects])
    y_low, y_high = axis_range([v for works, _ in intervals for v in works])
    plot = layout.plot

    # The scale stops short of the frame, so that a dot at 1 or 5 is drawn whole inside it.
    inset = DOT_RADIUS + 4

    def x_of(value: float) -> float:
        return plot.x + inset + (value - x_low) / (x_high - x_low) * (plot.width - 2 * inset)

    def y_of(value: float) -> float:
        return plot.bottom - inset - (value - y_low) / (y_high - y_low) * (plot.height - 2 * inset)

    points = [
        Point(
            row=row,
            x=x_of(row.respects_mean or 0),
            y=y_of(row.works_mean or 0),
            works_interval=works,
            respects_interval=respects,
            across=Segment(
                x_of(respects[0]),
                y_of(row.works_mean or 0),
                x_of(respects[1]),
                y_of(row.works_mean or 0),
            ),
            up=Segment(
                x_of(row.respects_mean or 0),
                y_of(works[0]),
                x_of(row.respects_mean or 0),
                y_of(works[1]),
            ),
        )
        for row, (works, respects) in zip(rated, intervals, strict=True)
    ]
    marks = [Mark(p.x, p.y, DOT_RADIUS, (p.across, p.up)) for p in points]
    # The most rated strategies choose their places first; the quadrants' names take what is left.
    order = sorted(
        range(len(points)), key=lambda i: (-points[i].row.raters, points[i].row.strategy.slug)
    )
    texts = [_label_lines(points[i].row, layout) for i in order]
    placements = place_labels(
        [marks[i] for i in order],
        [_text_size(lines, layout) for lines in texts],
        plot,
    )
    for i, lines, placement in zip(order, texts, placements, strict=True):
        if placement is not None:
            points[i].label = _label(lines, placement, layout, around=(points[i].x, points[i].y))
    labels = [p for p in placements if p is not None]
    quadrants = _quadrants(layout, marks, labels, (x_low, x_high, y_low, y_high), x_of, y_of)
    return Chart(
        layout=layout,
        points=points,
        x_ticks=[Tick(value, x_of(value)) for value in ticks(x_low, x_high)],
        y_ticks=[Tick(value, y_of(value)) for value in ticks(y_low, y_high)],
        quadrants=quadrants,
        middle_x=x_of(MIDDLE) if x_low < MIDDLE < x_high else None,
        middle_y=y_of(MIDDLE) if y_low < MIDDLE < y_high else None,
        x_title=(plot.x + plot.width / 2, layout.height - 8),
        y_title=(14, plot.y + plot.height / 2),
    )


def _label_lines(row: StrategyRow, layout: Layout) -> list[str]:
    raters = ngettext("%(count)s rater", "%(count)s raters", row.raters) % {"count": row.raters}
    lines = _wrap(row.strategy.label, layout)
    # The count stays whole, after the name's last line if it fits there.
    if len(lines[-1]) + 3 + len(raters) <= layout.line_chars:
        lines[-1] += " · " + raters
    else:
        lines.append(raters)
    return lines


def _wrap(text: str, layout: Layout) -> list[str]:
    # Words stay whole, even one longer than a line: its box is as wide as it. An
    # abbreviation of two ("EE. UU.", "U. S.") stays on one line.
    text = ABBREVIATIONS.sub("\\1\u00a0", text)
    return textwrap.wrap(
        text, layout.line_chars, break_long_words=False, break_on_hyphens=False
    ) or [""]


def _text_size(lines: Sequence[str], layout: Layout) -> tuple[float, float]:
    longest = max(len(line) for line in lines)
    return (
        longest * layout.font * CHARACTER_WIDTH,
        (len(lines) * LINE_HEIGHT + 0.15) * layout.font,
    )


def _label(
    lines: list[str], placement: Placement, layout: Layout, *, around: tuple[float, float]
) -> Label:
    box = placement.box
    centre_x = box.x + box.width / 2
    # Text beside its dot runs away from it; above or below it, it is centred on it.
    if box.x >= around[0]:
        x, anchor = box.x, "start"
    elif box.right <= around[0]:
        x, anchor = box.right, "end"
    else:
        x, anchor = centre_x, "middle"
    first = box.y + (0.1 + 0.9) * layout.font
    baselines = [first + i * LINE_HEIGHT * layout.font for i in range(len(lines))]
    return Label(lines, box, x, anchor, baselines, placement.leader)


def _quadrants(layout, marks, labels, ranges, x_of, y_of) -> list[Quadrant]:
    """The names of the quadrants inside the plot, each in a free corner of its own quadrant."""
    x_low, x_high, y_low, y_high = ranges
    names = [
        # (respect side, works side, name)
        ("high", "high", _("Would work, respects sovereignty")),
        ("low", "high", _("Would work, but intrudes")),
        ("high", "low", _("Respects sovereignty, but would not work")),
        ("low", "low", _("Neither works nor respects")),
    ]
    taken: list[Box] = [label.box for label in labels]
    leaders = [label.leader for label in labels if label.leader is not None]
    quadrants = []
    for x_side, y_side, name in names:
        left = x_of(max(x_low, MIDDLE) if x_side == "high" else x_low)
        right = x_of(x_high if x_side == "high" else min(x_high, MIDDLE))
        top = y_of(y_high if y_side == "high" else min(y_high, MIDDLE))
        bottom = y_of(max(y_low, MIDDLE) if y_side == "high" else y_low)
        region = Box(left, top, right - left, bottom - top)
        lines = _wrap(name, layout)
        width, height = _text_size(lines, layout)
        if region.width < width + 8 or region.height < height + 8:
            continue
        box = _free_corner(region, width, height, x_side, y_side, marks, taken, leaders)
        if box is None:
            continue
        taken.append(box)
        outer_x = box.right if x_side == "high" else box.x
        anchor = "end" if x_side == "high" else "start"
        first = box.y + layout.font
        baselines = [first + i * LINE_HEIGHT * layout.font for i in range(len(lines))]
        quadrants.append(Quadrant(Label(lines, box, outer_x, anchor, baselines)))
    return quadrants


def _free_corner(region, width, height, x_side, y_side, marks, taken, leaders) -> Box | None:
    """The quadrant's outer corner, or the nearest free place sliding along its outer edges."""
    inset = 4.0
    step = 6.0
    outer_x = region.right - inset - width if x_side == "high" else region.x + inset
    outer_y = region.y + inset if y_side == "high" else region.bottom - inset - height
    toward_x = -step if x_side == "high" else step
    toward_y = step if y_side == "high" else -step
    reach_x = int((region.width - width - 2 * inset) / step)
    reach_y = int((region.height - height - 2 * inset) / step)
    tries = sorted(
        ((i, j) for i in range(reach_x + 1) for j in range(reach_y + 1)),
        key=lambda ij: (ij[0] + ij[1], ij),
    )
    for i, j in tries:
        box = Box(outer_x + i * toward_x, outer_y + j * toward_y, width, height)
        if any(box.intersects(mark.box, margin=3) for mark in marks):
            continue
        if any(box.crosses(w) for mark in marks for w in mark.whiskers):
            continue
        if any(box.intersects(other, margin=3) for other in taken):
            continue
        if any(box.crosses(leader) for leader in leaders):
            continue
        return box
    return None
