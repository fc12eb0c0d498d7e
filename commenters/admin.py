"""The commenters' addresses, with their record and the privacy actions on them."""

import json

from django.contrib import admin, messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments.admin_filters import YesNoFilter
from comments.models import Comment, Commenter

from . import privacy


def _count_by_email(status: str | None = None):
    comments = Comment.objects.filter(author_email=OuterRef("email"))
    if status:
        comments = comments.filter(status=status)
    return Subquery(
        comments.order_by().values("author_email").annotate(n=Count("id")).values("n"),
        output_field=IntegerField(),
    )


class ConfirmedFilter(YesNoFilter):
    title = _("confirmed")
    parameter_name = "confirmed"
    field = "confirmed"


COMMENTER_FIELDS = ("email", "confirmed", "confirmation_sent", "created", "their_comments")


@admin.register(Commenter)
class CommenterAdmin(admin.ModelAdmin):
    list_display = ["email", "confirmed", "comments", "approved", "rejected", "created"]
    list_filter = [ConfirmedFilter]
    search_fields = ["email"]
    fields = COMMENTER_FIELDS
    readonly_fields = COMMENTER_FIELDS
    actions = ["export_data", "erase_data"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                comment_count=_count_by_email(),
                approved_count=_count_by_email(Comment.Status.APPROVED),
                rejected_count=_count_by_email(Comment.Status.REJECTED),
            )
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_privacy_permission(self, request) -> bool:
        return request.user.is_superuser

    @admin.display(description=_("comments"), ordering="comment_count")
    def comments(self, commenter) -> int:
        return commenter.comment_count or 0

    @admin.display(description=_("approved"), ordering="approved_count")
    def approved(self, commenter) -> int:
        return commenter.approved_count or 0

    @admin.display(description=_("rejected"), ordering="rejected_count")
    def rejected(self, commenter) -> int:
        return commenter.rejected_count or 0

    @admin.display(description=_("their comments"))
    def their_comments(self, commenter) -> str:
        comments = Comment.objects.by_email(commenter.email).select_related("article")
        return render_to_string("commenters/admin/_their_comments.html", {"comments": comments})

    @admin.action(
        description=_("Export all data held for these emails (JSON)"), permissions=["privacy"]
    )
    def export_data(self, request, queryset):
        data = [privacy.commenter_export(commenter.email) for commenter in queryset]
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json",
        )
        response["Content-Disposition"] = 'attachment; filename="commenter-data.json"'
        return response

    @admin.action(description=_("Erase the personal data of these emails"), permissions=["privacy"])
    def erase_data(self, request, queryset):
        emails = list(queryset.values_list("email", flat=True))
        # All the addresses chosen, or none: the message below never tells half a story.
        with transaction.atomic():
            erased = sum(privacy.commenter_erase(email, by=request.user) for email in emails)
        self.message_user(
            request,
            ngettext(
                "Erased %(emails)d address; %(count)d comment withdrawn.",
                "Erased %(emails)d addresses; %(count)d comments withdrawn.",
                len(emails),
            )
            % {"emails": len(emails), "count": erased},
            messages.SUCCESS,
        )
