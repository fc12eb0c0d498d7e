from __future__ import annotations

import functools
import hashlib
import ipaddress
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Case, Count, F, OuterRef, Q, StringAgg, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Lower
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from safeguards.clients import normalise_ip
from safeguards.emails import normalise_email

from ..shared_copies import SharedCopy


def shown_version(status: str, body: str, pending_body: str) -> str:
    """A short fingerprint of what a moderator's screen shows of a comment: its status, its
    text and its waiting edit. Any change of one changes it (see Comment.decide)."""
    return hashlib.blake2b(f"{status}\0{body}\0{pending_body}".encode(), digest_size=8).hexdigest()


class WrittenText:
    """What a comment's text says of it, for comments and the moderation queue's rows alike."""

    __slots__ = ()

    status: str
    body: str
    pending_body: str

    @property
    def has_pending_edit(self) -> bool:
        return bool(self.pending_body)

    @property
    def shown_version(self) -> str:
        return shown_version(self.status, self.body, self.pending_body)

    @property
    def review_excerpt(self) -> str:
        """The first words of what a moderator has to judge: the waiting edit, if any.

        For moderators' screens and emails only; readers see `excerpt`.
        """
        return excerpt(self.pending_body or self.body)


class CommentStanding:
    """What a comment's status, author and age allow: for comments and the light
    copies of replies that thread pages read (threads.ShownReply)."""

    __slots__ = ()

    status: str
    reader_key: str
    created: datetime

    @property
    def is_published(self) -> bool:
        return self.status == Comment.Status.APPROVED

    @property
    def is_pending(self) -> bool:
        return self.status == Comment.Status.PENDING

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
            and self.status in (Comment.Status.PENDING, Comment.Status.APPROVED)
            and timezone.now() < self.edit_window_ends()
        )


EXCERPT_LENGTH = 80


def excerpt(text: str) -> str:
    """The first words of a comment, on one line: Truncator(line).chars(EXCERPT_LENGTH)."""
    line = " ".join(text.split())
    if not line.isascii():
        return Truncator(line).chars(EXCERPT_LENGTH)
    # ASCII holds no combining marks to leave uncounted, nor anything to
    # normalize: the cut is where Truncator would make it, found without
    # its walk (a moderation queue page makes dozens of these).
    if len(line) <= EXCERPT_LENGTH:
        return line
    return add_truncation_text(line[: calculate_truncate_chars_length(EXCERPT_LENGTH, None)])


def comment_url(name: str, pk: int) -> str:
    """The URL of `comments:<name>` for comment `pk`, without a full reverse() each time."""
    return comment_url_pattern(name).format(pk)


def comment_url_pattern(name: str) -> str:
    """The URL of `comments:<name>` with `{}` for the comment's id, for str.format()."""
    return _comment_url_pattern(name, get_script_prefix())


# Stands in for a comment's id in markup made once for many comments: no word
# or path of the site contains it.
SAMPLE_ID = 917_355_031


@functools.cache
def _comment_url_pattern(name: str, script_prefix: str) -> str:
    return reverse(f"comments:{name}", kwargs={"pk": SAMPLE_ID}).replace(str(SAMPLE_ID), "{}")


class CommentQuerySet(models.QuerySet):
    def for_article(self, article: Article):
        return self.filter(article=article)

    def with_answered_name(self):
        """Each comment with `answered_name`: whom it answers, when that is not its parent.

        Beyond the deepest level, a reply hangs under the parent of the
        comment it answers and names that comment's author instead, while it
        is published. One column rather than a second comment per row.
        """
        answers_another = Q(replying_to__status=Comment.Status.APPROVED) & ~Q(
            replying_to=F("parent")
        )
        return self.annotate(
            answered_name=Case(
                When(answers_another, then=F("replying_to__author_name")),
                default=Value(""),
                output_field=models.CharField(),
            )
        )

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

    def shown_only_to(self, reader_key: str):
        """This reader's comments that pages show differently to them than to others:
        still pending, with an edit pending, or still in their edit window."""
        if not reader_key:
            return self.none()
        window_start = timezone.now() - timedelta(minutes=settings.COMMENTS_EDIT_WINDOW_MINUTES)
        return self.filter(reader_key=reader_key).filter(
            Q(status=Comment.Status.PENDING)
            | ~Q(pending_body="")
            | Q(status=Comment.Status.APPROVED, created__gte=window_start)
        )

    def needs_review(self):
        """Comments waiting for a moderator: new ones, and edits of published ones."""
        # Both halves use an index of their own; a plain OR of the two
        # conditions scans the whole table on SQLite.
        edits = Comment.objects.filter(~Q(pending_body="")).values("pk")
        return self.filter(Q(status=Comment.Status.PENDING) | Q(pk__in=edits))

    def count_needing_review(self) -> int:
        """New comments waiting, and edits of published ones: one query, each part on its index."""
        new = self.filter(status=Comment.Status.PENDING).values("pk")
        edits = self.filter(~Q(pending_body="")).exclude(status=Comment.Status.PENDING).values("pk")
        return new.union(edits, all=True).count()

    def reported(self):
        return self.filter(reports__resolved__isnull=True).distinct()

    def by_email(self, email: str):
        # However the address was typed: it is stored in its one form.
        return self.filter(author_email=normalise_email(email))

    def top_level(self):
        return self.filter(parent__isnull=True)

    def newest_first(self):
        return self.order_by("-featured", "-created", "-id")

    def oldest_first(self):
        return self.order_by("-featured", "created", "id")

    def with_strategy_ids(self):
        """Annotate each comment with the ids of the strategies it names ("3,7"), in one query."""
        named = (
            Comment.strategies.through.objects.filter(comment=OuterRef("pk"))
            .order_by()
            .values("comment")
            .annotate(ids=StringAgg(Cast("strategy_id", models.CharField()), Value(",")))
            .values("ids")
        )
        return self.annotate(strategy_ids=Subquery(named, output_field=models.CharField()))

    def most_supported_first(self):
        support = F("works_total") + F("respects_total")
        return self.order_by("-featured", support.desc(), "-created", "-id")


class Rule(models.TextChoices):
    """The automatic rules that can decide a comment's status, each a visible reason."""

    PRE_MODERATION = "pre_moderation", _("Pre-moderation: every reply waits")
    TRUSTED = "trusted", _("Trusted commenter: published at once")
    FIRST_TIME = "first_time", _("First-time commenter")
    UNCONFIRMED = "unconfirmed", _("Email address not confirmed")
    OTHER_BROWSER = "other_browser", _("Address never used from this browser")
    NOT_YET_TRUSTED = "not_yet_trusted", _("Too few approved comments yet")
    RECENT_REJECTION = "recent_rejection", _("Recently rejected comment")
    BANNED_WORD = "banned_word", _("Banned word")
    SUSPECT_WORD = "suspect_word", _("Suspect word")
    TOO_MANY_LINKS = "too_many_links", _("Too many links")
    REPORTS = "reports", _("Reported by readers")


class Reason(models.TextChoices):
    """Why a moderator decided as they did; shown in the history, and to the author if told."""

    OFF_TOPIC = "off_topic", _("Off-topic")
    INCIVILITY = "incivility", _("Incivility")
    PERSONAL_ATTACK = "personal_attack", _("Personal attack")
    SPAM = "spam", _("Spam")
    MISINFORMATION = "misinformation", _("Misinformation")
    PERSONAL_DATA = "personal_data", _("Personal data")
    OTHER = "other", _("Other")


class Strategy(models.Model):
    """One of the approaches readers can propose, curated by the newsroom in both languages."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name (English)"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100)
    description = models.CharField(_("description (English)"), max_length=300, blank=True)
    description_es = models.CharField(_("description (Spanish)"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_es if get_language() == "es" and self.name_es else self.name

    @property
    def explanation(self) -> str:
        if get_language() == "es" and self.description_es:
            return self.description_es
        return self.description


class SovereigntyMode(models.TextChoices):
    """How a proposal would act across the border."""

    DOMESTIC = "domestic", _("Domestic action only")
    BILATERAL = "bilateral", _("Bilateral, with consent")
    MULTILATERAL = "multilateral", _("Multilateral")
    UNILATERAL = "unilateral", _("Unilateral")


class Comment(WrittenText, CommentStanding, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")
        WITHDRAWN = "withdrawn", _("Withdrawn by its author")

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
    # Rating.counted), kept by services.rating_record with F() updates so
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
            # A double click or a retry stores one comment (services.comment_create).
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=~Q(submission_key=""),
                name="comments_comment_submission_once",
            ),
        ]
        indexes = [
            # The page of threads, newest first (the default) and oldest first:
            # an article's published top-level comments, editors' picks first.
            models.Index(
                fields=["article", "status", "-featured", "-created", "-id"],
                condition=Q(parent__isnull=True),
                name="comments_threads_newest_idx",
            ),
            models.Index(
                fields=["article", "status", "-featured", "created", "id"],
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
            # "Most supported first": an article's published threads by rating.
            models.Index(
                F("works_total") + F("respects_total"),
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

    # The links every comment carries. A long thread shows hundreds of them,
    # so they are formatted from a pattern rather than reversed one by one.
    @property
    def reply_url(self) -> str:
        return comment_url("reply", self.pk)

    @property
    def rate_url(self) -> str:
        return comment_url("rate", self.pk)

    @property
    def report_url(self) -> str:
        return comment_url("report", self.pk)

    @property
    def edit_url(self) -> str:
        return comment_url("edit", self.pk)

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

    @property
    def needs_review(self) -> bool:
        return self.is_pending or self.has_pending_edit

    def counter_change(self, old_status: str, new_status: str) -> dict[str, int]:
        """How a move from `old_status` to `new_status` changes its discussion's counters."""
        published = int(new_status == self.Status.APPROVED) - int(
            old_status == self.Status.APPROVED
        )
        return {"published": published, "threads": published if self.parent_id is None else 0}

    def approve(self, *, by, **decision) -> bool:
        return self.decide(self.Status.APPROVED, by=by, **decision)

    def reject(self, *, by, **decision) -> bool:
        return self.decide(self.Status.REJECTED, by=by, **decision)

    def mark_spam(self, *, by, **decision) -> bool:
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


class ModerationDecisionQuerySet(models.QuerySet):
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
    """One decision about a comment, by a moderator or an automatic rule; never edited."""

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

    objects = ModerationDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        indexes = [
            # A comment's history, newest first.
            models.Index(fields=["comment", "-created"], name="comments_decision_history_idx"),
        ]

    def __str__(self) -> str:
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


class Commenter(models.Model):
    """What the site knows of an email address beyond its comments: whether it is confirmed."""

    email = models.EmailField(_("email"), max_length=254, unique=True)
    confirmed = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmation_sent = models.DateTimeField(_("confirmation sent"), null=True, blank=True)
    created = models.DateTimeField(_("first seen"), default=timezone.now)

    class Meta:
        ordering = ["email"]
        verbose_name = _("commenter")
        verbose_name_plural = _("commenters")

    def __str__(self) -> str:
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed is not None


class WordRule(models.Model):
    """A word or phrase that rejects, marks as spam, or holds a comment that contains it."""

    class Action(models.TextChoices):
        REJECT = "reject", _("Banned: reject")
        SPAM = "spam", _("Banned: mark as spam")
        HOLD = "hold", _("Suspect: hold for review")

    phrase = models.CharField(
        _("word or phrase"),
        max_length=100,
        help_text=_(
            "Matched on whole words, ignoring case and accents: “mierda” also matches “MIÉRDA”."
        ),
    )
    action = models.CharField(_("action"), max_length=8, choices=Action)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["phrase"]
        verbose_name = _("word rule")
        verbose_name_plural = _("word rules")
        constraints = [
            models.UniqueConstraint(Lower("phrase"), name="comments_wordrule_unique_phrase"),
        ]

    def __str__(self) -> str:
        return f"{self.phrase} ({self.get_action_display()})"

    def clean(self) -> None:
        self.phrase = " ".join(self.phrase.split())
        if not self.phrase:
            raise ValidationError({"phrase": _("Enter a word or phrase.")})


class Block(models.Model):
    """A sender whose comments are refused: an email address, a whole domain, or an IP network."""

    target = models.CharField(
        _("email, @domain or IP network"),
        max_length=254,
        unique=True,
        help_text=_("For example troll@example.com, @spam.example, 203.0.113.7 or 203.0.113.0/24."),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("blocked by"),
    )
    created = models.DateTimeField(_("blocked"), default=timezone.now)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")

    def __str__(self) -> str:
        return self.target

    @property
    def network(self):
        try:
            network = ipaddress.ip_network(self.target.strip(), strict=False)
        except ValueError:
            return None
        mapped = network.version == 6 and network.network_address.ipv4_mapped
        if mapped and network.prefixlen >= 96:
            # IPv4 addresses written as IPv6 (::ffff:203.0.113.0/120): clients
            # are seen with their IPv4 address (safeguards.clients).
            return ipaddress.ip_network(f"{mapped}/{network.prefixlen - 96}")
        return network

    @property
    def address(self) -> str:
        """The blocked address or @domain, in the form addresses are stored and compared in."""
        target = self.target.strip()
        if target.startswith("@"):
            # The domain alone: written as the domain of an address.
            return "@" + normalise_email(f"someone{target}").partition("@")[2]
        return normalise_email(target)

    def clean(self) -> None:
        network = self.network
        if network is not None:
            self.target = str(network)
            return
        self.target = self.address
        address = "someone" + self.target if self.target.startswith("@") else self.target
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                {"target": _("Enter an email address, an @domain, or an IP address or network.")}
            ) from None

    def matches(self, *, email: str, ip_address: str | None) -> bool:
        network = self.network
        if network is not None:
            ip_address = normalise_ip(ip_address)
            return ip_address is not None and ipaddress.ip_address(ip_address) in network
        # Both in their one form: a block made before, or typed otherwise,
        # still stops every spelling of the address.
        email, target = normalise_email(email), self.address
        if target.startswith("@"):
            return email.endswith(target)
        return email == target


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
            # from (services.report_create).
            models.Index(
                fields=["comment", "network", "reader_key"],
                condition=Q(resolved__isnull=True),
                name="comments_open_reports_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.comment}"


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

    SCALE = range(1, 6)

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
    # totals), kept by services.rating_record.
    counted = models.BooleanField(default=True, editable=False)
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
