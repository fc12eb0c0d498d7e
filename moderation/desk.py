"""The desk in figures, for the newsroom: what waits, who decided what, how fast, and why
comments were rejected.

One page, a fixed number of queries whatever the numbers of comments and
moderators: every figure is one aggregate over an index (the queue's, the
decisions' by date), and the median is read, as SQLite and PostgreSQL both
can, by counting the week's decisions and then reading the one or two in
the middle of their order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from comments.models import Comment, ModerationDecision, Reason, Rule

NO_REASON = _("(no reason)")


@dataclass(frozen=True)
class ReasonShare:
    reason: str | Promise
    count: int
    # Of the week's rejections, in percent.
    percent: int


@dataclass(frozen=True)
class DeskFigures:
    waiting: int
    oldest_waiting_since: datetime | None
    today_start: datetime
    week_start: datetime
    # (moderator's username, decisions), most decisions first.
    decisions_today: list[tuple[str, int]]
    decided_this_week: int
    median_wait: timedelta | None
    rejected_this_week: int
    rejections_by_reason: list[ReasonShare]

    @property
    def oldest_wait(self) -> str:
        if self.oldest_waiting_since is None:
            return ""
        return in_words(timezone.now() - self.oldest_waiting_since)

    @property
    def median_wait_words(self) -> str:
        return in_words(self.median_wait)


def in_words(delta: timedelta | None) -> str:
    """A duration as the page says it ("2 hours, 5 minutes"), in the active language."""
    if delta is None:
        return ""
    now = timezone.now()
    return timesince(now - delta, now, depth=2)


def moderators_decisions():
    """Decisions a moderator took and did not undo: neither corrections nor undos."""
    return ModerationDecision.objects.filter(
        kind=ModerationDecision.Kind.DECISION,
        moderator__isnull=False,
        undone_by__isnull=True,
    )


def desk_figures(*, waiting: int, now: datetime | None = None) -> DeskFigures:
    """`waiting`: how many comments wait (the count every admin page shows, often cached)."""
    now = now or timezone.now()
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    week_start = today_start - timedelta(days=today_start.weekday())
    return DeskFigures(
        waiting=waiting,
        oldest_waiting_since=_oldest_waiting(),
        today_start=today_start,
        week_start=week_start,
        decisions_today=_decisions_by_moderator(since=today_start),
        **_waits(since=week_start),
        **_rejections(since=week_start),
    )


def _oldest_waiting() -> datetime | None:
    # Each half on its own index, as the queue reads them.
    oldest_new = Comment.objects.pending().aggregate(at=Min("created"))["at"]
    oldest_edit = (
        Comment.objects.filter(~Q(pending_body=""))
        .exclude(status=Comment.Status.PENDING)
        .aggregate(at=Min("created"))["at"]
    )
    return min((at for at in (oldest_new, oldest_edit) if at is not None), default=None)


def _decisions_by_moderator(*, since: datetime) -> list[tuple[str, int]]:
    counts = (
        moderators_decisions()
        .filter(created__gte=since)
        .order_by()
        .values("moderator__username")
        .annotate(n=Count("id"))
        .order_by("-n", "moderator__username")
    )
    return [(row["moderator__username"], row["n"]) for row in counts]


def _waits(*, since: datetime) -> dict:
    """The median time from posting to a moderator's first decision, over the week's decisions.

    A comment readers' reports hid waited since the reports, not since it was
    posted: it is left out.
    """
    decided = (
        moderators_decisions()
        .filter(created__gte=since, from_status=Comment.Status.PENDING)
        .exclude(previous_rule=Rule.REPORTS)
        .annotate(
            wait=ExpressionWrapper(
                F("created") - F("comment__created"), output_field=DurationField()
            )
        )
    )
    count = decided.count()
    if not count:
        return {"decided_this_week": 0, "median_wait": None}
    middle = list(
        decided.order_by("wait", "pk").values_list("wait", flat=True)[
            (count - 1) // 2 : count // 2 + 1
        ]
    )
    return {"decided_this_week": count, "median_wait": sum(middle, timedelta()) / len(middle)}


def _rejections(*, since: datetime) -> dict:
    by_reason = list(
        moderators_decisions()
        .filter(created__gte=since, to_status=Comment.Status.REJECTED)
        .order_by()
        .values("reason")
        .annotate(n=Count("id"))
        .order_by("-n", "reason")
    )
    total = sum(row["n"] for row in by_reason)
    labels = dict(Reason.choices)
    shares = [
        ReasonShare(
            reason=labels.get(row["reason"], row["reason"]) if row["reason"] else NO_REASON,
            count=row["n"],
            percent=round(100 * row["n"] / total),
        )
        for row in by_reason
    ]
    return {"rejected_this_week": total, "rejections_by_reason": shares}
