from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .rendering import render_article_markdown


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published__lte=timezone.now())


class Article(models.Model):
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
    def body_html(self) -> str:
        return render_article_markdown(self.body)
