"""Where a chart's direct labels go: beside their mark, never on another label, inside the plot.

A small, deterministic routine, as graphics desks place labels by hand: each
label tries the eight places around its mark first, then every place of a
fine grid over the plot, nearest first (with a leader line back to its mark
when it stands away from it), and takes the nearest place that overlaps no
other label, no mark, no fixed box and no other label's leader line, and
lies wholly inside the bounds; its own leader crosses no label, no other
mark and, unless nothing else fits, no other leader. Crossing an interval's
whisker is allowed only when no place avoids it. Labels are placed one after
another in the order given (the caller puts the most important first); one
left without a place goes first in another try. The same data always give
the same picture.

Text sizes are estimates (characters × font size × a conservative width
factor), so a real label is never larger than its box.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

# How far a label keeps from its mark, and from everything else, in user units.
GAP = 3.0
# The step of the grid of places tried further away, and how far a label may
# stand from its mark without a leader line.
GRID = 8.0
NEAR = 4.0
# How many times the labels left without a place are moved to the front.
RETRIES = 4


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2

    def intersects(self, other: "Box", *, margin: float = 0.0) -> bool:
        return (
            self.x < other.right + margin
            and other.x < self.right + margin
            and self.y < other.bottom + margin
            and other.y < self.bottom + margin
        )

    def inside(self, bounds: "Box") -> bool:
        return (
            self.x >= bounds.x
            and self.y >= bounds.y
            and self.right <= bounds.right
            and self.bottom <= bounds.bottom
        )

    def crosses(self, segment: "Segment") -> bool:
        """Whether the segment passes through this box (touching its edge does not count)."""
        return _clip(segment, _edges(self)) is not None

    def nearest_point(self, x: float, y: float) -> tuple[float, float]:
        return min(max(x, self.x), self.right), min(max(y, self.y), self.bottom)


@dataclass(frozen=True)
class Segment:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Mark:
    """A dot the label belongs to, and the lines drawn with it (its interval's whiskers)."""

    x: float
    y: float
    radius: float
    whiskers: tuple[Segment, ...] = ()

    @property
    def box(self) -> Box:
        r = self.radius
        return Box(self.x - r, self.y - r, 2 * r, 2 * r)


@dataclass(frozen=True)
class Placement:
    box: Box
    # From the mark's edge to the label, when the label had to move away from its mark.
    leader: Segment | None


def place_labels(
    marks: Sequence[Mark],
    sizes: Sequence[tuple[float, float]],
    bounds: Box,
    *,
    fixed: Sequence[Box] = (),
) -> list[Placement | None]:
    """A place for each mark's label of the given (width, height), or None if none is free."""
    order = list(range(len(marks)))
    best: list[Placement | None] = []
    for attempt in range(RETRIES):
        # Leader lines may cross each other only in the last try.
        strict = attempt < RETRIES - 1
        placed = _place_in_order(marks, sizes, bounds, fixed, order, strict=strict)
        missing = [i for i in order if placed[i] is None]
        if not best or len(missing) < sum(p is None for p in best):
            best = placed
        if not missing:
            return best
        # The crowded marks choose before the easy ones take their room.
        order = missing + [i for i in order if i not in missing]
    # Still crowded: the labels left over take any free place, their leaders
    # crossing what they must.
    missing = [i for i in range(len(marks)) if best[i] is None]
    return _place_in_order(
        marks, sizes, bounds, fixed, missing, strict=False, leaders_free=True, placed=best
    )


Edges = tuple[float, float, float, float]


def _place_in_order(
    marks: Sequence[Mark],
    sizes: Sequence[tuple[float, float]],
    bounds: Box,
    fixed: Sequence[Box],
    order: list[int],
    *,
    strict: bool,
    leaders_free: bool = False,
    placed: Sequence[Placement | None] = (),
) -> list[Placement | None]:
    dots = [_edges(mark.box) for mark in marks]
    whiskers = [segment for mark in marks for segment in mark.whiskers]
    placements: list[Placement | None] = list(placed) or [None] * len(marks)
    ready = [p for p in placements if p is not None]
    taken = [_edges(box) for box in fixed] + [_edges(p.box) for p in ready]
    leaders = [p.leader for p in ready if p.leader is not None]
    for index in order:
        mark, (width, height) = marks[index], sizes[index]
        others = [other for i, other in enumerate(marks) if i != index]
        best: tuple[float, Box, Segment | None] | None = None
        for distance, left, top in _candidates(mark, width, height, bounds):
            if best is not None and distance >= best[0]:
                break
            edges = (left, top, left + width, top + height)
            if not _within(edges, bounds) or any(_meet(edges, dot, GAP) for dot in dots):
                continue
            if any(_meet(edges, other, GAP) for other in taken):
                continue
            if any(_clip(leader, edges) is not None for leader in leaders):
                continue
            box = Box(left, top, width, height)
            leader = _leader(mark, box) if distance > 0 else None
            if (
                leader is not None
                and not leaders_free
                and (
                    any(_clip(leader, edge) is not None for edge in taken)
                    or any(_passes(leader, other) for other in others)
                    or (strict and any(_cross(leader, other) for other in leaders))
                )
            ):
                continue
            # A whisker under a label costs as much as standing 40 units further away.
            cost = distance + 40.0 * sum(_clip(w, edges) is not None for w in whiskers)
            if best is None or cost < best[0]:
                best = (cost, box, leader)
        if best is not None:
            taken.append(_edges(best[1]))
            if best[2] is not None:
                leaders.append(best[2])
            placements[index] = Placement(best[1], best[2])
    return placements


def _edges(box: Box) -> Edges:
    return box.x, box.y, box.right, box.bottom


def _meet(a: Edges, b: Edges, margin: float) -> bool:
    return (
        a[0] < b[2] + margin
        and b[0] < a[2] + margin
        and a[1] < b[3] + margin
        and b[1] < a[3] + margin
    )


def _within(a: Edges, bounds: Box) -> bool:
    return a[0] >= bounds.x and a[1] >= bounds.y and a[2] <= bounds.right and a[3] <= bounds.bottom


def _candidates(mark: Mark, width: float, height: float, bounds: Box):
    """Places (distance, left, top) for the label, nearest first: touching the mark, then a grid."""
    x, y, r = mark.x, mark.y, mark.radius + GAP
    beside = [
        (x + r * 0.7, y - r * 0.7 - height),  # above right
        (x + r, y - height / 2),  # right
        (x - r * 0.7 - width, y - r * 0.7 - height),  # above left
        (x - r - width, y - height / 2),  # left
        (x - width / 2, y - r - height),  # above
        (x - width / 2, y + r),  # below
        (x + r * 0.7, y + r * 0.7),  # below right
        (x - r * 0.7 - width, y + r * 0.7),  # below left
    ]
    for left, top in beside:
        yield 0.0, left, top
    reach = r + NEAR
    away = []
    for i in range(int((bounds.width - width) / GRID) + 1):
        left = bounds.x + i * GRID
        dx = max(left - x, 0.0, x - left - width)
        for j in range(int((bounds.height - height) / GRID) + 1):
            top = bounds.y + j * GRID
            dy = max(top - y, 0.0, y - top - height)
            away.append((max(math.hypot(dx, dy) - reach, 0.0), left, top))
    away.sort()
    yield from away


def _leader(mark: Mark, box: Box) -> Segment:
    """A line from the edge of the mark to the nearest point of its label."""
    px, py = box.nearest_point(mark.x, mark.y)
    length = math.hypot(px - mark.x, py - mark.y) or 1.0
    start = mark.radius + 1
    return Segment(
        mark.x + (px - mark.x) * start / length,
        mark.y + (py - mark.y) * start / length,
        px,
        py,
    )


def _passes(segment: Segment, mark: Mark) -> bool:
    """Whether the segment passes over the mark's dot (or within a unit of it)."""
    dx, dy = segment.x2 - segment.x1, segment.y2 - segment.y1
    length = dx * dx + dy * dy or 1.0
    t = min(max(((mark.x - segment.x1) * dx + (mark.y - segment.y1) * dy) / length, 0.0), 1.0)
    nearest = math.hypot(segment.x1 + t * dx - mark.x, segment.y1 + t * dy - mark.y)
    return nearest < mark.radius + 1


def _cross(a: Segment, b: Segment) -> bool:
    """Whether two segments cross (their ends on opposite sides of each other)."""

    def side(s: Segment, x: float, y: float) -> float:
        return (s.x2 - s.x1) * (y - s.y1) - (s.y2 - s.y1) * (x - s.x1)

    return (
        side(a, b.x1, b.y1) * side(a, b.x2, b.y2) < 0
        and side(b, a.x1, a.y1) * side(b, a.x2, a.y2) < 0
    )


def _clip(segment: Segment, edges: Edges) -> tuple[float, float] | None:
    """Liang–Barsky: the part of the segment strictly inside the box, as parameters, or None."""
    left, top, right, bottom = edges
    dx, dy = segment.x2 - segment.x1, segment.y2 - segment.y1
    low, high = 0.0, 1.0
    for p, q in (
        (-dx, segment.x1 - left),
        (dx, right - segment.x1),
        (-dy, segment.y1 - top),
        (dy, bottom - segment.y1),
    ):
        if p == 0:
            if q <= 0:
                return None
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low >= high:
            return None
    return low, high
