from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import F, FilteredRelation, OuterRef, Q, StringAgg, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import changes_channel
from .compiled_queries import CompiledQuery
from .rendering import render_article_markdown


@dataclass(frozen=True, slots=True)
class ArticleText:
    """An article's words in one language, as a reader is shown them."""

    language: str
    title: str
    lede: str
    body: str
    question: str

    @property
    def body_html(self) -> SafeString:
        return render_article_markdown(self.body)


# Where `in_language` puts what it reads with each article (see `Article.text_in`).
LOADED_TRANSLATION = "translation_in_language"
LOADED_LANGUAGES = "translated_into"
_LANGUAGE_SEPARATOR = ","


def translation_languages(article: OuterRef) -> Coalesce:
    """The languages `article` has been translated into, as one string, for an annotation."""
    codes = (
        ArticleTranslation.objects.filter(article=article)
        .order_by()
        .values("article")
        .annotate(codes=StringAgg("language", Value(_LANGUAGE_SEPARATOR)))
        .values("codes")
    )
    return Coalesce(Subquery(codes), Value(""), output_field=models.TextField())


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published__lte=timezone.now())

    def in_language(self, language: str):
        """The articles with their text in `language` and the languages they can be read in,
        read in the same query as the articles (`text_in` and `languages` read no more)."""
        return self.annotate(
            **{
                LOADED_TRANSLATION: FilteredRelation(
                    "translations", condition=Q(translations__language=language)
                ),
                LOADED_LANGUAGES: translation_languages(OuterRef("pk")),
            }
        ).select_related(LOADED_TRANSLATION)

    def mark_changed(self, *, published: int = 0, threads: int = 0) -> int:
        """Record that what readers see of these articles changed; their cached pages expire.

        Call it inside the transaction that makes the change: the version
        moves with the data, and every process's page cache (articles.page_cache)
        reads it afresh on the next request once it commits, and the processes
        holding pages open are told (articles.changes_channel). `published` and
        `threads` move the discussion's counters by that much.
        """
        changed = self.update(
            version=F("version") + 1,
            content_changed=timezone.now(),
            published_count=F("published_count") + published,
            thread_count=F("thread_count") + threads,
        )
        # Once the change is there to read (at once, outside a transaction).
        transaction.on_commit(
            changes_channel.announce, using=router.db_for_write(self.model), robust=True
        )
        return changed


class ArticleWords(models.Model):
    """What a reader reads of an article, in one language: the original's and each
    translation's fields."""

    title = models.CharField(_("title"), max_length=200)
    lede = models.TextField(_("lede"), help_text=_("The opening paragraph, shown above the body."))
    body = models.TextField(
        _("body"), help_text=_("Markdown. Headings, emphasis, lists and links.")
    )
    question = models.TextField(
        _("discussion question"),
        help_text=_("The question readers are invited to answer, set apart above the replies."),
    )

    class Meta:
        abstract = True


class Article(ArticleWords):
    class ModerationMode(models.TextChoices):
        SITE_DEFAULT = "", _("Site default")
        PRE = "pre", _("Pre-moderation: every reply waits for a moderator")
        POST = "post", _("Post-moderation: replies appear at once unless a rule holds them")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    # The language the article was written in; its title, lede, body and
    # question below are in it. Translations into other languages are rows of
    # their own (ArticleTranslation).
    language = models.CharField(
        _("original language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # Who wrote it, as the article names them; the article the site ships
    # with names nobody, so the page names the publication instead.
    byline = models.CharField(
        _("byline"),
        max_length=200,
        blank=True,
        default="",
        help_text=_(
            "The author as the article names them, e.g. “Ana Pérez”. Leave empty when it names "
            "no author: the page then gives only the publication."
        ),
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
        permissions = [
            # An editor's, not a moderator's: whether readers may reply at all.
            (
                "close_discussion",
                _("Can close and reopen the discussion and set its closing date"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        """Whether readers may read it now, as `Article.objects.published()` says."""
        return self.published <= timezone.now()

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

    @property
    def original(self) -> ArticleText:
        return ArticleText(self.language, self.title, self.lede, self.body, self.question)

    def text_in(self, language: str) -> ArticleText:
        """The article in `language`: its original or its translation, or — when it has not
        been translated into it — its original (the text's `language` says which).

        Read with the article when it was loaded `in_language(language)`; otherwise
        its translations are read once, in one query.
        """
        if language == self.language:
            return self.original
        loaded = self.__dict__.get(LOADED_TRANSLATION)
        if loaded is not None and loaded.language == language:
            return loaded.text
        if language not in self.languages:
            return self.original
        return self._translations[language].text

    @property
    def in_reader_language(self) -> ArticleText:
        """The article in the language this request or email is in (see `text_in`)."""
        return self.text_in(get_language() or settings.LANGUAGE_CODE)

    @property
    def languages(self) -> list[str]:
        """The languages the article can be read in, in the order of the site's languages."""
        loaded = self.__dict__.get(LOADED_LANGUAGES)
        if loaded is None:
            translated = set(self._translations)
        else:
            translated = set(loaded.split(_LANGUAGE_SEPARATOR))
        available = {self.language, *translated}
        return [code for code, _name in settings.LANGUAGES if code in available]

    def url_in(self, language: str) -> str:
        """The address of the article in `language`, whatever the reader's browser asks for."""
        return reverse("articles:detail-in", kwargs={"language": language, "slug": self.slug})

    @cached_property
    def _translations(self) -> dict[str, "ArticleTranslation"]:
        # One query for all of them (or none, when prefetched), kept with the article.
        return {translation.language: translation for translation in self.translations.all()}


class DiscussionChange(models.Model):
    """An editor opened, closed or rescheduled an article's discussion; never edited.

    It keeps both fields before and after the change, so that the record reads
    on its own ("open, closes never → closed, closes never") whatever the
    article has become since.
    """

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="discussion_changes",
        verbose_name=_("article"),
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="discussion_changes",
        verbose_name=_("editor"),
    )
    open_before = models.BooleanField(_("open before"))
    open_after = models.BooleanField(_("open after"))
    closes_before = models.DateTimeField(_("closing date before"), null=True, blank=True)
    closes_after = models.DateTimeField(_("closing date after"), null=True, blank=True)
    created = models.DateTimeField(_("changed on"), default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("change to the discussion")
        verbose_name_plural = _("changes to the discussion")
        indexes = [
            # An article's record on its admin page, newest first.
            models.Index(fields=["article", "-created"], name="articles_discussion_change_idx"),
        ]

    def __str__(self) -> str:
        return _("%(before)s → %(after)s") % {
            "before": self.before,
            "after": self.after,
        }

    @property
    def before(self) -> str:
        return self.state(self.open_before, self.closes_before)

    @property
    def after(self) -> str:
        return self.state(self.open_after, self.closes_after)

    @staticmethod
    def state(is_open: bool, closes) -> str:
        """One side of the change in words: "open", or "closed, closing date 10/12/2026 18:00"."""
        status = _("open") if is_open else _("closed")
        if closes is None:
            return str(status)
        return _("%(status)s, closing date %(date)s") % {
            "status": status,
            "date": date_format(timezone.localtime(closes), "SHORT_DATETIME_FORMAT"),
        }


class ArticleTranslation(ArticleWords):
    """The article in a language other than its original: every word a reader reads of it."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="translations", verbose_name=_("article")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["article", "language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="articles_articletranslation_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    def get_absolute_url(self) -> str:
        return self.article.url_in(self.language)

    def clean(self) -> None:
        # The article is known once the form set it, even before it is saved.
        if ArticleTranslation.article.is_cached(self) and self.language == self.article.language:
            raise ValidationError(
                {"language": _("The article was written in this language: edit it above.")}
            )

    @property
    def text(self) -> ArticleText:
        return ArticleText(self.language, self.title, self.lede, self.body, self.question)


def read_article(pk: int, language: str) -> Article | None:
    """`Article.objects.in_language(language).filter(pk=pk).first()`, whether published or
    not, with its SQL compiled once (articles.compiled_queries): every uncached page of an
    article reads it, and the ORM took 30 times as long to build it as SQLite to answer it."""
    rows = _ARTICLE_IN_LANGUAGE.rows(pk, language)
    return article_from_row(rows[0]) if rows else None


ARTICLE_COLUMNS = [field.attname for field in Article._meta.concrete_fields]
TRANSLATION_COLUMNS = [field.attname for field in ArticleTranslation._meta.concrete_fields]


def article_from_row(row: Sequence[Any]) -> Article:
    """The article of a compiled query's row: its ARTICLE_COLUMNS, then its translation's
    TRANSLATION_COLUMNS, then the languages it is translated into (`in_language`'s)."""
    article_width, translation_width = len(ARTICLE_COLUMNS), len(TRANSLATION_COLUMNS)
    article = Article.from_db("default", ARTICLE_COLUMNS, row[:article_width])
    translation = row[article_width : article_width + translation_width]
    # No translation into `language`: the outer join gave only NULLs (its id among them).
    article.__dict__[LOADED_TRANSLATION] = (
        None
        if translation[0] is None
        else ArticleTranslation.from_db("default", TRANSLATION_COLUMNS, translation)
    )
    article.__dict__[LOADED_LANGUAGES] = row[article_width + translation_width]
    return article


def _article_in_language(pk: int, language: str) -> models.QuerySet:
    translation = [
        f"{LOADED_TRANSLATION}__{field.name}" for field in ArticleTranslation._meta.concrete_fields
    ]
    return (
        Article.objects.in_language(language)
        .filter(pk=pk)
        .values_list(*ARTICLE_COLUMNS, *translation, LOADED_LANGUAGES)
    )


_ARTICLE_IN_LANGUAGE = CompiledQuery(_article_in_language)
