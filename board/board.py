"""The strategies board: what readers propose, how many, and how the others rate it.

Only published proposals (top-level replies) ever count, and of their ratings
only the counted ones (one per client network and proposal, Rating.counted).
The board costs three queries whatever the number of proposals and ratings:
one aggregate of the proposals per strategy, one of their counted ratings per
strategy (the raters, and the sums of the squared answers that the chart's
intervals need), and one windowed query for the most supported proposals of
each (by support, comments.models.agreement.support_estimate, which weighs how
many rated).
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, F, Q, Sum, Value, When, Window
from django.db.models.functions import Concat, RowNumber

from articles.models import Article
from comments.models import Comment, Rating, SovereigntyMode, Strategy
from comments.models.agreement import support_estimate

from .intervals import mean_interval

TOP_PROPOSALS = 3


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
    # The sums of the squared answers of the same counted ratings: with the
    # count and the means they give the ratings' spread (board.chart).
    works_squares: int = 0
    respects_squares: int = 0

    @property
    def is_rated(self) -> bool:
        return self.ratings > 0

    @property
    def works_interval(self) -> tuple[float, float]:
        return self._interval(self.works_mean, self.works_squares)

    @property
    def respects_interval(self) -> tuple[float, float]:
        return self._interval(self.respects_mean, self.respects_squares)

    def _interval(self, mean: float | None, squares: int) -> tuple[float, float]:
        return mean_interval(self.ratings, round((mean or 0) * self.ratings), squares)


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
    rows = {
        strategy.pk: StrategyRow(
            strategy=strategy,
            proposals=strategy.proposals,
            raters=0,
            ratings=strategy.ratings,
            works_mean=strategy.works / strategy.ratings if strategy.ratings else None,
            respects_mean=strategy.respects / strategy.ratings if strategy.ratings else None,
        )
        for strategy in strategies
    }
    for figures in _rating_figures(article, mode=mode):
        row = rows[figures["strategy"]]
        row.raters = figures["raters"]
        row.works_squares, row.respects_squares = figures["works"], figures["respects"]
    for link in _most_supported(article, mode=mode):
        rows[link.strategy_id].top.append(link.comment)
    # The most proposed strategies first; the editors' order among equals.
    return sorted(rows.values(), key=lambda row: (-row.proposals, row.strategy.position))


def _rating_figures(article: Article, *, mode: str):
    """Per strategy, its raters and the sums of the squared answers of its counted ratings.

    The same ratings as the means: each counted rating of a published
    proposal, once for every strategy the proposal names. The raters are one
    per client network, whichever of the strategy's proposals they rated; a
    rating whose network is unknown is a rater of its own. (One grouped query:
    as a subquery of the strategies' aggregate, SQLite ran the count once per
    proposal, a minute at 10,000 comments.)
    """
    rater = Case(
        When(network="", then=Concat(Value("browser "), "reader_key")),
        default="network",
    )
    ratings = Rating.objects.counted().filter(comment__in=published_proposals(article, mode=mode))
    return (
        ratings.order_by()
        .values(strategy=F("comment__strategies"))
        .filter(strategy__isnull=False)
        .annotate(
            raters=Count(rater, distinct=True),
            works=Sum(F("works") * F("works")),
            respects=Sum(F("respects") * F("respects")),
        )
    )


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
