"""Readers' ratings of proposals."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .comments import Comment


class RatingQuerySet(models.QuerySet):
    def counted(self):
        return self.filter(counted=True)

    def totals(self) -> tuple[int, int, int]:
        """The raters, and the sums of their two answers, of these ratings."""
        sums = self.aggregate(
            raters=Count("pk"), works=Sum("works", default=0), respects=Sum("respects", default=0)
        )
        return sums["raters"], sums["works"], sums["respects"]


class Rating(models.Model):
    """One reader's answer to the article's two questions about one proposal.

    One browser has one rating of a proposal, changed in place. What counts in
    the proposal's figures is one rating per client network: the latest one
    (`counted`). A rating whose network is unknown counts on its own.
    """

    comment = models.ForeignKey(
        Comment, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("proposal")
    )
    reader_key = models.CharField(max_length=64, editable=False)
    works = models.PositiveSmallIntegerField(_("Would it work?"))
    respects = models.PositiveSmallIntegerField(_("Does it respect national sovereignty?"))
    # The client network (safeguards.networks) it was last given from; ""
    # when unknown.
    network = models.CharField(max_length=50, blank=True, default="", editable=False)
    # Whether it is in the proposal's figures (Comment.rating_count and
    # totals), kept by board.ratings.rating_record.
    counted = models.BooleanField(default=True, editable=False)
    # The language the rater read the site in when rating: their group in the
    # common-ground figures (comments.models.agreement). "" when unknown (some
    # ratings given before it was recorded): such a rating counts in the
    # proposal's figures but in no group's.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )
    created = models.DateTimeField(_("rated"), default=timezone.now)
    updated = models.DateTimeField(_("changed"), default=timezone.now)

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["-updated"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reader_key"], name="comments_rating_once_per_reader"
            ),
            models.CheckConstraint(
                condition=Q(works__gte=1, works__lte=5, respects__gte=1, respects__lte=5),
                name="comments_rating_on_the_scale",
            ),
            models.UniqueConstraint(
                fields=["comment", "network"],
                condition=Q(counted=True) & ~Q(network=""),
                name="comments_rating_counted_once_per_network",
            ),
        ]
        indexes = [
            # The latest rating of one network on one proposal (rating_record).
            models.Index(
                fields=["comment", "network", "-updated"], name="comments_rating_network_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.works}/{self.respects} on {self.comment_id}"
