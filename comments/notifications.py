"""Emails about the discussion, sent only after the transaction that caused them commits.

Each email is a task (Django's tasks framework): with the default immediate
backend it is sent right after the commit; a worker backend can take them
out of the request entirely. A failing mail server never loses a comment:
the comment is already committed, and the failure is logged by the task.

Each email is written in its reader's language, whatever language the
request that caused it was in: commenters get the language they wrote in,
moderators the site's. A task may run in a worker, long after the request.
"""

import logging
from collections.abc import Iterable
from functools import partial
from typing import cast

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


def after_commit(email_task, *args) -> None:
    transaction.on_commit(partial(email_task.enqueue, *args))


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


@task
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


@task
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


@task
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


@task
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


@task
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
