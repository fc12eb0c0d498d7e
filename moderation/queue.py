"""The moderation queue: what has waited longest first, a screenful at a time.

The queue is read from a position (a keyset), never an offset and never a
count of the whole table, so its page costs the same with a hundred comments
waiting or a hundred thousand. A page reads plain rows rather than model
instances: a moderator's screen needs a few columns of each comment, and
building full instances cost more than the queries themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import cast

from django.db import connection
from django.db.models import F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils.functional import Promise

from comments import automatic_checks
from comments.models import (
    WAITING_COUNT,
    Comment,
    ModerationDecision,
    Reason,
    Report,
    Rule,
    SovereigntyMode,
    Strategy,
    WrittenText,
    excerpt,
)

PAGE_SIZE = 20
FIRST_REPLIES_SHOWN = 2

_COLUMNS = [
    "pk",
    "created",
    "status",
    "author_name",
    "author_email",
    "body",
    "pending_body",
    "rule",
    "rule_detail",
    "root_id",
    "parent_id",
    "language",
    "sovereignty_mode",
    "article__title",
    "parent__author_name",
    "parent__body",
    "revision_of_id",
]


def waiting_count(request) -> int:
    """How many comments wait for a moderator, read once per request however often shown."""
    if not hasattr(request, "_comments_waiting"):
        request._comments_waiting = WAITING_COUNT.get()
    return request._comments_waiting


@dataclass(frozen=True)
class Position:
    """Where a page of the queue ends: the (created, id) of its last comment."""

    created: datetime
    pk: int

    def __str__(self) -> str:
        micros = round(self.created.timestamp() * 1_000_000)
        return f"{micros}-{self.pk}"

    @classmethod
    def parse(cls, text: str) -> Position | None:
        """The position written by str(), or None for anything else (the queue's start)."""
        micros, _, pk = text.partition("-")
        if not (micros.isdigit() and pk.isdigit()) or len(micros) > 18 or len(pk) > 18:
            return None
        try:
            created = datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return cls(created=created, pk=int(pk))


@dataclass(frozen=True)
class OpenReport:
    reason: str | Promise
    text: str


@dataclass(frozen=True)
class Reply:
    author_name: str
    status_label: str | Promise
    excerpt: str


@dataclass
class Waiting(WrittenText):
    """A comment as the queue shows it: the words to judge and their context."""

    pk: int
    created: datetime
    # Pending, or published with an edit waiting: part of what the moderator saw.
    status: str
    author_name: str
    author_email: str
    body: str
    pending_body: str
    rule: str
    rule_detail: str
    root_id: int | None
    parent_id: int | None
    language: str
    sovereignty_mode: str
    article_title: str
    parent_author_name: str | None
    parent_excerpt: str | None
    open_reports: list[OpenReport] = field(default_factory=list)
    # How many readers the open reports stand for: one per client network
    # (ReportQuerySet.people), however many browsers they came from.
    reporters: int = 0
    strategy_ids: list[int] = field(default_factory=list)
    first_replies: list[Reply] = field(default_factory=list)
    # The rejected comment this one revises (comments.revising), and the reason it was rejected for.
    revision_of_id: int | None = None
    revised_reason: str = ""

    @classmethod
    def from_row(cls, row: dict) -> Waiting:
        parent_body = row["parent__body"]
        return cls(
            pk=row["pk"],
            created=row["created"],
            status=row["status"],
            author_name=row["author_name"],
            author_email=row["author_email"],
            body=row["body"],
            pending_body=row["pending_body"],
            rule=row["rule"],
            rule_detail=row["rule_detail"],
            root_id=row["root_id"],
            parent_id=row["parent_id"],
            language=row["language"],
            sovereignty_mode=row["sovereignty_mode"],
            article_title=row["article__title"],
            parent_author_name=row["parent__author_name"],
            parent_excerpt=excerpt(parent_body) if parent_body is not None else None,
            revision_of_id=row["revision_of_id"],
            revised_reason=row["revised_reason"] or "",
        )

    @property
    def position(self) -> Position:
        return Position(self.created, self.pk)

    @property
    def why(self) -> str:
        return automatic_checks.describe(self.rule, self.rule_detail) if self.rule else ""

    @property
    def revised_because(self) -> str:
        """Why the original of a revision was rejected, in the moderator's language."""
        if self.revised_reason not in Reason.values:
            return ""
        return str(Reason(self.revised_reason).label)

    @property
    def thread_id(self) -> int | None:
        """The thread readers see it in, if they have ever seen it."""
        return self.root_id or (self.pk if self.was_published else None)

    @property
    def is_proposal(self) -> bool:
        """A top-level reply, which may name strategies and a sovereignty mode."""
        return self.parent_id is None

    @property
    def hidden_by_reports(self) -> bool:
        """Taken off the site by readers' reports: the decision is about those reports."""
        return self.status == Comment.Status.PENDING and self.rule == Rule.REPORTS

    @property
    def sovereignty_label(self) -> str | Promise:
        return SovereigntyMode(self.sovereignty_mode).label if self.sovereignty_mode else ""

    @property
    def was_published(self) -> bool:
        # Readers reply to and report only published comments: only an edit
        # of one, or one its reports took off the site, has either.
        return self.has_pending_edit or self.rule == Rule.REPORTS


@dataclass(frozen=True)
class QueuePage:
    comments: list[Waiting]
    # Where the next page starts, or None on the last page.
    following: Position | None
    started_after: Position | None


def queue_page(*, after: Position | None = None, size: int = PAGE_SIZE) -> QueuePage:
    """Comments waiting for a moderator, oldest first, with what a moderator needs to judge them.

    New comments and edits of published ones are found separately, each
    through its own index, and read in one query: the page's rows are among
    the first `size` + 1 of each.
    """
    new = Comment.objects.filter(status=Comment.Status.PENDING)
    edits = Comment.objects.filter(~Q(pending_body="")).exclude(status=Comment.Status.PENDING)
    if after is not None:
        beyond = Q(created__gt=after.created) | Q(created=after.created, pk__gt=after.pk)
        new, edits = new.filter(beyond), edits.filter(beyond)
    first_new, first_edits = (
        qs.order_by("created", "pk").values("pk")[: size + 1] for qs in (new, edits)
    )
    if connection.features.supports_slicing_ordering_in_compound:
        # PostgreSQL: an OR of the two would scan the table; a UNION of the
        # two short lists is looked up id by id.
        on_page = Q(pk__in=first_new.union(first_edits, all=True))
    else:
        # SQLite cannot limit the parts of a UNION, but looks up each side of
        # an OR through its own index.
        on_page = Q(pk__in=first_new) | Q(pk__in=first_edits)
    candidates = _read(Comment.objects.filter(on_page).order_by("created", "pk"))
    shown = candidates[:size]
    _add_strategies([c for c in shown if c.is_proposal])
    _add_reports_and_replies([c for c in shown if c.was_published])
    following = shown[-1].position if len(candidates) > size else None
    return QueuePage(comments=shown, following=following, started_after=after)


def _read(comments) -> list[Waiting]:
    # In the same query: a subquery for the few comments that revise a rejected one.
    rejection = (
        ModerationDecision.objects.filter(
            comment=OuterRef("revision_of"), to_status=Comment.Status.REJECTED
        )
        .order_by("-created", "-id")
        .values("reason")[:1]
    )
    rows = comments.annotate(revised_reason=Subquery(rejection)).values(*_COLUMNS, "revised_reason")
    return [Waiting.from_row(row) for row in rows]


def _add_strategies(proposals: list[Waiting]) -> None:
    if not proposals:
        return
    by_pk = {comment.pk: comment for comment in proposals}
    named = Strategy.comments.through.objects.filter(comment__in=by_pk).order_by("pk")
    for comment_id, strategy_id in named.values_list("comment_id", "strategy_id"):
        by_pk[comment_id].strategy_ids.append(strategy_id)


def _add_reports_and_replies(shown: list[Waiting]) -> None:
    if not shown:
        return
    by_pk = {comment.pk: comment for comment in shown}
    open_reports = (
        Report.objects.filter(comment__in=by_pk, resolved__isnull=True)
        .order_by("comment", "created", "pk")
        .values_list("comment", "reason", "text", "network")
    )
    networks: dict[int, set[str]] = {}
    for pk, reason, text, network in open_reports:
        by_pk[pk].open_reports.append(OpenReport(Report.Reason(reason).label, text))
        if network:
            networks.setdefault(pk, set()).add(network)
        else:
            # A report from an unknown network counts alone, as people() counts it.
            by_pk[pk].reporters += 1
    for pk, seen in networks.items():
        by_pk[pk].reporters += len(seen)
    replies = (
        Comment.objects.filter(parent__in=by_pk)
        .annotate(
            place=Window(RowNumber(), partition_by=F("parent"), order_by=[F("created"), F("pk")])
        )
        .filter(place__lte=FIRST_REPLIES_SHOWN)
        .order_by("created", "pk")
        .values_list("parent", "author_name", "status", "body", "pending_body")
    )
    for parent, author_name, status, body, pending_body in replies:
        # Never None: the replies are read by their parent.
        by_pk[cast(int, parent)].first_replies.append(
            Reply(author_name, Comment.Status(status).label, excerpt(pending_body or body))
        )
