"""A comment's status, and what it allows its author and its readers."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommentStatus(models.TextChoices):
    """Where a comment stands; also `Comment.Status`."""

    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")
    WITHDRAWN = "withdrawn", _("Withdrawn by its author")


class CommentStanding:
    """What a comment's status, author and age allow: for comments and the light
    copies of replies that thread pages read (threads.ShownReply)."""

    __slots__ = ()

    status: str
    reader_key: str
    created: datetime

    @property
    def is_published(self) -> bool:
        return self.status == CommentStatus.APPROVED

    @property
    def is_pending(self) -> bool:
        return self.status == CommentStatus.PENDING

    def is_visible_to(self, reader_key: str) -> bool:
        return self.is_published or (self.is_pending and self.is_authored_by(reader_key))

    def is_authored_by(self, reader_key: str) -> bool:
        return bool(reader_key) and self.reader_key == reader_key

    def edit_window_ends(self) -> datetime:
        return self.created + timedelta(minutes=settings.COMMENTS_EDIT_WINDOW_MINUTES)

    def can_be_changed_by(self, reader_key: str) -> bool:
        """Its author may edit or withdraw it for a short while after posting."""
        return (
            self.is_authored_by(reader_key)
            and self.status in (CommentStatus.PENDING, CommentStatus.APPROVED)
            and timezone.now() < self.edit_window_ends()
        )
