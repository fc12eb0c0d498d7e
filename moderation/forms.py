"""The forms a moderator decides with: on a comment's page, in the queue and beside the actions."""

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.contrib.admin.helpers import ActionForm
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from comments.models import Comment, Reason, SovereigntyMode, Strategy

REASON_CHOICES: list[tuple[str, str | Promise]] = [("", _("(no reason)")), *Reason.choices]
# A proposal's sovereignty mode, or none said, wherever a moderator corrects it.
SOVEREIGNTY_CHOICES: list[tuple[str, str | Promise]] = [
    ("", _("(not said)")),
    *SovereigntyMode.choices,
]


class DecisionFields(forms.Form):
    """What a moderator may add to any decision, single or in bulk."""

    reason = forms.ChoiceField(label=_("Reason"), choices=REASON_CHOICES, required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)
    tell_author = forms.BooleanField(
        label=_("Tell the author why by email (rejections)"), required=False
    )


class DecisionForm(DecisionFields):
    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        if cleaned_data.get("reason") == Reason.OTHER and not cleaned_data.get("note", "").strip():
            self.add_error("note", _("Add a note when the reason is “Other”."))
        return cleaned_data


QUEUE_DECISIONS: list[tuple[str, str | Promise]] = [
    (Comment.Status.APPROVED, _("Approve")),
    (Comment.Status.REJECTED, _("Reject")),
    (Comment.Status.SPAM, _("Spam")),
]


# A comment readers' reports took off the site is decided as those reports:
# the buttons say what each does to it.
REPORTED_DECISIONS: list[tuple[str, str | Promise]] = [
    (Comment.Status.APPROVED, _("Keep, dismiss the reports")),
    (Comment.Status.REJECTED, _("Remove")),
    (Comment.Status.SPAM, _("Spam")),
]

# The key that takes each decision on the focused comment of the queue.
DECISION_KEYS: dict[str, str] = {
    Comment.Status.APPROVED: "a",
    Comment.Status.REJECTED: "r",
    Comment.Status.SPAM: "s",
}


class QueueDecisionForm(DecisionForm):
    """A decision from the moderation queue: about one comment, or the ones ticked."""

    decision = forms.ChoiceField(choices=QUEUE_DECISIONS)
    comments = forms.ModelMultipleChoiceField(
        queryset=Comment.objects.all(),
        error_messages={"required": _("Tick the comments to decide first.")},
    )

    def shown_versions(self) -> dict[int, str]:
        return shown_versions(self.data, self.cleaned_data["comments"])


def shown_versions(data: Mapping[str, Any], comments: Iterable[Comment]) -> dict[int, str]:
    """The shown_version of each comment as its page showed it (a `seen-<id>` field)."""
    return {comment.pk: data.get(f"seen-{comment.pk}", "") for comment in comments}


class DecisionActionForm(ActionForm, DecisionFields):
    """The decision fields beside the admin's action menu; the action validates them.

    No "tell the author" box: telling is an action of its own, a rejection's.
    """

    tell_author = None  # type: ignore[assignment]


class TagCorrectionForm(forms.Form):
    """A moderator corrects the tags of one proposal from the queue."""

    comment = forms.ModelChoiceField(queryset=Comment.objects.filter(parent__isnull=True))
    strategies = forms.ModelMultipleChoiceField(
        label=_("Strategies"), queryset=Strategy.objects.all(), required=False
    )
    sovereignty_mode = forms.ChoiceField(
        label=_("Sovereignty"),
        choices=SOVEREIGNTY_CHOICES,
        required=False,
    )
