"""What the site holds about a commenter, and how it lets go of it.

A commenter is known by the email they gave. They may ask for everything
held about that address, and for it to be erased: their comments are
withdrawn and emptied, personal fields are removed, and the moderation
history is kept, without the personal data, so that decisions stay
accountable. The reports and ratings they filed as a reader are theirs too
(see `filed_by`): erasure strips them of what they wrote and of what ties
them to a browser, and keeps what moderators and the published figures
rest on.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Case, Count, Q, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article
from comments import counters, notifications
from comments.models import Comment, Commenter, ModerationDecision, Rating, Report, comment_url

ERASED_NAME = "—"
# What an erased "something else" report says: it must say something
# (comments_report_other_explained), and it must not be what they wrote.
ERASED_TEXT = "—"

# The reader key of an erased report or rating: its own row id, so that it
# stays unique per comment (comments_report_once_per_reader,
# comments_rating_once_per_reader) and ties the row to no browser.
_ERASED_READER_KEY = Concat(Value("erased:"), Cast("pk", models.CharField()))

# What an erasure writes over, model by model. A field that says who someone
# is, where they wrote from, or what they wrote, belongs in its model's list.
ERASED_COMMENT_FIELDS = {
    "status": Comment.Status.WITHDRAWN,
    "body": "",
    "pending_body": "",
    "author_name": ERASED_NAME,
    "author_email": "",
    "ip_address": None,
    "reader_key": "",
    "notify_replies": False,
    "featured": False,
}
# The reason, the comment reported and its resolution stay: they are the
# moderators' record of why a comment was hidden or kept.
ERASED_REPORT_FIELDS = {
    "text": Case(When(reason=Report.Reason.OTHER, then=Value(ERASED_TEXT)), default=Value("")),
    "ip_address": None,
    # An unknown network counts as a sender of its own (ReportQuerySet.people).
    "network": "",
    "reader_key": _ERASED_READER_KEY,
}
# The scores stay: they are already in the figures the board and the open
# data have published, and without a reader key they say nothing of who
# gave them. The cost: that browser, no longer recognised, may rate (or
# report) the same comment once more.
ERASED_RATING_FIELDS = {
    # A counted rating stays counted without its network (an unknown
    # network counts on its own), so the published totals do not move.
    "network": "",
    "reader_key": _ERASED_READER_KEY,
}


def filed_by(queryset: models.QuerySet, email: str) -> models.QuerySet:
    """The reports or ratings in `queryset` filed from a browser `email` posted from.

    Reports and ratings carry no email, only the reader key of the browser
    they came from; a commenter's browsers are the reader keys on their
    comments. So this finds what they filed from a browser they also posted
    from, before or after. It cannot find what they filed from a browser
    they never posted from (another device, a private window, cleared
    cookies), nor anything once their comments are erased; and on a browser
    shared by two people it finds what either of them filed.
    """
    browsers = Comment.objects.by_email(email).exclude(reader_key="").values("reader_key")
    return queryset.filter(reader_key__in=browsers)


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
    reports = filed_by(Report.objects.all(), email).order_by("created", "pk")
    ratings = filed_by(Rating.objects.all(), email).order_by("created", "pk")
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
                # The rejected comment of theirs that this one revises, if any.
                "revision_of": comment.revision_of_id,
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
        # What they filed as a reader, about other people's comments: which
        # comment, never its text or its author.
        "reports_filed": [
            {
                "comment": report.comment_id,
                "url": settings.SITE_URL + comment_url("permalink", report.comment_id),
                "reported": report.created,
                "reason": report.reason,
                "text": report.text,
                "ip_address": report.ip_address,
            }
            for report in reports
        ],
        "ratings_given": [
            {
                "comment": rating.comment_id,
                "url": settings.SITE_URL + comment_url("permalink", rating.comment_id),
                "rated": rating.created,
                "changed": rating.updated,
                "works": rating.works,
                "respects": rating.respects,
                # The language they read the site in when rating.
                "language": rating.language,
            }
            for rating in ratings
        ],
    }


def commenter_erase(email: str, *, by=None) -> int:
    """Erase what is held for `email`; returns how many comments were withdrawn.

    All of it or nothing, in one transaction; erasing again changes nothing.
    Every article they wrote in gets a new version, so that cached pages
    drop their text as soon as the erasure commits.
    """
    email = email.lower()
    with transaction.atomic():
        comments = list(Comment.objects.by_email(email).select_for_update())
        # Before their comments lose the reader keys that tie these to them.
        filed = filed_by(Report.objects.all(), email)
        report_texts = list(filed.exclude(text="").values_list("text", flat=True))
        filed.update(**ERASED_REPORT_FIELDS)
        filed_by(Rating.objects.all(), email).update(**ERASED_RATING_FIELDS)
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
        Comment.objects.filter(pk__in=ids).update(**ERASED_COMMENT_FIELDS)
        Commenter.objects.filter(email=email).delete()
        notifications.forget_emails_about(email, ids, report_texts)
        articles = Article.objects.filter(pk__in={comment.article_id for comment in comments})
        articles.mark_changed()
        counters.recount(articles)
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


DAY = 60 * 60 * 24


def notice_facts() -> dict:
    """What the privacy notice says that the settings decide, in days and names.

    Plain values: they also name the notice's cached copy, so a changed
    setting is never described by an old copy.
    """
    return {
        "ip_days": settings.COMMENTS_IP_RETENTION_DAYS,
        "edit_minutes": settings.COMMENTS_EDIT_WINDOW_MINUTES,
        "confirm_days": notifications.CONFIRMATION_MAX_AGE // DAY,
        "reader_cookie": settings.READER_COOKIE_NAME,
        "reader_cookie_days": settings.READER_COOKIE_MAX_AGE // DAY,
        "author_cookie": settings.AUTHOR_COOKIE_NAME,
        "author_cookie_days": settings.READER_COOKIE_MAX_AGE // DAY,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "csrf_cookie_days": settings.CSRF_COOKIE_AGE // DAY,
        "language_cookie": settings.LANGUAGE_COOKIE_NAME,
        # Django's default: None, a cookie that ends with the browser's session.
        "language_cookie_days": (settings.LANGUAGE_COOKIE_AGE or 0) // DAY,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "session_cookie_days": settings.SESSION_COOKIE_AGE // DAY,
        "contact_email": settings.CONTACT_EMAIL,
    }
