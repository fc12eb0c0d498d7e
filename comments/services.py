"""The discussion's use cases: the rules that span articles, threads, readers and moderators."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from articles.models import Article
from safeguards.emails import normalise_email
from safeguards.networks import client_network

from . import automatic_checks, notifications
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
    if automatic_checks.is_blocked(email=email, ip_address=ip_address):
        # Deliberately neutral: a blocked sender learns nothing to work around.
        raise ValidationError(
            _("Sorry, your reply could not be accepted. Nothing has been published."),
            code="refused",
        )


@dataclass(frozen=True)
class Posted:
    comment: Comment
    duplicate: bool = False
    # The author asked to be emailed about replies from an address not yet
    # confirmed: the emails start once it is (notifications.tell_author_of_a_reply).
    replies_await_confirmation: bool = False


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
    verdict = automatic_checks.assess(
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
    return Posted(comment, replies_await_confirmation=notify_replies and not commenter.is_confirmed)


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
    verdict = automatic_checks.assess(
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
        changes = {"rule": verdict.rule, "rule_detail": verdict.detail}
        if current.is_published and not verdict.publishes:
            # Readers keep the approved text, and its `edited` time, until a moderator decides.
            changes.update(pending_body=body)
        elif current.is_pending and current.rule == Rule.REPORTS:
            # Readers' reports hid it: only a moderator brings it back.
            changes.update(
                body=body, pending_body="", edited=timezone.now(), rule=Rule.REPORTS, rule_detail=""
            )
        else:
            changes.update(body=body, pending_body="", edited=timezone.now(), status=verdict.status)
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
    edits_published: int = 0
    edits_refused: int = 0
    # Already as asked, as the screen showed it.
    unchanged: int = 0
    # Decided by another moderator, withdrawn, or edited since the screen showed it.
    left_as_they_were: int = 0


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
        if decision is None and seen == comment.shown_version and comment.status == status:
            outcome.unchanged += 1
        elif decision is None:
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
    """A reader reports a published comment, once; enough reports hide it for a moderator.

    Towards hiding it, reports count once per client network, and never its
    own author's: a cookie is not a person, and private windows cost nothing.
    Every report is kept and shown to the moderators all the same.
    """
    if not comment.is_published:
        raise ValidationError(_("Only published comments can be reported."), code="not_published")
    report = Report(
        comment=comment,
        reason=reason,
        text=text,
        reader_key=reader_key,
        ip_address=ip_address,
        network=client_network(ip_address),
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
    reporters = comment.reports.open().not_by_author_of(comment).people()
    if reporters >= settings.COMMENTS_REPORT_HIDE_THRESHOLD:
        comment.decide(
            Comment.Status.PENDING,
            by=None,
            rule=Rule.REPORTS,
            rule_detail=str(reporters),
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


def rating_record(
    *,
    comment: Comment,
    reader_key: str,
    works: int,
    respects: int,
    ip_address: str | None = None,
) -> Rating:
    """A reader's rating of a published proposal: one per reader, changed in place.

    The proposal's figures count one rating per client network, the latest:
    a new browser on the same network replaces the earlier rating's part in
    them rather than adding to it. Its author's own rating is refused.
    """
    if not (comment.is_published and comment.is_proposal):
        raise ValidationError(_("Only published proposals can be rated."), code="not_rateable")
    if not reader_key:
        raise ValidationError(_("Your browser must accept cookies to rate."), code="no_reader")
    if _written_by(comment, reader_key):
        raise ValidationError(
            _("You cannot rate your own proposal: its figures are other readers' answers."),
            code="own_proposal",
        )
    with transaction.atomic():
        rating = _rating_save(
            comment=comment,
            reader_key=reader_key,
            network=client_network(ip_address),
            works=works,
            respects=respects,
        )
        # After the comment's row, like every other change: one lock order, no deadlock.
        Article.objects.filter(pk=comment.article_id).mark_changed()
    return rating


def _written_by(comment: Comment, reader_key: str) -> bool:
    """Whether this browser wrote `comment`, or wrote under its address."""
    if comment.is_authored_by(reader_key):
        return True
    return bool(comment.author_email) and (
        Comment.objects.by_email(comment.author_email).filter(reader_key=reader_key).exists()
    )


def _rating_save(
    *, comment: Comment, reader_key: str, network: str, works: int, respects: int
) -> Rating:
    """Store the reader's rating as the counted one of its network; move the totals to match.

    The proposal's row is locked first, so the ratings of one proposal are
    saved one after another: which rating counts depends on the others from
    the same network. The totals move by what the ratings concerned counted
    before and after, in one F() update.
    """
    Comment.objects.select_for_update().filter(pk=comment.pk).values("pk").get()
    rating = Rating.objects.filter(comment=comment, reader_key=reader_key).first()
    left = rating.network if rating is not None and rating.counted else ""
    concerned = Rating.objects.filter(comment=comment).filter(
        Q(reader_key=reader_key) | Q(network__in={network, left} - {""})
    )
    before = concerned.counted().totals()
    if network:
        # The network's earlier rating, from another browser, stops counting.
        concerned.counted().filter(network=network).exclude(reader_key=reader_key).update(
            counted=False
        )
    now = timezone.now()
    if rating is None:
        # No other request of this reader can be storing one now: it would
        # be waiting for the lock above.
        rating = Rating.objects.create(
            comment=comment,
            reader_key=reader_key,
            network=network,
            works=works,
            respects=respects,
            created=now,
            updated=now,
        )
    else:
        Rating.objects.filter(pk=rating.pk).update(
            network=network, works=works, respects=respects, counted=True, updated=now
        )
        rating.network, rating.works, rating.respects = network, works, respects
        rating.counted, rating.updated = True, now
    if left and left != network:
        # This browser's rating moved to another network: the latest one left
        # in the network it came from counts there again.
        latest = Rating.objects.filter(comment=comment, network=left).order_by("-updated", "-id")
        Rating.objects.filter(pk__in=latest.values("pk")[:1]).update(counted=True)
    raters, works_total, respects_total = concerned.counted().totals()
    change = {
        "rating_count": raters - before[0],
        "works_total": works_total - before[1],
        "respects_total": respects_total - before[2],
    }
    if any(change.values()):
        Comment.objects.filter(pk=comment.pk).update(
            **{field: F(field) + delta for field, delta in change.items()}
        )
    return rating
