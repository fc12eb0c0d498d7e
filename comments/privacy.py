"""What the site holds about a commenter, and how it lets go of it.

A commenter is known by the email they gave. They may ask for everything
held about that address, and for it to be erased: their comments are
withdrawn and emptied, personal fields are removed, and the moderation
history is kept, without the personal data, so that decisions stay
accountable.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article

from .models import Comment, Commenter, ModerationDecision, Report

ERASED_NAME = "—"


def commenter_record(email: str) -> dict:
    counts = Comment.objects.by_email(email).aggregate(
        total=Count("id"),
        approved=Count("id", filter=Q(status=Comment.Status.APPROVED)),
        rejected=Count("id", filter=Q(status=Comment.Status.REJECTED)),
        spam=Count("id", filter=Q(status=Comment.Status.SPAM)),
    )
    confirmed = Commenter.objects.filter(email=email, confirmed__isnull=False).exists()
    return {**counts, "confirmed": confirmed}


def commenter_export(email: str) -> dict:
    email = email.lower()
    commenter = Commenter.objects.filter(email=email).first()
    comments = Comment.objects.by_email(email).select_related("article").order_by("created")
    decisions = ModerationDecision.objects.filter(comment__author_email=email).order_by("created")
    return {
        "email": email,
        "exported": timezone.now(),
        "confirmed": commenter.confirmed if commenter else None,
        "first_seen": commenter.created if commenter else None,
        "comments": [
            {
                "id": comment.pk,
                "article": comment.article.title,
                "url": settings.SITE_URL + comment.get_absolute_url(),
                "in_reply_to": comment.parent_id,
                "posted": comment.created,
                "edited": comment.edited,
                "status": comment.status,
                "name": comment.author_name,
                "email": comment.author_email,
                "text": comment.body,
                "edit_awaiting_moderation": comment.pending_body,
                "ip_address": comment.ip_address,
                "reply_notifications": comment.notify_replies,
            }
            for comment in comments
        ],
        "moderation": [
            {
                "comment": decision.comment_id,
                "decided": decision.created,
                "from": decision.from_status,
                "to": decision.to_status,
                "reason": decision.reason,
                "rule": decision.rule,
                # Earlier versions of their text: edits decided on, even refused ones.
                "edit": decision.edit,
            }
            for decision in decisions
        ],
    }


def commenter_erase(email: str, *, by=None) -> int:
    """Erase what is held for `email`; returns how many comments were withdrawn."""
    email = email.lower()
    with transaction.atomic():
        comments = list(Comment.objects.by_email(email).select_for_update())
        for comment in comments:
            ModerationDecision.objects.record(
                comment=comment,
                moderator=by,
                from_status=comment.status,
                to_status=Comment.Status.WITHDRAWN,
                note=_("Erased at the author's request."),
            )
        ids = [comment.pk for comment in comments]
        ModerationDecision.objects.filter(comment_id__in=ids).update(edit="")
        Report.objects.filter(comment_id__in=ids).update(ip_address=None)
        Comment.objects.filter(pk__in=ids).update(
            status=Comment.Status.WITHDRAWN,
            body="",
            pending_body="",
            author_name=ERASED_NAME,
            author_email="",
            ip_address=None,
            reader_key="",
            notify_replies=False,
            featured=False,
        )
        Commenter.objects.filter(email=email).delete()
        articles = Article.objects.filter(pk__in={comment.article_id for comment in comments})
        articles.mark_changed()
        articles.recount()
    return len(ids)


def ip_addresses_erase(*, older_than_days: int | None = None) -> int:
    """Forget the IP addresses of comments and reports older than the retention period."""
    days = settings.COMMENTS_IP_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    comments = Comment.objects.filter(created__lt=cutoff, ip_address__isnull=False).update(
        ip_address=None
    )
    reports = Report.objects.filter(created__lt=cutoff, ip_address__isnull=False).update(
        ip_address=None
    )
    return comments + reports
