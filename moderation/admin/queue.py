"""The moderation queue's page in the comments' admin, and the decisions sent from it."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from comments.models import Comment
from moderation import decisions, queue
from moderation.forms import QUEUE_DECISIONS, REASON_CHOICES, QueueDecisionForm
from moderation.queue_screen import BULK_CONTROLS, ITEMS, QueueScreen, draw

from .deciding import may_moderate, tell_outcome


def queue_view(model_admin: admin.ModelAdmin[Comment], request: HttpRequest) -> HttpResponse:
    """The comments waiting for a decision, each with its context and one-click decisions."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    retry = None
    if request.method == "POST":
        if not may_moderate(request):
            raise PermissionDenied
        form = QueueDecisionForm(request.POST)
        if form.is_valid():
            decide_from_queue(model_admin, request, form)
            return HttpResponseRedirect(request.get_full_path())
        retry = form
    page = queue.queue_page(after=queue.Position.parse(request.GET.get("after", "")))
    can_moderate = may_moderate(request)
    screen = QueueScreen(
        request,
        reasons=REASON_CHOICES,
        decisions=QUEUE_DECISIONS,
        can_moderate=can_moderate,
        retry=retry,
    )
    context = {
        **model_admin.admin_site.each_context(request),
        # The comments need the width more than a moderator needs the app list here.
        "is_nav_sidebar_enabled": False,
        "title": _("Moderation queue"),
        "opts": model_admin.opts,
        "page": page,
        "items": draw(ITEMS, items=page.comments, screen=screen),
        "bulk_controls": draw(BULK_CONTROLS, screen=screen),
        "waiting": queue.waiting_count(request),
        "can_moderate": can_moderate,
        "retry": retry,
        "csrf_token": screen.csrf_token,
    }
    return TemplateResponse(
        request, "admin/comments/comment/queue.html", context, status=400 if retry else 200
    )


def decide_from_queue(
    model_admin: admin.ModelAdmin[Comment], request: HttpRequest, form: QueueDecisionForm
) -> None:
    status = form.cleaned_data["decision"]
    outcome = decisions.decide_as_shown(
        comments=form.cleaned_data["comments"],
        shown=form.shown_versions(),
        status=status,
        by=request.user,
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
        tell_author=form.cleaned_data["tell_author"],
    )
    tell_outcome(model_admin, request, status, outcome)
