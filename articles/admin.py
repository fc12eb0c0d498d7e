from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .discussion import DISCUSSION_FIELDS, change_discussion, may_change_discussion
from .models import Article, ArticleTranslation


class ArticleTranslationInline(admin.StackedInline):
    """The article in another language, edited on the article's own page."""

    model = ArticleTranslation
    extra = 0
    fields = ["language", "title", "lede", "body", "question"]


_DISCUSSION = _("Discussion")
_DISCUSSION_RECORD = _("Discussion opened and closed")
_DISCUSSION_PARTS = (_DISCUSSION, _DISCUSSION_RECORD)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "published", "discussion_open", "discussion_closes", "moderation_mode"]
    list_filter = ["discussion_open"]
    search_fields = ["title", "lede"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published"
    actions = ["open_discussion", "close_discussion"]
    inlines = [ArticleTranslationInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "byline", "published"]}),
        (_("Text"), {"fields": ["lede", "body"]}),
        (
            _DISCUSSION,
            {"fields": ["question", *DISCUSSION_FIELDS, "moderation_mode"]},
        ),
        (_DISCUSSION_RECORD, {"fields": ["discussion_record"]}),
    ]

    # Editors (the close_discussion permission) may open, close and schedule the
    # discussion; the rest of the article is for those who may change articles.
    def has_close_discussion_permission(self, request) -> bool:
        return may_change_discussion(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) or (
            obj is not None and self.has_close_discussion_permission(request)
        )

    @admin.display(description=_("record"))
    def discussion_record(self, article: Article) -> str:
        # Read-only, drawn from a template rather than as an inline: no form
        # of the article's page can send a change to it.
        changes = article.discussion_changes.select_related("editor") if article.pk else []
        return render_to_string("articles/admin/_discussion_record.html", {"changes": changes})

    def get_readonly_fields(self, request, obj=None):
        readonly = ["discussion_record", *super().get_readonly_fields(request, obj)]
        if obj is not None and not super().has_change_permission(request, obj):
            readonly += [field for field in self.flattened_fields() if field not in readonly]
            readonly = [field for field in readonly if field not in DISCUSSION_FIELDS]
        if not self.has_close_discussion_permission(request):
            readonly += DISCUSSION_FIELDS
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not super().has_change_permission(request, obj):
            # An editor who may change only the discussion finds it first, not below the
            # whole article's text, which they can read but not change.
            discussion = [fieldset for fieldset in fieldsets if fieldset[0] in _DISCUSSION_PARTS]
            return discussion + [f for f in fieldsets if f[0] not in _DISCUSSION_PARTS]
        return fieldsets

    def get_prepopulated_fields(self, request, obj=None):
        # A read-only slug cannot follow the title.
        if "slug" in self.get_readonly_fields(request, obj):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def flattened_fields(self) -> list[str]:
        return [str(name) for _title, options in self.fieldsets for name in options["fields"]]

    @admin.action(
        description=_("Open the discussion of the selected articles"),
        permissions=["close_discussion"],
    )
    def open_discussion(self, request, queryset):
        changes = change_discussion(articles=queryset, by=request.user, is_open=True)
        count = len(changes)
        message = ngettext(
            "Opened the discussion of %d article.", "Opened the discussion of %d articles.", count
        )
        self.message_user(request, message % count, messages.SUCCESS)

    @admin.action(
        description=_("Close the discussion of the selected articles"),
        permissions=["close_discussion"],
    )
    def close_discussion(self, request, queryset):
        changes = change_discussion(articles=queryset, by=request.user, is_open=False)
        count = len(changes)
        message = ngettext(
            "Closed the discussion of %d article.", "Closed the discussion of %d articles.", count
        )
        self.message_user(request, message % count, messages.SUCCESS)

    def save_model(self, request, obj, form, change) -> None:
        if change and set(DISCUSSION_FIELDS) & set(form.changed_data):
            # Through the one recorded path first, in the admin's transaction;
            # saving the rest then writes the same values.
            change_discussion(
                articles=Article.objects.filter(pk=obj.pk),
                by=request.user,
                is_open=obj.discussion_open,
                closes=obj.discussion_closes,
            )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        # After the article and its translations are saved, in the admin's
        # transaction: the article's cached pages and state expire with it.
        super().save_related(request, form, formsets, change)
        Article.objects.filter(pk=form.instance.pk).mark_changed()
