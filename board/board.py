"""The strategies board: what readers propose, how many, and how the others rate it.

Only published proposals (top-level replies) ever count, and of their ratings
only the counted ones (one per client network and proposal, Rating.counted).
The board costs three queries whatever the number of proposals and ratings:
one aggregate per strategy, its raters, and one windowed query for the most
supported proposals of each (by support, comments.models.agreement.support_estimate,
which weighs how many rated).
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, F, Q, Sum, Value, When, Window
from django.db.models.functions import Concat, RowNumber

from articles.models import Article
from comments.models import Comment, Rating, SovereigntyMode, Strategy
from comments.models.agreement import support_estimate

TOP_PROPOSALS = 3

# The quadrant chart, in SVG user units.
CHART_SIZE = 400
CHART_MARGIN = 50


@dataclass
class StrategyRow:
    strategy: Strategy
    proposals: int
    # The people (client networks) who rated its proposals, each once.
    raters: int
    # The counted ratings of its proposals, which the means are of: a
    # rater of two of its proposals gave two.
    ratings: int
    works_mean: float | None
    respects_mean: float | None
    top: list[Comment] = field(default_factory=list)

    @property
    def is_rated(self) -> bool:
        return self.ratings > 0

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
        ratings=Sum("comments__rating_count", filter=counted, default=0),
        works=Sum("comments__works_total", filter=counted, default=0),
        respects=Sum("comments__respects_total", filter=counted, default=0),
    )
    raters = _raters(article, mode=mode)
    rows = {
        strategy.pk: StrategyRow(
            strategy=strategy,
            proposals=strategy.proposals,
            raters=raters.get(strategy.pk, 0),
            ratings=strategy.ratings,
            works_mean=strategy.works / strategy.ratings if strategy.ratings else None,
            respects_mean=strategy.respects / strategy.ratings if strategy.ratings else None,
        )
        for strategy in strategies
    }
    for link in _most_supported(article, mode=mode):
        rows[link.strategy_id].top.append(link.comment)
    # The most proposed strategies first; the editors' order among equals.
    return sorted(rows.values(), key=lambda row: (-row.proposals, row.strategy.position))


def _raters(article: Article, *, mode: str) -> dict[int, int]:
    """How many raters the counted ratings of each strategy's proposals come from, by strategy id.

    One per client network, whichever of its proposals they rated; a rating
    whose network is unknown is a rater of its own. A query of its own: as a
    subquery of the strategies' aggregate, SQLite grouped by it and so ran it
    once per tagged proposal (12 s for the board of a 10,000-comment seed).
    """
    rater = Case(
        When(network="", then=Concat(Value("browser "), "reader_key")),
        default="network",
    )
    ratings = Rating.objects.counted().filter(comment__in=published_proposals(article, mode=mode))
    per_strategy = (
        ratings.order_by()
        .values("comment__strategies")
        .annotate(raters=Count(rater, distinct=True))
        .values_list("comment__strategies", "raters")
    )
    return {strategy: raters for strategy, raters in per_strategy if strategy is not None}


def _most_supported(article: Article, *, mode: str):
    Tag = Comment.strategies.through
    support = support_estimate("comment__")
    links = Tag.objects.filter(comment__in=published_proposals(article, mode=mode))
    # django-stubs cannot see an annotation on an automatic through model.
    return (
        links.select_related("comment")  # type: ignore[misc]
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
