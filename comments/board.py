"""The strategies board: what readers propose, how many, and how the others rate it.

Only published proposals (top-level replies) ever count. The board costs two
queries whatever the number of proposals and ratings: one aggregate per
strategy, and one windowed query for the most supported proposals of each.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber

from articles.models import Article

from .models import Comment, SovereigntyMode, Strategy

TOP_PROPOSALS = 3

# The quadrant chart, in SVG user units.
CHART_SIZE = 400
CHART_MARGIN = 50


@dataclass
class StrategyRow:
    strategy: Strategy
    proposals: int
    raters: int
    works_mean: float | None
    respects_mean: float | None
    top: list[Comment] = field(default_factory=list)

    @property
    def is_rated(self) -> bool:
        return self.raters > 0

    @property
    def x(self) -> float:
        """Respect for sovereignty, left (1) to right (5)."""
        return _scale(self.respects_mean)

    @property
    def y(self) -> float:
        """Would it work, bottom (1) to top (5)."""
        return CHART_SIZE - _scale(self.works_mean)

    @property
    def radius(self) -> float:
        return min(6 + self.proposals * 2, 24)


def _scale(mean: float | None) -> float:
    inner = CHART_SIZE - 2 * CHART_MARGIN
    return CHART_MARGIN + ((mean or 1) - 1) / 4 * inner


def published_proposals(article: Article, *, mode: str = ""):
    proposals = Comment.objects.for_article(article).visible().top_level()
    if mode:
        proposals = proposals.filter(sovereignty_mode=mode)
    return proposals


def strategy_board(article: Article, *, mode: str = "") -> list[StrategyRow]:
    counted = Q(
        comments__article=article,
        comments__status=Comment.Status.APPROVED,
        comments__parent__isnull=True,
    )
    if mode:
        counted &= Q(comments__sovereignty_mode=mode)
    strategies = Strategy.objects.annotate(
        proposals=Count("comments", filter=counted),
        raters=Sum("comments__rating_count", filter=counted, default=0),
        works=Sum("comments__works_total", filter=counted, default=0),
        respects=Sum("comments__respects_total", filter=counted, default=0),
    )
    rows = {
        strategy.pk: StrategyRow(
            strategy=strategy,
            proposals=strategy.proposals,
            raters=strategy.raters,
            works_mean=strategy.works / strategy.raters if strategy.raters else None,
            respects_mean=strategy.respects / strategy.raters if strategy.raters else None,
        )
        for strategy in strategies
    }
    for link in _most_supported(article, mode=mode):
        rows[link.strategy_id].top.append(link.comment)
    # The most proposed strategies first; the editors' order among equals.
    return sorted(rows.values(), key=lambda row: (-row.proposals, row.strategy.position))


def _most_supported(article: Article, *, mode: str):
    Tag = Comment.strategies.through
    support = F("comment__works_total") + F("comment__respects_total")
    links = Tag.objects.filter(comment__in=published_proposals(article, mode=mode))
    return (
        links.select_related("comment")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("strategy_id"),
                order_by=[support.desc(), F("comment__created").desc()],
            )
        )
        .filter(rank__lte=TOP_PROPOSALS)
        .order_by("strategy_id", "rank")
    )


def parse_mode(value: str | None) -> str:
    return value if value in SovereigntyMode.values else ""
