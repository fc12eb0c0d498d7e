"""What every screen a moderator decides from shares: who may decide, and what they are told."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import ngettext

from comments.models import Comment
from moderation import decisions


def may_moderate(request: HttpRequest) -> bool:
    return request.user.has_perm("comments.moderate_comment")


def tell_outcome(
    model_admin: admin.ModelAdmin[Comment],
    request: HttpRequest,
    status: str,
    outcome: decisions.Decisions,
) -> None:
    if outcome.decided:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d comment is now %(status)s.",
                "%(count)d comments are now %(status)s.",
                outcome.decided,
            )
            % {"count": outcome.decided, "status": Comment.Status(status).label.lower()},
            messages.SUCCESS,
        )
    if outcome.kept_after_reports:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d comment is published again; its reports are dismissed.",
                "%(count)d comments are published again; their reports are dismissed.",
                outcome.kept_after_reports,
            )
            % {"count": outcome.kept_after_reports},
            messages.SUCCESS,
        )
    if outcome.edits_published:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d edit is now published.",
                "%(count)d edits are now published.",
                outcome.edits_published,
            )
            % {"count": outcome.edits_published},
            messages.SUCCESS,
        )
    if outcome.edits_refused:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d edit was refused; the published text stays.",
                "%(count)d edits were refused; the published texts stay.",
                outcome.edits_refused,
            )
            % {"count": outcome.edits_refused},
            messages.SUCCESS,
        )
    if outcome.unchanged:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d comment already had that status; nothing changed.",
                "%(count)d comments already had that status; nothing changed.",
                outcome.unchanged,
            )
            % {"count": outcome.unchanged},
        )
    if outcome.left_as_they_were:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d comment was left as it is: since this page was shown, another "
                "moderator decided it or its author edited or withdrew it. Read it again.",
                "%(count)d comments were left as they are: since this page was shown, "
                "other moderators decided them or their authors edited or withdrew them. "
                "Read them again.",
                outcome.left_as_they_were,
            )
            % {"count": outcome.left_as_they_were},
            messages.WARNING,
        )
