from django.conf import settings
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .rendering import render_article_markdown


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published__lte=timezone.now())

    def mark_changed(self, *, published: int = 0, threads: int = 0) -> int:
        """Record that what readers see of these articles changed; their cached pages expire.

        Call it inside the transaction that makes the change: the version
        moves with the data, and every process's page cache (articles.page_cache)
        reads it afresh on the next request once it commits. `published` and
        `threads` move the discussion's counters by that much.
        """
        return self.update(
            version=F("version") + 1,
            content_changed=timezone.now(),
            published_count=F("published_count") + published,
            thread_count=F("thread_count") + threads,
        )


class Article(models.Model):
    class ModerationMode(models.TextChoices):
        SITE_DEFAULT = "", _("Site default")
        PRE = "pre", _("Pre-moderation: every reply waits for a moderator")
        POST = "post", _("Post-moderation: replies appear at once unless a rule holds them")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    lede = models.TextField(_("lede"), help_text=_("The opening paragraph, shown above the body."))
    body = models.TextField(
        _("body"), help_text=_("Markdown. Headings, emphasis, lists and links.")
    )
    question = models.TextField(
        _("discussion question"),
        help_text=_("The question readers are invited to answer, set apart above the replies."),
    )
    published = models.DateTimeField(_("published"), default=timezone.now)
    discussion_open = models.BooleanField(
        _("discussion open"),
        default=True,
        help_text=_("Readers can post replies only while the discussion is open."),
    )
    discussion_closes = models.DateTimeField(
        _("discussion closes automatically"),
        null=True,
        blank=True,
        help_text=_("Leave empty to keep the discussion open until it is closed by hand."),
    )
    moderation_mode = models.CharField(
        _("moderation"), max_length=8, choices=ModerationMode, blank=True, default=""
    )
    # The discussion's published comments, and its published top-level ones,
    # moved with F() in the transaction of every decision that changes them,
    # so that no page has to count a large discussion.
    published_count = models.PositiveIntegerField(default=0, editable=False)
    thread_count = models.PositiveIntegerField(default=0, editable=False)
    # Bumped, in the same transaction, by every change readers can see: the
    # article's pages are cached under it, and its ETag is made from it.
    version = models.PositiveIntegerField(default=1, editable=False)
    content_changed = models.DateTimeField(default=timezone.now, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def accepts_replies(self) -> bool:
        return self.discussion_open and (
            self.discussion_closes is None or timezone.now() < self.discussion_closes
        )

    @property
    def is_post_moderated(self) -> bool:
        mode = self.moderation_mode or settings.COMMENTS_MODERATION_MODE
        return mode == self.ModerationMode.POST

    @property
    def body_html(self) -> str:
        return render_article_markdown(self.body)
