"""Readers' reports, as the moderators read them."""

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from comments.admin_filters import YesNoFilter
from comments.models import Report

REPORT_FIELDS = ("comment_link", "reason", "text", "created", "resolved", "resolved_by")


class ResolvedFilter(YesNoFilter):
    title = _("resolved")
    parameter_name = "resolved"
    field = "resolved"


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    # The row's own link is its excerpt; the comment's page is a link of its
    # own column, never a link inside the row's link.
    list_display = [
        "comment_excerpt",
        "reason",
        "text",
        "created",
        "resolved",
        "resolved_by",
        "comment_link",
    ]
    list_display_links = ["comment_excerpt"]
    list_filter = [ResolvedFilter, "reason"]
    list_select_related = ["comment", "resolved_by"]
    fields = REPORT_FIELDS
    readonly_fields = REPORT_FIELDS
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("reported comment"))
    def comment_excerpt(self, report: Report) -> str:
        return report.comment.excerpt

    @admin.display(description=_("comment"))
    def comment_link(self, report: Report) -> str:
        return render_to_string("moderation/admin/_report_comment.html", {"report": report})
