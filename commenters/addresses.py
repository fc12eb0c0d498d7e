"""A commenter's address: confirmed from the link emailed to it, or unsubscribed from replies."""

from django.utils import timezone

from comments.models import Comment, Commenter


def commenter_confirm(email: str) -> Commenter:
    commenter, _created = Commenter.objects.get_or_create(email=email)
    if not commenter.is_confirmed:
        Commenter.objects.filter(pk=commenter.pk).update(confirmed=timezone.now())
        commenter.refresh_from_db()
    return commenter


def reply_notifications_stop(email: str) -> int:
    return Comment.objects.by_email(email).filter(notify_replies=True).update(notify_replies=False)
