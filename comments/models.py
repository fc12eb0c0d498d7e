from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class CommentQuerySet(models.QuerySet):
    def for_article(self, article: Article):
        return self.filter(article=article)

    def visible(self):
        return self.filter(status=Comment.Status.APPROVED)

    def visible_to(self, reader_key: str):
        """Published comments, plus the reader's own comments that still await moderation."""
        if not reader_key:
            return self.visible()
        return self.filter(
            Q(status=Comment.Status.APPROVED)
            | Q(status=Comment.Status.PENDING, reader_key=reader_key)
        )

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def top_level(self):
        return self.filter(parent__isnull=True)

    def newest_first(self):
        return self.order_by("-created", "-id")

    def oldest_first(self):
        return self.order_by("created", "id")


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")

    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="comments", verbose_name=_("article")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    # The top-level comment of the thread, so that a whole thread (or a page
    # of threads) is one indexed query. Set once when the reply is created;
    # empty on top-level comments.
    root = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # 1 for a top-level comment; fixed at creation like `root`.
    depth = models.PositiveSmallIntegerField(default=1, editable=False)
    author_name = models.CharField(_("name"), max_length=80)
    author_email = models.EmailField(_("email"), max_length=254)
    body = models.TextField(_("reply"))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PENDING)
    created = models.DateTimeField(_("posted"), default=timezone.now)
    # A digest of the anonymous reader's browser identity (signed cookie), so
    # the author can be shown their own pending reply; never a user id.
    reader_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    ip_address = models.GenericIPAddressField(
        _("IP address"), null=True, blank=True, editable=False
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("moderate_comment", _("Can approve, reject and mark comments as spam"))]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(parent__isnull=True, root__isnull=True, depth=1)
                    | Q(parent__isnull=False, root__isnull=False, depth__gt=1)
                ),
                name="comments_comment_depth_matches_parent",
            ),
            models.CheckConstraint(
                condition=~Q(body=""),
                name="comments_comment_body_not_empty",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected", "spam"]),
                name="comments_comment_status_valid",
            ),
        ]
        indexes = [
            # The page of threads: an article's published top-level comments by date.
            models.Index(
                fields=["article", "status", "created"],
                condition=Q(parent__isnull=True),
                name="comments_threads_idx",
            ),
            # One thread (or the replies of a page of threads) in time order.
            models.Index(fields=["root", "created"], name="comments_thread_replies_idx"),
            # The moderation queues: comments of one status, newest first.
            models.Index(fields=["status", "-created"], name="comments_queue_idx"),
            # The published-replies count of an article.
            models.Index(fields=["article", "status"], name="comments_article_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.excerpt}"

    def get_absolute_url(self) -> str:
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    @property
    def excerpt(self) -> str:
        return Truncator(" ".join(self.body.split())).chars(80)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def is_visible_to(self, reader_key: str) -> bool:
        return self.is_published or (
            self.is_pending and bool(reader_key) and self.reader_key == reader_key
        )

    def approve(self, *, by) -> bool:
        return self.decide(self.Status.APPROVED, by=by)

    def reject(self, *, by) -> bool:
        return self.decide(self.Status.REJECTED, by=by)

    def mark_spam(self, *, by) -> bool:
        return self.decide(self.Status.SPAM, by=by)

    def decide(self, status: str, *, by) -> bool:
        """Move the comment to `status` on behalf of moderator `by`, recording the decision.

        The row is locked so that two moderators deciding at once leave one
        consistent status and one history entry per actual change. Returns
        False (and records nothing) when the comment already has that status.
        """
        with transaction.atomic():
            current = Comment.objects.select_for_update().only("status").get(pk=self.pk)
            if current.status == status:
                self.status = status
                return False
            Comment.objects.filter(pk=self.pk).update(status=status)
            ModerationDecision.objects.create(
                comment_id=self.pk,
                moderator=by,
                from_status=current.status,
                to_status=status,
            )
        self.status = status
        return True


class ModerationDecision(models.Model):
    """One change of a comment's status by a moderator; never edited or deleted."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("comment")
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="moderation_decisions",
        verbose_name=_("moderator"),
    )
    from_status = models.CharField(_("from"), max_length=16, choices=Comment.Status)
    to_status = models.CharField(_("to"), max_length=16, choices=Comment.Status)
    created = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        indexes = [
            # A comment's history, newest first.
            models.Index(fields=["comment", "-created"], name="comments_decision_history_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
