"""The word rules and blocks the automatic checks apply, as the moderators keep them."""

from django.contrib import admin

from comments.automatic_checks import forget_rules
from comments.models import Block, WordRule


class RulesAdmin(admin.ModelAdmin):
    """Word rules and blocks are cached for the checks; every change drops the cached copy."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        forget_rules()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        forget_rules()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        forget_rules()


@admin.register(WordRule)
class WordRuleAdmin(RulesAdmin):
    list_display = ["phrase", "action", "note", "created"]
    list_filter = ["action"]
    search_fields = ["phrase", "note"]
    fields = ["phrase", "action", "note"]


@admin.register(Block)
class BlockAdmin(RulesAdmin):
    list_display = ["target", "reason", "created_by", "created"]
    search_fields = ["target", "reason"]
    fields = ["target", "reason"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
