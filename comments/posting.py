"""Posting, editing and withdrawing a reply: the rules a reader's words pass before they are stored.

Every new or changed text goes through the automatic checks
(`automatic_checks.assess`), which decide whether it is published at once.
"""

import hashlib
from dataclasses import dataclass, replace
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article
from safeguards.emails import normalise_email

from . import automatic_checks, notifications
from .models import Comment, Commenter, ModerationDecision, Rule

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
    # The revision of a rejected reply (comment_revise), waiting for a moderator.
    revised: bool = False


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
    revision_of: Comment | None = None,
) -> Posted:
    """Store a reader's reply after the automatic checks; it is published only if they allow.

    `revision_of` is the rejected reply this one revises (comment_revise): it
    is never published before a moderator reads it.

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
    known, earlier = _known_address(article=article, email=email, body=body, parent=attach_to)
    if earlier is not None:
        return Posted(earlier, duplicate=True)
    verdict = automatic_checks.assess(
        article=article, email=email, body=body, author_name=author_name, reader_key=reader_key
    )
    if revision_of is not None and verdict.publishes:
        verdict = automatic_checks.Verdict(Comment.Status.PENDING, Rule.REVISION)
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
        revision_of=revision_of,
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
            commenter = known or _first_record(email)
    except IntegrityError:
        # The same form, sent again while the first was being stored.
        first = _same_submission(comment.submission_key)
        if first is None and revision_of is not None and _already_revised(revision_of):
            raise ValidationError(ALREADY_REVISED, code="already_revised") from None
        if first is None:
            raise
        return Posted(first, duplicate=True)
    _after_automatic_decision(comment, commenter=commenter)
    return Posted(comment, replies_await_confirmation=notify_replies and not commenter.is_confirmed)


# Translated where it is shown (a form's error, the link's page).
ALREADY_REVISED = gettext_lazy(
    "You have already sent a revision of this reply; a reply can be revised once."
)


def comment_revise(
    *,
    original: Comment,
    body: str,
    language: str = "",
    reader_key: str = "",
    ip_address: str | None = None,
    form_id: str = "",
) -> Posted:
    """Its author's revision of a rejected reply (comments.revising), posted as any reply is.

    It takes the original's place in the thread (the comment it answered, its
    article, its strategies), and its author's name, address and wish to hear
    of replies; the text and its language are the new ones. It waits for a
    moderator, linked to the original.
    """
    proposal = original.parent_id is None
    posted = comment_create(
        article=original.article,
        author_name=original.author_name,
        author_email=original.author_email,
        body=body,
        parent=original.replying_to or original.parent,
        notify_replies=original.notify_replies,
        strategies=list(original.strategies.all()) if proposal else (),
        sovereignty_mode=original.sovereignty_mode if proposal else "",
        language=language,
        reader_key=reader_key,
        ip_address=ip_address,
        form_id=form_id,
        revision_of=original,
    )
    return posted if posted.duplicate else replace(posted, revised=True)


def _already_revised(original: Comment) -> bool:
    return Comment.objects.filter(revision_of=original).exists()


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


def _recent_duplicate(*, article, email, body, parent):
    """The same reply by the same address at the same place, lately (not withdrawn)."""
    since = timezone.now() - timedelta(hours=settings.COMMENTS_DUPLICATE_WINDOW_HOURS)
    return (
        Comment.objects.for_article(article)
        .by_email(email)
        .filter(body=body, parent=parent, created__gte=since)
        .exclude(status=Comment.Status.WITHDRAWN)
    )


def _known_address(*, article, email, body, parent) -> tuple[Commenter | None, Comment | None]:
    """The address's record, if it has one, and its recent identical reply, if any.

    One query for a returning reader: the record with the duplicate's id. An
    address without a record is looked for among the comments on its own.
    Read apart (the duplicate, then the record in the reply's transaction),
    posting cost 9 queries where the bench's target allows 8, once queueing
    the moderators' alert took one.
    """
    # The newest, if two identical posts raced past this check and were both stored.
    duplicate = _recent_duplicate(article=article, email=email, body=body, parent=parent)
    known = (
        Commenter.objects.filter(email=email)
        .annotate(duplicate_id=Subquery(duplicate.values("pk")[:1]))
        .first()
    )
    if known is None:
        return None, duplicate.first()
    if known.duplicate_id is None:
        return known, None
    return known, Comment.objects.filter(pk=known.duplicate_id).first()


def _first_record(email: str) -> Commenter:
    """The record of an address met for the first time, unless another post has just made it
    (the look-up before found none: no need to look again first, as get_or_create would)."""
    try:
        with transaction.atomic():
            return Commenter.objects.create(email=email)
    except IntegrityError:
        return Commenter.objects.get(email=email)


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
        changes: dict[str, object] = {"rule": verdict.rule, "rule_detail": verdict.detail}
        new_status = current.status
        if current.is_published and not verdict.publishes:
            # Readers keep the approved text, and its `edited` time, until a moderator decides.
            changes.update(pending_body=body)
        elif current.is_pending and current.rule == Rule.REPORTS:
            # Readers' reports hid it: only a moderator brings it back.
            changes.update(
                body=body, pending_body="", edited=timezone.now(), rule=Rule.REPORTS, rule_detail=""
            )
        else:
            new_status = verdict.status
            changes.update(body=body, pending_body="", edited=timezone.now(), status=new_status)
        Comment.objects.filter(pk=comment.pk).update(**changes)
        Article.objects.filter(pk=comment.article_id).mark_changed(
            **current.counter_change(current.status, new_status)
        )
        ModerationDecision.objects.record(
            comment=comment,
            from_status=current.status,
            to_status=new_status,
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
