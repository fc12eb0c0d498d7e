from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Article, ArticleTranslation


class ArticleTranslationInline(admin.StackedInline):
    """The article in another language, edited on the article's own page."""

    model = ArticleTranslation
    extra = 0
    fields = ["language", "title", "lede", "body", "question"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "published", "discussion_open", "discussion_closes", "moderation_mode"]
    list_editable = ["discussion_open"]
    list_filter = ["discussion_open"]
    search_fields = ["title", "lede"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published"
    actions = ["open_discussion", "close_discussion"]
    inlines = [ArticleTranslationInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "published"]}),
        (_("Text"), {"fields": ["lede", "body"]}),
        (
            _("Discussion"),
            {"fields": ["question", "discussion_open", "discussion_closes", "moderation_mode"]},
        ),
    ]

    @admin.action(description=_("Open the discussion of the selected articles"))
    def open_discussion(self, request, queryset):
        self._set_discussion_open(request, queryset, True)

    @admin.action(description=_("Close the discussion of the selected articles"))
    def close_discussion(self, request, queryset):
        self._set_discussion_open(request, queryset, False)

    def save_related(self, request, form, formsets, change) -> None:
        # After the article and its translations are saved, in the admin's
        # transaction: the article's cached pages and state expire with it.
        super().save_related(request, form, formsets, change)
        Article.objects.filter(pk=form.instance.pk).mark_changed()

    def _set_discussion_open(self, request, queryset, is_open: bool) -> None:
        count = queryset.update(discussion_open=is_open)
        queryset.mark_changed()
        message = (
            ngettext(
                "Opened the discussion of %d article.",
                "Opened the discussion of %d articles.",
                count,
            )
            if is_open
            else ngettext(
                "Closed the discussion of %d article.",
                "Closed the discussion of %d articles.",
                count,
            )
        )
        self.message_user(request, message % count, messages.SUCCESS)
