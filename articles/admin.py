from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "published", "discussion_open", "discussion_closes", "moderation_mode"]
    list_editable = ["discussion_open"]
    list_filter = ["discussion_open"]
    search_fields = ["title", "lede"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published"
    actions = ["open_discussion", "close_discussion"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "published"]}),
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

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        Article.objects.filter(pk=obj.pk).mark_changed()

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
