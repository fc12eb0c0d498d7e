"""Common ground: the proposals that readers in every language group rate favourably.

Readers are grouped by the language they read the site in when they rated
(Rating.language). A rating is favourable when both answers are at least
`FAVOURABLE_FROM`; the score is the product over groups of each group's
smoothed favourable share (comments.models.agreement). Only published
proposals and counted ratings enter any figure; the view costs one query.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from articles.models import Article
from comments.models import Comment
from comments.models.agreement import GROUPS, UNRATED_COMMON_GROUND

from .board import published_proposals

TOP_COMMON_GROUND = 5


@dataclass(frozen=True)
class GroupFigures:
    """One language group's counted ratings of one proposal."""

    language: str
    raters: int
    favourable: int
    works_total: int
    respects_total: int

    @property
    def favourable_share(self) -> float | None:
        return self.favourable / self.raters if self.raters else None

    @property
    def favourable_percent(self) -> int:
        return round(100 * self.favourable / self.raters) if self.raters else 0

    @property
    def works_mean(self) -> float | None:
        return self.works_total / self.raters if self.raters else None

    @property
    def respects_mean(self) -> float | None:
        return self.respects_total / self.raters if self.raters else None


@dataclass(frozen=True)
class CommonGround:
    proposal: Comment
    score: float
    groups: list[GroupFigures]


def _groups(row: Any) -> list[GroupFigures]:
    """Each group's figures from a row annotated by `with_group_figures` (model or dict)."""

    def value(name: str) -> int:
        return row[name] if isinstance(row, dict) else getattr(row, name)

    return [
        GroupFigures(
            language=group,
            raters=value(f"raters_{group}"),
            favourable=value(f"favourable_{group}"),
            works_total=value(f"works_{group}"),
            respects_total=value(f"respects_{group}"),
        )
        for group in GROUPS
    ]


def common_ground(
    article: Article, *, mode: str = "", limit: int = TOP_COMMON_GROUND
) -> list[CommonGround]:
    """The published proposals rated by every group, best common ground first."""
    rated_by_every_group = {f"raters_{group}__gte": 1 for group in GROUPS}
    proposals = (
        published_proposals(article, mode=mode)
        .common_ground_first()
        .filter(**rated_by_every_group)[:limit]
    )
    return [
        CommonGround(proposal=proposal, score=proposal.common_ground, groups=_groups(proposal))
        for proposal in proposals
    ]


def group_columns(article: Article, *, mode: str = "") -> defaultdict[int, dict[str, Any]]:
    """The open-data columns of each published proposal's group figures, by proposal id.

    `raters_<g>`, `favourable_share_<g>`, `works_mean_<g>`, `respects_mean_<g>`
    for each group, then `common_ground_score`; the unrated figures for a
    proposal the query did not see (published since). One query.
    """
    names = [
        f"{figure}_{group}"
        for figure in ("raters", "favourable", "works", "respects")
        for group in GROUPS
    ]
    rows = (
        published_proposals(article, mode=mode)
        .with_group_figures()
        .order_by()
        .values("pk", "common_ground", *names)
    )
    unrated = [GroupFigures(group, 0, 0, 0, 0) for group in GROUPS]
    columns: defaultdict[int, dict[str, Any]] = defaultdict(
        lambda: _columns(unrated, UNRATED_COMMON_GROUND)
    )
    for row in rows:
        columns[row["pk"]] = _columns(_groups(row), row["common_ground"])
    return columns


def _columns(groups: list[GroupFigures], score: float) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for group in groups:
        record[f"raters_{group.language}"] = group.raters
    for group in groups:
        record[f"favourable_share_{group.language}"] = _rounded(group.favourable_share, 3)
    for group in groups:
        record[f"works_mean_{group.language}"] = _rounded(group.works_mean, 2)
    for group in groups:
        record[f"respects_mean_{group.language}"] = _rounded(group.respects_mean, 2)
    record["common_ground_score"] = _rounded(score, 4)
    return record


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
