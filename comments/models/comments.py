"""A comment, its place in a thread, and the decisions that move it between statuses."""

from __future__ import annotations

from typing import TypedDict

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from articles.models import Article

from ..shared_copies import SharedCopy
from .agreement import support_estimate
from .links import comment_url
from .querysets import CommentQuerySet
from .rules import Rule
from .standing import CommentStanding, CommentStatus
from .strategies import SovereigntyMode, Strategy
from .text import WrittenText, excerpt


class CounterChange(TypedDict):
    """How much a change of one comment moves its discussion's counters (Article.mark_changed)."""

    published: int
    threads: int


class Comment(WrittenText, CommentStanding, models.Model):
    Status = CommentStatus

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
    # The comment the reader answered. It is the parent, except when the
    # thread was already at full depth and the reply went beside it.
    replying_to = models.ForeignKey(
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
    # Stored lower-cased: it is the commenter's identity for trust, their
    # record and their privacy requests.
    author_email = models.EmailField(_("email"), max_length=254)
    body = models.TextField(_("reply"))
    # The language the reply is written in: the interface's by default, the
    # author may say otherwise; readers can filter the discussion by it.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    # An edit of a published comment, waiting for a moderator; readers keep
    # seeing `body` until it is approved.
    pending_body = models.TextField(_("edit awaiting moderation"), blank=True, default="")
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PENDING)
    rule = models.CharField(
        _("automatic rule"),
        max_length=32,
        choices=Rule,
        blank=True,
        default="",
        help_text=_("The rule that decided the current status automatically, if any."),
    )
    rule_detail = models.CharField(_("rule detail"), max_length=200, blank=True, default="")
    featured = models.BooleanField(_("editor's pick"), default=False)
    # A top-level reply is a proposal: it may name strategies and say how it
    # treats sovereignty, and readers rate it.
    strategies = models.ManyToManyField(
        Strategy, blank=True, related_name="comments", verbose_name=_("strategies")
    )
    sovereignty_mode = models.CharField(
        _("sovereignty"), max_length=16, choices=SovereigntyMode, blank=True, default=""
    )
    # Running totals of the counted ratings (one per client network,
    # Rating.counted), kept by board.ratings.rating_record with F() updates so
    # that concurrent ratings never lose one another.
    rating_count = models.PositiveIntegerField(_("raters"), default=0, editable=False)
    works_total = models.PositiveIntegerField(default=0, editable=False)
    respects_total = models.PositiveIntegerField(default=0, editable=False)
    notify_replies = models.BooleanField(_("email the author about replies"), default=False)
    created = models.DateTimeField(_("posted"), default=timezone.now)
    # When the text readers see last changed: an edit published at once or
    # approved by a moderator. An edit waiting for a moderator leaves it (the
    # feed's "updated" is read from it).
    edited = models.DateTimeField(_("last edited"), null=True, blank=True)
    # A digest of the anonymous reader's browser identity (signed cookie), so
    # the author can be shown their own pending reply and edit it for a
    # while; never a user id.
    reader_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    ip_address = models.GenericIPAddressField(
        _("IP address"), null=True, blank=True, editable=False
    )
    # A digest of the form it was posted from (its signed stamp) and its text:
    # the same form sent twice, even at the same instant, stores one comment.
    submission_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    # The rejected comment this one revises, sent from the link in the email
    # that told its author why (comments.revising). One to one: a rejection
    # gets one second chance, never a series of them.
    revision_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revision",
        editable=False,
        verbose_name=_("revision of"),
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
            # Only a withdrawn comment may have had its text erased.
            models.CheckConstraint(
                condition=~Q(body="") | Q(status="withdrawn"),
                name="comments_comment_body_not_empty",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected", "spam", "withdrawn"]),
                name="comments_comment_status_valid",
            ),
            # A double click or a retry stores one comment (posting.comment_create).
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=~Q(submission_key=""),
                name="comments_comment_submission_once",
            ),
        ]
        indexes = [
            # The page of threads, newest first (the default) and oldest first:
            # an article's published top-level comments.
            models.Index(
                fields=["article", "status", "-created", "-id"],
                condition=Q(parent__isnull=True),
                name="comments_threads_newest_idx",
            ),
            models.Index(
                fields=["article", "status", "created", "id"],
                condition=Q(parent__isnull=True),
                name="comments_threads_oldest_idx",
            ),
            # One thread (or the first replies of a page of threads) in time order.
            models.Index(
                fields=["root", "status", "created", "id"], name="comments_thread_replies_idx"
            ),
            # The moderation queues: comments of one status, newest first.
            models.Index(fields=["status", "-created"], name="comments_queue_idx"),
            # The published-replies count of an article.
            models.Index(fields=["article", "status"], name="comments_article_status_idx"),
            # What one reader's browser wrote (own pending replies, edit window).
            models.Index(
                fields=["reader_key", "article"],
                condition=~Q(reader_key=""),
                name="comments_by_reader_idx",
            ),
            # A commenter's record, trust and privacy requests.
            models.Index(fields=["author_email", "status"], name="comments_by_email_idx"),
            # "Most supported first": an article's published threads by support.
            models.Index(
                support_estimate(),
                "article",
                condition=Q(parent__isnull=True, status="approved"),
                name="comments_supported_idx",
            ),
            # Edits waiting for review (few rows; the queue reads them often).
            models.Index(
                fields=["created"], condition=~Q(pending_body=""), name="comments_pending_edits_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.excerpt}"

    def get_absolute_url(self) -> str:
        return comment_url("permalink", self.pk)

    @property
    def excerpt(self) -> str:
        """The first words of the published text: never of an edit that waits for a moderator."""
        return excerpt(self.body)

    @cached_property
    def named_strategies(self) -> list[Strategy]:
        """The strategies this proposal names (set in bulk by the thread reader)."""
        return list(self.strategies.all())

    @property
    def is_proposal(self) -> bool:
        return self.parent_id is None

    @property
    def works_mean(self) -> float | None:
        return self.works_total / self.rating_count if self.rating_count else None

    @property
    def respects_mean(self) -> float | None:
        return self.respects_total / self.rating_count if self.rating_count else None

    def counter_change(self, old_status: str, new_status: str) -> CounterChange:
        """How a move from `old_status` to `new_status` changes its discussion's counters."""
        published = int(new_status == self.Status.APPROVED) - int(
            old_status == self.Status.APPROVED
        )
        return {"published": published, "threads": published if self.parent_id is None else 0}

    def approve(self, *, by, **decision) -> ModerationDecision | None:
        return self.decide(self.Status.APPROVED, by=by, **decision)

    def reject(self, *, by, **decision) -> ModerationDecision | None:
        return self.decide(self.Status.REJECTED, by=by, **decision)

    def mark_spam(self, *, by, **decision) -> ModerationDecision | None:
        return self.decide(self.Status.SPAM, by=by, **decision)

    def decide(
        self,
        status: str,
        *,
        by,
        reason: str = "",
        note: str = "",
        rule: str = "",
        rule_detail: str = "",
        seen_version: str | None = None,
    ) -> ModerationDecision | None:
        """Move the comment to `status` for moderator `by` (None: an automatic rule), recorded.

        The row is locked so that two moderators deciding at once leave one
        consistent status and one history entry per actual change. With
        `seen_version`, a comment that is no longer as the moderator's screen
        showed it (shown_version: its status, text or waiting edit changed,
        say because another moderator decided it meanwhile) is left as it is.

        A published comment with an edit waiting:
        - approving publishes the edit; rejecting refuses the edit and keeps
          the published text (the refused text stays in the history). Both
          leave the readers' reports, which are about the published text, for
          a decision about that.
        - spam is about the whole comment: an approved comment edited into
          spam (links added after approval, say) is the spammers' trick, so
          the comment leaves the site as spam, the edit is kept in the
          history, and the reports are resolved.
        - going back to pending (readers' reports hid it) is no decision about
          the edit: it keeps waiting.
        A comment hidden by reports with an edit waiting is decided as the
        comment readers reported: approving brings it back with its published
        text and the edit still waiting for its own decision; rejecting or
        marking it spam takes the edit with it, into the history.

        Returns the recorded decision, or None when there was nothing to change.
        """
        with transaction.atomic():
            current = Comment.objects.select_for_update().get(pk=self.pk)
            # What its author withdrew (or had erased) is not the moderators' to publish.
            if current.status == self.Status.WITHDRAWN:
                return None
            if seen_version is not None and current.shown_version != seen_version:
                return None
            edit, changes, status = current._effect_on_edit(status)
            if not edit and current.status == status:
                return None
            changes["status"] = status
            changes["rule"] = rule
            changes["rule_detail"] = rule_detail
            Comment.objects.filter(pk=self.pk).update(**changes)
            Article.objects.filter(pk=self.article_id).mark_changed(
                **current.counter_change(current.status, status)
            )
            record = ModerationDecision.objects.record(
                comment_id=self.pk,
                moderator=by,
                from_status=current.status,
                to_status=status,
                rule=rule,
                reason=reason,
                note=note,
                edit=edit,
                previous_rule=current.rule,
                previous_rule_detail=current.rule_detail,
            )
            # An edit approved or refused leaves the comment published as reported.
            about_the_edit_only = edit and current.is_published and status == self.Status.APPROVED
            if by is not None and status != self.Status.PENDING and not about_the_edit_only:
                current.reports.filter(resolved__isnull=True).update(
                    resolved=timezone.now(), resolved_by=by
                )
        for field, value in changes.items():
            setattr(self, field, value)
        return record

    def undo(self, decision: ModerationDecision, *, by) -> ModerationDecision | None:
        """Put the comment back as it was before `decision`, recorded as a decision of its own.

        Only the comment's latest decision can be undone, and not an edit it
        published (the text it replaced is not kept). The reports it resolved
        are open again. Returns the undo, or None when it cannot be undone.
        """
        with transaction.atomic():
            current = Comment.objects.select_for_update().get(pk=self.pk)
            latest = (
                current.decisions.exclude(kind=ModerationDecision.Kind.CORRECTION)
                .order_by("-created", "-id")
                .first()
            )
            if latest is None or latest.pk != decision.pk or not decision.from_status:
                return None
            # The comment is as the decision left it: not withdrawn by its author since.
            if current.status != decision.to_status:
                return None
            changes: dict = {
                "status": decision.from_status,
                "rule": decision.previous_rule,
                "rule_detail": decision.previous_rule_detail,
            }
            if decision.edit and current.body == decision.edit:
                return None
            if decision.edit:
                changes["pending_body"] = decision.edit
            Comment.objects.filter(pk=self.pk).update(**changes)
            Article.objects.filter(pk=self.article_id).mark_changed(
                **current.counter_change(current.status, decision.from_status)
            )
            if decision.moderator_id is not None:
                current.reports.filter(
                    resolved_by=decision.moderator_id, resolved__gte=decision.created
                ).update(resolved=None, resolved_by=None)
            record = ModerationDecision.objects.record(
                comment_id=self.pk,
                moderator=by,
                kind=ModerationDecision.Kind.UNDO,
                undoes=decision,
                from_status=current.status,
                to_status=decision.from_status,
                rule=decision.previous_rule,
                previous_rule=current.rule,
                previous_rule_detail=current.rule_detail,
            )
        for field, value in changes.items():
            setattr(self, field, value)
        return record

    def _effect_on_edit(self, status: str) -> tuple[str, dict, str]:
        """What deciding `status` does to a waiting edit (see decide).

        Returns the edit the decision is about ("" if none), the changes it
        makes to the text, and the status it leaves the comment in.
        """
        edit = self.pending_body
        if not edit or status == self.Status.PENDING:
            return "", {}, status
        if self.is_published and status == self.Status.APPROVED:
            return edit, {"body": edit, "pending_body": "", "edited": timezone.now()}, status
        if self.is_published and status == self.Status.REJECTED:
            return edit, {"pending_body": ""}, self.Status.APPROVED
        if status == self.Status.APPROVED:
            # Back from the reports' hiding: the edit waits for its own decision.
            return "", {}, status
        return edit, {"pending_body": ""}, status


# How many comments wait for a moderator, shown on every admin page. Every
# change of what waits records a decision, and recording one forgets it
# (ModerationDecisionQuerySet.record).
WAITING_COUNT = SharedCopy(
    "moderation:waiting-count", lambda: Comment.objects.count_needing_review()
)


class Reason(models.TextChoices):
    """Why a moderator decided as they did; shown in the history, and to the author if told."""

    OFF_TOPIC = "off_topic", _("Off-topic")
    INCIVILITY = "incivility", _("Incivility")
    PERSONAL_ATTACK = "personal_attack", _("Personal attack")
    SPAM = "spam", _("Spam")
    MISINFORMATION = "misinformation", _("Misinformation")
    PERSONAL_DATA = "personal_data", _("Personal data")
    OTHER = "other", _("Other")


class ModerationDecisionQuerySet(models.QuerySet["ModerationDecision"]):
    def record(self, **fields) -> ModerationDecision:
        """Record a decision; what waits for a moderator may have changed with it."""
        decision = self.create(**fields)
        # A new comment published or turned away as it arrives (trusted readers
        # under post-moderation, spam) leaves the count every admin page shows.
        arrived_decided = not decision.from_status and decision.to_status != Comment.Status.PENDING
        if not arrived_decided:
            WAITING_COUNT.forget()
        return decision


class ModerationDecision(models.Model):
    """One decision about a comment, by a moderator or an automatic rule; never edited.

    The history also records a moderator's correction of a proposal's tags,
    and the undo of a decision (which leaves the decision in place).
    """

    class Kind(models.TextChoices):
        DECISION = "decision", _("Decision")
        CORRECTION = "correction", _("Tags corrected")
        UNDO = "undo", _("Undo")

    comment = models.ForeignKey(
        Comment, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("comment")
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_decisions",
        verbose_name=_("moderator"),
        help_text=_("Empty when an automatic rule decided."),
    )
    from_status = models.CharField(_("from"), max_length=16, choices=Comment.Status, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Comment.Status)
    rule = models.CharField(_("automatic rule"), max_length=32, choices=Rule, blank=True)
    reason = models.CharField(_("reason"), max_length=32, choices=Reason, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The text of an edit this decision was about, kept even when refused.
    edit = models.TextField(_("edit decided"), blank=True)
    author_notified = models.BooleanField(_("author told by email"), default=False)
    created = models.DateTimeField(_("decided"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.DECISION)
    # The decision an undo took back; each is undone at most once.
    undoes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="undone_by",
        verbose_name=_("undoes"),
    )
    # The automatic rule that held the comment before this entry, so that an
    # undo puts back why it waits ("hidden by readers' reports", say).
    previous_rule = models.CharField(max_length=32, choices=Rule, blank=True, default="")
    previous_rule_detail = models.CharField(max_length=200, blank=True, default="")
    # A correction of a proposal's tags: what they were and what they became.
    tags_before = models.CharField(_("tags before"), max_length=1000, blank=True, default="")
    tags_after = models.CharField(_("tags after"), max_length=1000, blank=True, default="")

    objects = ModerationDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        indexes = [
            # A comment's history, newest first.
            models.Index(fields=["comment", "-created"], name="comments_decision_history_idx"),
            # The desk's figures: the decisions of today and of this week.
            models.Index(fields=["created"], name="comments_decision_created_idx"),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.CORRECTION:
            return _("Tags: %(before)s → %(after)s") % {
                "before": self.tags_before or "—",
                "after": self.tags_after or "—",
            }
        return _("%(from)s → %(to)s") % {
            # Translators: the status before a comment's first decision, as in "new → Pending".
            "from": self.get_from_status_display() or _("new"),
            "to": self.get_to_status_display(),
        }

    @property
    def decided_by(self) -> str:
        if self.moderator_id:
            return str(self.moderator)
        return _("Automatic: %(rule)s") % {"rule": self.get_rule_display()}
