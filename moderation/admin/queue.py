"""The moderation queue's page in the comments' admin, and what is sent from it: decisions,
their undo, and corrections of a proposal's tags."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments.models import Comment
from moderation import decisions, desk_live, queue
from moderation.forms import (
    DECISION_KEYS,
    QUEUE_DECISIONS,
    REASON_CHOICES,
    REPORTED_DECISIONS,
    QueueDecisionForm,
    TagCorrectionForm,
)
from moderation.queue_screen import BULK_CONTROLS, ITEMS, QueueScreen, draw

from .deciding import may_moderate, tell_outcome

# The moderator's last decisions from the queue, in their session, for the undo.
UNDO_SESSION_KEY = "moderation-queue-undo"


def queue_view(model_admin: admin.ModelAdmin[Comment], request: HttpRequest) -> HttpResponse:
    """The comments waiting for a decision, each with its context and one-click decisions."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    retry = None
    if request.method == "POST":
        if not may_moderate(request):
            raise PermissionDenied
        if "undo" in request.POST:
            returned = undo_last_decision(model_admin, request)
            # Back at the comment that returned to the queue: the browser scrolls to
            # it and gives it the focus (it may take it), so the keys act on it.
            anchor = f"#queue-comment-{returned}" if returned else ""
            return HttpResponseRedirect(request.get_full_path() + anchor)
        if "correct" in request.POST:
            correct_tags(model_admin, request)
            return HttpResponseRedirect(request.get_full_path())
        form = QueueDecisionForm(request.POST)
        if form.is_valid():
            decide_from_queue(model_admin, request, form)
            return HttpResponseRedirect(request.get_full_path())
        retry = form
    # Before the queue is read: what arrives while it is drawn counts as new on the page.
    drawn = int(timezone.now().timestamp())
    page = queue.queue_page(after=queue.Position.parse(request.GET.get("after", "")))
    can_moderate = may_moderate(request)
    screen = QueueScreen(
        request,
        reasons=REASON_CHOICES,
        decisions=QUEUE_DECISIONS,
        reported_decisions=REPORTED_DECISIONS,
        keys=DECISION_KEYS,
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
        "undo": undo_offer(request) if can_moderate else None,
        "drawn": drawn,
    }
    return TemplateResponse(
        request, "admin/comments/comment/queue.html", context, status=400 if retry else 200
    )


def queue_live_view(model_admin: admin.ModelAdmin[Comment], request: HttpRequest) -> HttpResponse:
    """The queue as it is now, for a moderator's open queue page (moderation.desk_live): what
    arrived, what others decided, who reads what. A POST: it says what this moderator reads."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    shown = _ids(request.POST.get("shown", ""))
    drawn = _moment(request.POST.get("drawn", ""))
    reading = _ids(request.POST.get("reading", ""))
    if shown is None or drawn is None or reading is None or len(reading) > 1:
        return HttpResponseBadRequest("shown: ids; drawn: seconds since the epoch; reading: an id.")
    now = desk_live.desk_now(
        shown=shown,
        drawn=drawn,
        moderator=request.user,
        reading=reading[0] if reading and reading[0] in shown else None,
    )
    return JsonResponse(
        {
            "waiting": now.waiting,
            "arrived": now.arrived,
            "arrived_words": ngettext(
                "%(count)d new comment waiting", "%(count)d new comments waiting", now.arrived
            )
            % {"count": now.arrived},
            "decided": {
                str(decided.pk): _("Decided meanwhile: %(status)s (%(by)s).")
                % {"status": decided.status, "by": decided.by}
                for decided in now.decided
            },
            "readers": {
                str(pk): ngettext(
                    "%(names)s is reading this comment.",
                    "%(names)s are reading this comment.",
                    len(names),
                )
                % {"names": ", ".join(names)}
                for pk, names in now.readers.items()
            },
        }
    )


def _ids(text: str) -> list[int] | None:
    """Comma-separated ids (at most a page and a half of them), or None for anything else."""
    if not text:
        return []
    parts = text.split(",")
    if len(parts) > queue.PAGE_SIZE * 3 // 2 or not all(p.isdigit() and len(p) < 12 for p in parts):
        return None
    return [int(part) for part in parts]


def _moment(text: str) -> datetime | None:
    if not text.isdigit() or len(text) > 12:
        return None
    return datetime.fromtimestamp(int(text), tz=UTC)


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
    if outcome.recorded:
        request.session[UNDO_SESSION_KEY] = {
            "ids": outcome.recorded,
            "until": (timezone.now() + timedelta(seconds=decisions.UNDO_SECONDS)).isoformat(),
        }


def undo_offer(request: HttpRequest) -> dict | None:
    """The undo the page offers: the last decision from the queue, for UNDO_SECONDS.

    Read from the session the page loads anyway; an expired offer is simply
    not shown (and refused if sent).
    """
    offer = request.session.get(UNDO_SESSION_KEY)
    if not offer:
        return None
    until = datetime.fromisoformat(offer["until"])
    seconds_left = (until - timezone.now()).total_seconds()
    if seconds_left <= 0:
        return None
    return {"count": len(offer["ids"]), "until": until, "seconds": max(1, round(seconds_left))}


def undo_last_decision(model_admin: admin.ModelAdmin[Comment], request: HttpRequest) -> int | None:
    """Undo the decision the page offered to; returns the id of a comment it brought back."""
    offer = request.session.pop(UNDO_SESSION_KEY, None)
    ids = offer["ids"] if offer else []
    returned = decisions.decisions_undo(ids=ids, by=request.user)
    if returned:
        model_admin.message_user(
            request,
            ngettext(
                "Decision undone: %(count)d comment is back as it was.",
                "Decision undone: %(count)d comments are back as they were.",
                len(returned),
            )
            % {"count": len(returned)},
            messages.SUCCESS,
        )
    else:
        model_admin.message_user(
            request,
            _(
                "Nothing was undone: the time to undo has passed, or the comment was "
                "decided again since."
            ),
            messages.WARNING,
        )
        return None
    return returned[0]


def correct_tags(model_admin: admin.ModelAdmin[Comment], request: HttpRequest) -> None:
    form = TagCorrectionForm(request.POST)
    if not form.is_valid():
        model_admin.message_user(
            request, _("The tags were not corrected: only a proposal has tags."), messages.ERROR
        )
        return
    comment = form.cleaned_data["comment"]
    correction = decisions.tags_correct(
        comment=comment,
        strategies=form.cleaned_data["strategies"],
        sovereignty_mode=form.cleaned_data["sovereignty_mode"],
        by=request.user,
    )
    if correction is None:
        model_admin.message_user(request, _("The tags were already so; nothing changed."))
        return
    # Before → after alone: the message already says these are its tags.
    change = f"{correction.tags_before or '—'} → {correction.tags_after or '—'}"
    model_admin.message_user(
        request,
        _("Tags of the comment by %(name)s corrected: %(change)s")
        % {"name": comment.author_name, "change": change},
        messages.SUCCESS,
    )
