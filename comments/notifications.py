"""Emails about the discussion, sent only after the transaction that caused them commits.

Every email the site sends goes through one task, `send_email` (Django's
tasks framework), which names the email to write (a function registered with
`@email`) and its arguments. With the database backend (the default) the task
is a row written as the post's transaction commits, and a worker process
(`manage.py db_worker`) writes and sends the email: a mail server that hangs
never holds a reader's request, and a worker that is down loses nothing (the
row waits for it). A send that fails on the network or the mail server is
tried again later, after each of EMAIL_RETRY_DELAYS in turn; the last failure
is logged by django.tasks with what was given up on, and its row is left
FAILED. The immediate backend (DJANGO_TASKS_BACKEND=immediate, the tests)
sends right after the commit, once.

Each email is written in its reader's language, whatever language the
request that caused it was in: commenters get the language they wrote in,
moderators the site's. A task may run in a worker, long after the request.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import partial
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from . import revising
from .guidelines import decision_guideline
from .models import Comment, Commenter, ModerationDecision, Report

logger = logging.getLogger(__name__)

CONFIRM_SALT = "sovereignty-forum.confirm-email"
UNSUBSCRIBE_SALT = "sovereignty-forum.unsubscribe"
CONFIRMATION_MAX_AGE = 60 * 60 * 24 * 7


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def confirmation_url(email: str) -> str:
    token = signing.dumps(email, salt=CONFIRM_SALT)
    return absolute(reverse("commenters:confirm-email", kwargs={"token": token}))


def unsubscribe_url(email: str) -> str:
    token = signing.dumps(email, salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("commenters:unsubscribe", kwargs={"token": token}))


def email_from_token(token: str, *, salt: str, max_age: int | None = None) -> str | None:
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None


def reader_language(language: str) -> str:
    """`language` if the site speaks it (a comment's may be unknown or old), else the site's own."""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# The emails send_email can write, by name. The name is stored in each task
# row: renaming one strands the rows queued under the old name.
EMAILS: dict[str, Callable[..., Any]] = {}


def email(compose: Callable[..., Any]) -> Callable[..., Any]:
    """Registers `compose`, which writes and sends one email from JSON-able arguments."""
    EMAILS[compose.__name__] = compose
    return compose


def enqueue(compose: Callable[..., Any], *args):
    """Queue the email `compose` writes; the task's result."""
    if EMAILS.get(compose.__name__) is not compose:
        raise ValueError(f"{compose.__name__} is not an @email")
    return send_email.enqueue(compose.__name__, *args)


def after_commit(compose: Callable[..., Any], *args) -> None:
    """Queue the email as the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(enqueue, compose, *args))


def retry_delay(attempt: int) -> int | None:
    """Seconds before the attempt after `attempt`, or None: give up.

    A backend that cannot run a task later (the immediate one) tries once.
    """
    if not send_email.get_backend().supports_defer:
        return None
    delays = settings.EMAIL_RETRY_DELAYS
    return delays[attempt - 1] if attempt <= len(delays) else None


@task
def send_email(name: str, *args, attempt: int = 1) -> Any:
    """Write and send the email `name` (see EMAILS); on a network or SMTP failure, try later.

    Each try is a task of its own, queued to run after its delay: the worker
    is free meanwhile, and a try waiting survives a restart.
    """
    compose = EMAILS[name]
    try:
        return compose(*args)
    except OSError as error:  # smtplib's errors, refused and timed-out connections
        delay = retry_delay(attempt)
        if delay is None:
            # django.tasks logs the failure with this note and marks the task failed.
            error.add_note(f"Gave up on the email {name} after {attempt} attempt(s).")
            raise
        run_after = timezone.now() + timedelta(seconds=delay)
        send_email.using(run_after=run_after).enqueue(name, *args, attempt=attempt + 1)
        logger.warning(
            "Email %s not sent (attempt %d: %r); trying again in %d s",
            name,
            attempt,
            error,
            delay,
        )
        return {"not_sent": repr(error), "next_attempt": attempt + 1, "at": run_after.isoformat()}


def forget_emails_about(email: str, comment_ids: list[int], report_texts: list[str]) -> int:
    """Delete the email task rows, sent or waiting, that hold what an erasure removes.

    A confirmation's row holds its address; a moderators' notice holds the
    waiting comment's text and author's name, and the texts of the reports
    that hid it (waiting_summary). An erasure must not leave them in the task
    table until it is pruned. Other emails' rows hold ids only. Returns how
    many rows were deleted.
    """
    rows = DBTaskResult.objects.filter(task_path=send_email.module_path)
    wanted = {send_email_confirmation.__name__, tell_moderators_a_comment_waits.__name__}
    ids, texts = set(comment_ids), set(report_texts)
    holding = [
        row.pk
        for row in rows.filter(args_kwargs__args__0__in=wanted).only("args_kwargs")
        if _holds(row.args_kwargs["args"][1:], email, ids, texts)
    ]
    return DBTaskResult.objects.filter(pk__in=holding).delete()[0]


def _holds(arguments: list, email: str, comment_ids: set[int], report_texts: set[str]) -> bool:
    first = arguments[0] if arguments else None
    if isinstance(first, dict):  # A waiting_summary().
        quoted = {report.get("text") for report in first.get("reports", [])}
        return first.get("pk") in comment_ids or bool(quoted & report_texts)
    return first == email


def moderator_emails() -> list[str]:
    # Read for every reply that waits, changed when someone joins the team:
    # a few minutes' delay in reaching a new moderator is fine.
    try:
        emails = cache.get_or_set("moderation:moderator-emails", _moderator_emails, 300)
        return cast(list[str], emails)
    except Exception:
        return _moderator_emails()


def _moderator_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    # Editors moderate too (they also open and close discussions).
    teams = ["Moderators", "Editors"]
    moderators = users.filter(Q(groups__name__in=teams) | Q(is_superuser=True)).distinct()
    return list(moderators.values_list("email", flat=True))


def waiting_summary(comment: Comment, *, hidden_by: Iterable[Report] = ()) -> dict:
    """What the moderators' email says of a waiting comment, so that sending it reads nothing.

    `hidden_by`: the open reports that took a published comment off the site,
    whose reasons the email quotes.
    """
    return {
        "pk": comment.pk,
        "excerpt": comment.review_excerpt,
        "author_name": comment.author_name,
        "text": comment.pending_body or comment.body,
        "article": {"title": comment.article.title},
        "reports": [{"reason": report.reason, "text": report.text} for report in hidden_by],
    }


def _send(subject: str, template: str, context: dict, to: list[str], headers=None) -> None:
    if not to:
        return
    body = render_to_string(template, {"site_url": settings.SITE_URL, **context})
    EmailMessage(subject, body, to=to, headers=headers or {}).send()


def queue_url() -> str:
    return absolute(reverse("admin:comments_comment_queue"))


@email
def tell_moderators_a_comment_waits(comment: dict) -> None:
    """`comment` is a waiting_summary()."""
    # Summaries enqueued before reports were quoted have none.
    reports = comment.get("reports", [])
    with translation.override(settings.LANGUAGE_CODE):
        subject = (
            _("Readers' reports hid a reply: %(excerpt)s")
            if reports
            else _("A reply awaits moderation: %(excerpt)s")
        )
        _send(
            subject % {"excerpt": comment["excerpt"]},
            "comments/email/comment_waits.txt",
            {
                "comment": comment,
                "reports": [
                    {"reason": Report.Reason(report["reason"]).label, "text": report["text"]}
                    for report in reports
                ],
                "queue_url": queue_url(),
                "change_url": absolute(
                    reverse("admin:comments_comment_change", args=[comment["pk"]])
                ),
            },
            moderator_emails(),
        )


@email
def send_moderation_digest() -> int:
    waiting = Comment.objects.needs_review().select_related("article").order_by("created")
    count = waiting.count()
    if count:
        with translation.override(settings.LANGUAGE_CODE):
            _send(
                _("%(count)s replies await moderation") % {"count": count},
                "comments/email/digest.txt",
                {"count": count, "comments": waiting[:20], "queue_url": queue_url()},
                moderator_emails(),
            )
    return count


@email
def tell_author_of_a_reply(reply_id: int) -> None:
    """Email the author of the comment `reply_id` answers, if they asked and own the address.

    Anyone can type someone else's address and tick "email me": the email
    goes only to an address its owner has confirmed, from the link sent to
    it. An unconfirmed request is kept, and counts from the confirmation on.
    """
    reply = Comment.objects.select_related("parent", "replying_to", "article").get(pk=reply_id)
    parent = reply.replying_to or reply.parent
    if parent is None or not parent.notify_replies or parent.author_email == reply.author_email:
        return
    if not Commenter.objects.filter(email=parent.author_email, confirmed__isnull=False).exists():
        logger.info("Reply not announced: the address asking for it is not confirmed")
        return
    unsubscribe = unsubscribe_url(parent.author_email)
    with translation.override(reader_language(parent.language)):
        _send(
            _("%(name)s replied to your comment") % {"name": reply.author_name},
            "comments/email/reply.txt",
            {
                "reply": reply,
                "parent": parent,
                "reply_url": absolute(reply.get_absolute_url()),
                "unsubscribe_url": unsubscribe,
            },
            [parent.author_email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


@email
def send_email_confirmation(email: str, language: str = "") -> None:
    """`language` is that of the comment that asked for the link (none in older tasks)."""
    asked_for_replies = Comment.objects.by_email(email).filter(notify_replies=True).exists()
    with translation.override(reader_language(language)):
        _send(
            _("Confirm your email address for Sovereignty Forum"),
            "comments/email/confirm.txt",
            {"confirm_url": confirmation_url(email), "asked_for_replies": asked_for_replies},
            [email],
        )
    Commenter.objects.filter(email=email).update(confirmation_sent=timezone.now())


@email
def tell_author_of_a_decision(decision_id: int) -> None:
    decision = ModerationDecision.objects.select_related("comment__article").get(pk=decision_id)
    # A reply rejected for a reason its author can fix may be revised once.
    revise_url = (
        absolute(revising.revision_path(decision)) if revising.offers_revision(decision) else ""
    )
    with translation.override(reader_language(decision.comment.language)):
        _send(
            _("About your reply on Sovereignty Forum"),
            "comments/email/decision.txt",
            {
                "decision": decision,
                "comment": decision.comment,
                "guidelines_url": absolute(decision_guideline(decision)),
                "revise_url": revise_url,
                "revise_days": revising.REVISION_LINK_DAYS,
            },
            [decision.comment.author_email],
        )
    ModerationDecision.objects.filter(pk=decision_id).update(author_notified=True)
