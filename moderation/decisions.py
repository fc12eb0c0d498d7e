"""Moderators' decisions on comments and on readers' reports, with what follows from them."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from articles.models import Article
from comments import notifications
from comments.models import Comment, ModerationDecision, Rule, SovereigntyMode, Strategy

# How long a moderator may take back their last decision from the queue. The
# server allows a few seconds more than the page offers, for the click in flight.
UNDO_SECONDS = 10
_UNDO_GRACE_SECONDS = 5


def comment_moderate(
    *,
    comment: Comment,
    status: str,
    by,
    reason: str = "",
    note: str = "",
    tell_author=False,
    seen_version: str | None = None,
) -> ModerationDecision | None:
    """A moderator's decision, with what follows from it once committed.

    Moderators' screens decide through decide_as_shown(), which always
    names what the screen showed; without `seen_version`, the caller read
    the comment itself (a command, a script).
    """
    decision = comment.decide(status, by=by, reason=reason, note=note, seen_version=seen_version)
    if decision is None:
        return None
    # A refused edit is recorded as approved → approved: what the moderator
    # asked for, not the resulting status, says whether the author was refused.
    if tell_author and status in (Comment.Status.REJECTED, Comment.Status.SPAM):
        notifications.after_commit(notifications.tell_author_of_a_decision, decision.pk)
    if comment.parent_id and _first_publication(decision):
        notifications.after_commit(notifications.tell_author_of_a_reply, comment.pk)
    return decision


@dataclass
class Decisions:
    decided: int = 0
    # Hidden by readers' reports, published again: the moderator kept them.
    kept_after_reports: int = 0
    edits_published: int = 0
    edits_refused: int = 0
    # Already as asked, as the screen showed it.
    unchanged: int = 0
    # Decided by another moderator, withdrawn, or edited since the screen showed it.
    left_as_they_were: int = 0
    # The decisions recorded, which the moderator may undo for a moment.
    recorded: list[int] = field(default_factory=list)


def decide_as_shown(
    *,
    comments,
    shown: dict[int, str],
    status: str,
    by,
    reason: str = "",
    note: str = "",
    tell_author=False,
) -> Decisions:
    """A moderator's decision from any screen (the queue, the comment list, a comment's
    page), about the comments as that screen showed them.

    `shown` gives the shown_version of each comment as its screen drew it;
    a comment without one is not decided. A comment that another moderator
    decided meanwhile keeps that decision, and one whose author changed it
    since is left for the moderator to read again.
    """
    outcome = Decisions()
    for comment in comments:
        about_an_edit = comment.is_published and comment.has_pending_edit
        hidden_by_reports = comment.is_pending and comment.rule == Rule.REPORTS
        seen = shown.get(comment.pk, "")
        decision = comment_moderate(
            comment=comment,
            status=status,
            by=by,
            reason=reason,
            note=note,
            tell_author=tell_author,
            seen_version=seen,
        )
        if decision is not None:
            outcome.recorded.append(decision.pk)
        if decision is None and seen == comment.shown_version and comment.status == status:
            outcome.unchanged += 1
        elif decision is None:
            outcome.left_as_they_were += 1
        elif about_an_edit and status == Comment.Status.APPROVED:
            outcome.edits_published += 1
        elif about_an_edit and status == Comment.Status.REJECTED:
            outcome.edits_refused += 1
        elif hidden_by_reports and status == Comment.Status.APPROVED:
            outcome.kept_after_reports += 1
        else:
            outcome.decided += 1
    return outcome


def _first_publication(decision: ModerationDecision) -> bool:
    """Whether `decision` published its comment for the first time (not after reports, say)."""
    if not (decision.from_status != decision.to_status == Comment.Status.APPROVED):
        return False
    earlier = ModerationDecision.objects.filter(
        comment_id=decision.comment_id, to_status=Comment.Status.APPROVED
    ).exclude(pk=decision.pk)
    return not earlier.exists()


def reports_dismiss(*, comment: Comment, by) -> int:
    """A moderator finds the reports unfounded; a comment they hid is published again."""
    with transaction.atomic():
        dismissed = comment.reports.filter(resolved__isnull=True).update(
            resolved=timezone.now(), resolved_by=by
        )
        comment.refresh_from_db(fields=["status", "rule"])
        if comment.status == Comment.Status.PENDING and comment.rule == Rule.REPORTS:
            comment.decide(Comment.Status.APPROVED, by=by, note=_("Reports dismissed"))
    return dismissed


def decisions_undo(*, ids: Iterable[int], by) -> list[int]:
    """Take back `by`'s own decisions `ids`, made in the last UNDO_SECONDS; returns the ids
    of the comments they were about, in the order they were decided.

    The undo is recorded in the history beside the decision, which stays.
    Emails the decision sent (to a rejected author, to the author of the
    comment a published reply answers) are not recalled.
    """
    recent = timezone.now() - timedelta(seconds=UNDO_SECONDS + _UNDO_GRACE_SECONDS)
    undoable = ModerationDecision.objects.filter(
        pk__in=list(ids),
        moderator=by,
        kind=ModerationDecision.Kind.DECISION,
        created__gte=recent,
        undone_by__isnull=True,
    ).select_related("comment")
    return [
        decision.comment_id
        for decision in undoable.order_by("pk")
        if decision.comment.undo(decision, by=by) is not None
    ]


def tags_text(strategies: Iterable[Strategy], sovereignty_mode: str) -> str:
    """A proposal's tags as the history keeps them, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        names = sorted(strategy.label for strategy in strategies)
        mode = str(SovereigntyMode(sovereignty_mode).label) if sovereignty_mode else ""
    return " · ".join(part for part in [", ".join(names), mode] if part)


def tags_correct(
    *, comment: Comment, strategies: Iterable[Strategy], sovereignty_mode: str, by
) -> ModerationDecision | None:
    """A moderator corrects the strategies a proposal names and its sovereignty mode.

    The correction is recorded in the comment's history (before → after);
    nothing is recorded when nothing changes.
    """
    strategies = list(strategies)
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        before = tags_text(current.strategies.all(), current.sovereignty_mode)
        after = tags_text(strategies, sovereignty_mode)
        if before == after:
            return None
        current.strategies.set(strategies)
        Comment.objects.filter(pk=current.pk).update(sovereignty_mode=sovereignty_mode)
        Article.objects.filter(pk=current.article_id).mark_changed()
        return ModerationDecision.objects.record(
            comment_id=current.pk,
            moderator=by,
            kind=ModerationDecision.Kind.CORRECTION,
            from_status=current.status,
            to_status=current.status,
            tags_before=before,
            tags_after=after,
        )
