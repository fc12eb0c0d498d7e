"""The discussion's use cases: the rules that span articles, threads, readers and moderators."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from articles.models import Article
from safeguards.emails import normalise_email

from . import moderation, notifications
from .models import Comment, Commenter, ModerationDecision, Rating, Report, Rule

MAX_STRATEGIES = 3


def check_discussion_open(article: Article) -> None:
    if not article.accepts_replies:
        raise ValidationError(
            _("The discussion of this article is closed; new replies are not accepted."),
            code="closed",
        )


def reply_target(*, article: Article, parent_id: int | None) -> Comment | None:
    """The published comment of `article` that a reply answers, or None for a top-level reply."""
    if parent_id is None:
        return None
    parent = Comment.objects.filter(pk=parent_id, article=article).visible().first()
    if parent is None:
        raise ValidationError(
            _("The comment you are replying to is not published in this discussion."),
            code="invalid_parent",
        )
    return parent


def attach_point(parent: Comment | None) -> Comment | None:
    """Where a reply to `parent` goes: under it, or beside it once the thread is at full depth."""
    if parent is not None and parent.depth >= settings.COMMENTS_MAX_DEPTH:
        return parent.parent
    return parent


def check_not_blocked(*, email: str, ip_address: str | None) -> None:
    if moderation.is_blocked(email=email, ip_address=ip_address):
        # Deliberately neutral: a blocked sender learns nothing to work around.
        raise ValidationError(
            _("Sorry, your reply could not be accepted. Nothing has been published."),
            code="refused",
        )


@dataclass(frozen=True)
class Posted:
    comment: Comment
    duplicate: bool = False


def comment_create(
    *,
    article: Article,
    author_name: str,
    author_email: str,
    body: str,
    parent: Comment | None = None,
    notify_replies: bool = False,
    strategies=(),
    sovereignty_mode: str = "",
    language: str = "",
    reader_key: str = "",
    ip_address: str | None = None,
    form_id: str = "",
) -> Posted:
    """Store a reader's reply after the automatic checks; it is published only if they allow.

    A reply identical to one the same email posted recently, at the same
    place, is not stored twice: the earlier one is returned instead. The
    same form sent twice at the same instant (a double click, a retry after
    a timeout) is caught by the database instead: `form_id`, from the form's
    signed stamp, makes a key that only one comment may hold.
    """
    check_discussion_open(article)
    email = normalise_email(author_email)
    check_not_blocked(email=email, ip_address=ip_address)
    if parent is not None and (parent.article_id != article.pk or not parent.is_published):
        raise ValidationError(
            _("The comment you are replying to is not published in this discussion."),
            code="invalid_parent",
        )
    attach_to = attach_point(parent)
    if attach_to is not None and (strategies or sovereignty_mode):
        raise ValidationError(
            _("Only answers to the article's question carry strategies."), code="not_a_proposal"
        )
    if len(strategies) > MAX_STRATEGIES:
        raise ValidationError(
            _("Choose at most %(max)d strategies.") % {"max": MAX_STRATEGIES}, code="too_many"
        )
    earlier = _recent_duplicate(article=article, email=email, body=body, parent=attach_to)
    if earlier is not None:
        return Posted(earlier, duplicate=True)
    verdict = moderation.assess(
        article=article, email=email, body=body, author_name=author_name, reader_key=reader_key
    )
    comment = Comment(
        article=article,
        parent=attach_to,
        replying_to=parent,
        root=(attach_to.root or attach_to) if attach_to else None,
        depth=attach_to.depth + 1 if attach_to else 1,
        author_name=author_name,
        author_email=email,
        body=body,
        status=verdict.status,
        rule=verdict.rule,
        rule_detail=verdict.detail,
        notify_replies=notify_replies,
        sovereignty_mode=sovereignty_mode,
        language=language or translation.get_language(),
        reader_key=reader_key,
        ip_address=ip_address,
        submission_key=_submission_key(form_id, parent=parent, body=body),
    )
    # The fields are checked here; the references were just read and the
    # database enforces the constraints, so checking those again would only
    # cost queries on every post.
    comment.full_clean(
        exclude=["article", "parent", "root", "replying_to"],
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            comment.save()
            if strategies:
                comment.strategies.set(strategies)
            if comment.is_published:
                Article.objects.filter(pk=article.pk).mark_changed(
                    **comment.counter_change("", comment.status)
                )
            ModerationDecision.objects.record(
                comment=comment, from_status="", to_status=verdict.status, rule=verdict.rule
            )
            commenter, _created = Commenter.objects.get_or_create(email=email)
    except IntegrityError:
        # The same form, sent again while the first was being stored.
        first = _same_submission(comment.submission_key)
        if first is None:
            raise
        return Posted(first, duplicate=True)
    _after_automatic_decision(comment, commenter=commenter)
    return Posted(comment)


def _submission_key(form_id: str, *, parent: Comment | None, body: str) -> str:
    """The same form, sent again to the same place with the same text, has the same key.

    A reader who goes back and changes the text sends a new reply.
    """
    if not form_id:
        return ""
    parent_id = parent.pk if parent is not None else ""
    return hashlib.sha256(f"{form_id}\n{parent_id}\n{body}".encode()).hexdigest()


def _same_submission(key: str) -> Comment | None:
    return Comment.objects.filter(submission_key=key).first() if key else None


def _recent_duplicate(*, article, email, body, parent) -> Comment | None:
    since = timezone.now() - timedelta(hours=settings.COMMENTS_DUPLICATE_WINDOW_HOURS)
    return (
        Comment.objects.for_article(article)
        .by_email(email)
        .filter(body=body, parent=parent, created__gte=since)
        .exclude(status=Comment.Status.WITHDRAWN)
        .first()
    )


def _after_automatic_decision(
    comment: Comment, *, commenter: Commenter | None = None, announce_reply: bool = True
) -> None:
    if comment.is_pending or comment.has_pending_edit:
        if settings.COMMENTS_MODERATOR_NOTIFICATIONS == "immediate":
            notifications.after_commit(
                notifications.tell_moderators_a_comment_waits,
                notifications.waiting_summary(comment),
            )
    elif comment.is_published and comment.parent_id and announce_reply:
        notifications.after_commit(notifications.tell_author_of_a_reply, comment.pk)
    if commenter is not None and _needs_confirmation_link(commenter):
        notifications.after_commit(
            notifications.send_email_confirmation, commenter.email, comment.language
        )


def _needs_confirmation_link(commenter: Commenter) -> bool:
    """An unconfirmed address gets a link, and a new one once the last has expired."""
    if commenter.is_confirmed:
        return False
    if commenter.confirmation_sent is None:
        return True
    expired = timezone.now() - timedelta(seconds=notifications.CONFIRMATION_MAX_AGE)
    return commenter.confirmation_sent < expired


def comment_edit(*, comment: Comment, body: str, reader_key: str) -> Comment:
    """Its author changes a comment within the edit window; the new text is checked again.

    A published comment keeps showing its approved text until a moderator
    approves the new one, unless the checks publish it at once.
    """
    if not comment.can_be_changed_by(reader_key):
        raise PermissionDenied
    if body == (comment.pending_body or comment.body):
        return comment
    verdict = moderation.assess(
        article=comment.article,
        email=comment.author_email,
        body=body,
        author_name=comment.author_name,
        reader_key=reader_key,
    )
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        # Checked again under the lock: a moderator may have decided meanwhile.
        if not current.can_be_changed_by(reader_key):
            raise PermissionDenied
        changes = {"edited": timezone.now(), "rule": verdict.rule, "rule_detail": verdict.detail}
        if current.is_published and not verdict.publishes:
            changes.update(pending_body=body)
        elif current.is_pending and current.rule == Rule.REPORTS:
            # Readers' reports hid it: only a moderator brings it back.
            changes.update(body=body, pending_body="", rule=Rule.REPORTS, rule_detail="")
        else:
            changes.update(body=body, pending_body="", status=verdict.status)
        Comment.objects.filter(pk=comment.pk).update(**changes)
        Article.objects.filter(pk=comment.article_id).mark_changed(
            **current.counter_change(current.status, changes.get("status", current.status))
        )
        ModerationDecision.objects.record(
            comment=comment,
            from_status=current.status,
            to_status=changes.get("status", current.status),
            rule=verdict.rule,
            edit=body,
        )
    comment.refresh_from_db()
    # An edit announces a reply only if it publishes it for the first time.
    first_published = comment.is_published and current.status != Comment.Status.APPROVED
    _after_automatic_decision(comment, announce_reply=first_published)
    return comment


def comment_withdraw(*, comment: Comment, reader_key: str) -> None:
    """Its author takes a comment back within the edit window; replies to it stay."""
    if not comment.can_be_changed_by(reader_key):
        raise PermissionDenied
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        Comment.objects.filter(pk=comment.pk).update(
            status=Comment.Status.WITHDRAWN, pending_body=""
        )
        Article.objects.filter(pk=comment.article_id).mark_changed(
            **current.counter_change(current.status, Comment.Status.WITHDRAWN)
        )
        ModerationDecision.objects.record(
            comment=comment, from_status=current.status, to_status=Comment.Status.WITHDRAWN
        )
    comment.status = Comment.Status.WITHDRAWN


def comment_moderate(
    *,
    comment: Comment,
    status: str,
    by,
    reason: str = "",
    note: str = "",
    tell_author=False,
    waiting_only=False,
    seen_text_version: str | None = None,
) -> ModerationDecision | None:
    """A moderator's decision, with what follows from it once committed."""
    decision = comment.decide(
        status,
        by=by,
        reason=reason,
        note=note,
        waiting_only=waiting_only,
        seen_text_version=seen_text_version,
    )
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
class QueueDecisions:
    decided: int = 0
    edits_published: int = 0
    edits_refused: int = 0
    # Decided by another moderator, withdrawn, or edited after the page was shown.
    left_as_they_were: int = 0


def queue_decide(
    *,
    comments,
    seen: dict[int, str],
    status: str,
    by,
    reason: str = "",
    note: str = "",
    tell_author=False,
) -> QueueDecisions:
    """A decision taken from the moderation queue, about the comments as the page showed them.

    `seen` gives the text_version of each comment as shown. A comment that
    another moderator decided meanwhile keeps that decision, and one whose
    author changed it since is left for the moderator to read again.
    """
    outcome = QueueDecisions()
    for comment in comments:
        about_an_edit = comment.is_published and comment.has_pending_edit
        decision = comment_moderate(
            comment=comment,
            status=status,
            by=by,
            reason=reason,
            note=note,
            tell_author=tell_author,
            waiting_only=True,
            seen_text_version=seen.get(comment.pk, ""),
        )
        if decision is None:
            outcome.left_as_they_were += 1
        elif about_an_edit and status == Comment.Status.APPROVED:
            outcome.edits_published += 1
        elif about_an_edit and status == Comment.Status.REJECTED:
            outcome.edits_refused += 1
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


def report_create(
    *, comment: Comment, reason: str, text: str, reader_key: str, ip_address: str | None
) -> Report:
    """A reader reports a published comment, once; enough reports hide it for a moderator."""
    if not comment.is_published:
        raise ValidationError(_("Only published comments can be reported."), code="not_published")
    report = Report(
        comment=comment, reason=reason, text=text, reader_key=reader_key, ip_address=ip_address
    )
    report.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError(
            _("You have already reported this comment. Thank you; moderators will look at it."),
            code="already_reported",
        ) from None
    open_reports = comment.reports.filter(resolved__isnull=True).count()
    if open_reports >= settings.COMMENTS_REPORT_HIDE_THRESHOLD:
        comment.decide(
            Comment.Status.PENDING,
            by=None,
            rule=Rule.REPORTS,
            rule_detail=str(open_reports),
        )
        if settings.COMMENTS_MODERATOR_NOTIFICATIONS == "immediate":
            notifications.after_commit(
                notifications.tell_moderators_a_comment_waits,
                notifications.waiting_summary(comment),
            )
    return report


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


def commenter_confirm(email: str) -> Commenter:
    commenter, _created = Commenter.objects.get_or_create(email=email)
    if not commenter.is_confirmed:
        Commenter.objects.filter(pk=commenter.pk).update(confirmed=timezone.now())
        commenter.refresh_from_db()
    return commenter


def reply_notifications_stop(email: str) -> int:
    return Comment.objects.by_email(email).filter(notify_replies=True).update(notify_replies=False)


def rating_record(*, comment: Comment, reader_key: str, works: int, respects: int) -> Rating:
    """A reader's rating of a published proposal: one per reader, changed in place.

    The proposal's totals move by the difference in the same transaction, with
    F() expressions, so that concurrent ratings all count.
    """
    if not (comment.is_published and comment.is_proposal):
        raise ValidationError(_("Only published proposals can be rated."), code="not_rateable")
    if not reader_key:
        raise ValidationError(_("Your browser must accept cookies to rate."), code="no_reader")
    with transaction.atomic():
        rating = _rating_save(
            comment=comment, reader_key=reader_key, works=works, respects=respects
        )
        # After the comment's row, like every other change: one lock order, no deadlock.
        Article.objects.filter(pk=comment.article_id).mark_changed()
    return rating


def _rating_save(*, comment: Comment, reader_key: str, works: int, respects: int) -> Rating:
    rating = (
        Rating.objects.select_for_update().filter(comment=comment, reader_key=reader_key).first()
    )
    if rating is None:
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    comment=comment, reader_key=reader_key, works=works, respects=respects
                )
        except IntegrityError:
            # The same reader rated in another request at the same moment.
            rating = Rating.objects.select_for_update().get(comment=comment, reader_key=reader_key)
        else:
            Comment.objects.filter(pk=comment.pk).update(
                rating_count=F("rating_count") + 1,
                works_total=F("works_total") + works,
                respects_total=F("respects_total") + respects,
            )
            return rating
    Comment.objects.filter(pk=comment.pk).update(
        works_total=F("works_total") + (works - rating.works),
        respects_total=F("respects_total") + (respects - rating.respects),
    )
    Rating.objects.filter(pk=rating.pk).update(
        works=works, respects=respects, updated=timezone.now()
    )
    rating.works, rating.respects = works, respects
    return rating
