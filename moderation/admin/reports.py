"""Readers' reports, as the moderators read them."""

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from comments.models import Report

REPORT_FIELDS = ("comment_link", "reason", "text", "created", "resolved", "resolved_by")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["comment_link", "reason", "text", "created", "resolved", "resolved_by"]
    list_filter = [("resolved", admin.EmptyFieldListFilter), "reason"]
    list_select_related = ["comment", "resolved_by"]
    fields = REPORT_FIELDS
    readonly_fields = REPORT_FIELDS
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("comment"))
    def comment_link(self, report: Report) -> str:
        return render_to_string("moderation/admin/_report_comment.html", {"report": report})
