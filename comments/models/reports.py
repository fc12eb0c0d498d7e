"""Readers' reports that a published comment breaks the rules."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .comments import Comment


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved__isnull=True)

    def not_by_author_of(self, comment: Comment):
        """Without the reports `comment`'s own author filed.

        The author is known by the browser the comment was written in, or by
        any browser that wrote under the comment's address.
        """
        if comment.author_email:
            # The comment itself among them.
            written = Comment.objects.by_email(comment.author_email).exclude(reader_key="")
            return self.exclude(reader_key__in=written.values("reader_key"))
        return self.exclude(reader_key=comment.reader_key) if comment.reader_key else self

    def people(self) -> int:
        """How many senders these reports stand for: one per client network.

        A report whose network is unknown (filed before networks were kept,
        or from a request without an address) counts alone, as every report
        did before.
        """
        counts = self.aggregate(
            networks=Count("network", distinct=True, filter=~Q(network="")),
            unknown=Count("pk", filter=Q(network="")),
        )
        return counts["networks"] + counts["unknown"]


class Report(models.Model):
    """A reader's report that a published comment breaks the rules."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSE = "abuse", _("Abuse or harassment")
        PERSONAL_INFORMATION = "personal_information", _("Personal information")
        OFF_TOPIC = "off_topic", _("Off-topic")
        MISINFORMATION = "misinformation", _("Misinformation")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(
        Comment, on_delete=models.PROTECT, related_name="reports", verbose_name=_("comment")
    )
    reason = models.CharField(_("reason"), max_length=32, choices=Reason)
    text = models.TextField(_("details"), blank=True, max_length=1000)
    reader_key = models.CharField(max_length=64, editable=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    # The sender's client network (safeguards.networks): reports towards
    # hiding a comment count once per network. "" when unknown.
    network = models.CharField(max_length=50, blank=True, default="", editable=False)
    created = models.DateTimeField(_("reported"), default=timezone.now)
    resolved = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reader_key"], name="comments_report_once_per_reader"
            ),
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(text=""),
                name="comments_report_other_explained",
            ),
        ]
        indexes = [
            # The reported queue: open reports by comment; and how many
            # networks, less the author's, one comment's open reports come
            # from (reporting.report_create).
            models.Index(
                fields=["comment", "network", "reader_key"],
                condition=Q(resolved__isnull=True),
                name="comments_open_reports_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.comment}"
