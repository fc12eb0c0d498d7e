"""How readers' ratings rank proposals: support that accounts for how many rated, and common ground.

Two estimators, both computed in the database from counted ratings only
(Rating.counted: one person counts once), so that any page can order by them.

- Support: a Bayesian average of a proposal's answers to both questions, as if
  `PRIOR_RATINGS` more readers had answered `PRIOR_MEAN` (the middle of the
  scale) to each. A 4.0/4.1 proposal with three raters ranks above a 3.2/2.0 one
  with twenty: the raw count of raters no longer decides.
- Common ground: readers are grouped by the language they read the site in
  when they rated (Rating.language). For each group, the smoothed share of its
  raters who find the proposal both likely to work and respectful of
  sovereignty (both answers at least `FAVOURABLE_FROM`), (favourable + 1) /
  (raters + 2); the score is the product over the groups. A proposal liked by
  one group only scores low, however many raters that group has
  (group-informed consensus).
"""

from functools import reduce
from operator import mul

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Cast

PRIOR_RATINGS = 5
PRIOR_MEAN = 3
FAVOURABLE_FROM = 4

# The groups of raters: the languages readers read the site in.
GROUPS = tuple(code for code, _name in settings.LANGUAGES)


def support_estimate(prefix: str = "") -> models.Expression:
    """The Bayesian average of both answers (1 to 5) of the comment at `prefix`."""
    totals = F(f"{prefix}works_total") + F(f"{prefix}respects_total")
    shrunk = Cast(totals + Value(2 * PRIOR_RATINGS * PRIOR_MEAN), models.FloatField())
    return shrunk / (2 * (F(f"{prefix}rating_count") + Value(PRIOR_RATINGS)))


def group_aggregates(prefix: str = "") -> dict[str, models.Aggregate]:
    """Per group: `raters_<g>`, `favourable_<g>`, `works_<g>`, `respects_<g>` (sums).

    `prefix` leads from the rows aggregated to their ratings ("ratings__" from
    comments, "" on ratings themselves).
    """
    aggregates: dict[str, models.Aggregate] = {}
    favourable = Q(
        **{f"{prefix}works__gte": FAVOURABLE_FROM, f"{prefix}respects__gte": FAVOURABLE_FROM}
    )
    rating = f"{prefix}pk" if prefix else "pk"
    for group in GROUPS:
        in_group = Q(**{f"{prefix}counted": True, f"{prefix}language": group})
        aggregates[f"raters_{group}"] = Count(rating, filter=in_group)
        aggregates[f"favourable_{group}"] = Count(rating, filter=in_group & favourable)
        aggregates[f"works_{group}"] = Sum(f"{prefix}works", filter=in_group, default=0)
        aggregates[f"respects_{group}"] = Sum(f"{prefix}respects", filter=in_group, default=0)
    return aggregates


def smoothed_share(favourable, raters) -> models.Expression:
    """(favourable + 1) / (raters + 2): a half for a group that has not rated."""
    return Cast(favourable + Value(1), models.FloatField()) / (raters + Value(2))


def common_ground_score(figures: dict[str, models.Aggregate] | None = None) -> models.Expression:
    """The product of each group's smoothed favourable share.

    With `figures` (from group_aggregates), computed from those expressions;
    without, from annotations of those names already on the query.
    """

    def figure(name: str):
        return figures[name] if figures is not None else F(name)

    shares = [
        smoothed_share(figure(f"favourable_{group}"), figure(f"raters_{group}")) for group in GROUPS
    ]
    return reduce(mul, shares)


# A proposal that no group has rated: a half for each group.
UNRATED_COMMON_GROUND = 0.5 ** len(GROUPS)
