"""The desk's summary page in the comments' admin (moderation/desk.py)."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from comments.models import Comment
from moderation import desk, queue


def desk_view(model_admin: admin.ModelAdmin[Comment], request: HttpRequest) -> HttpResponse:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("The desk in figures"),
        "opts": model_admin.opts,
        "figures": desk.desk_figures(waiting=queue.waiting_count(request)),
    }
    return TemplateResponse(request, "admin/comments/comment/desk.html", context)
