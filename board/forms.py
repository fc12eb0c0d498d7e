"""What a reader answers when rating a proposal: two questions, each from 1 to 5."""

from typing import Any

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from comments.models import Comment

# crispy-bootstrap5's own inline radios give their legend a "for", which HTML does not allow.
INLINE_RADIOS = "board/_inline_radios.html"


class RatingForm(forms.Form):
    works = forms.TypedChoiceField(
        label=_("Would it work?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1: not at all · 5: certainly"),
        error_messages={"required": _("Please answer both questions.")},
    )
    respects = forms.TypedChoiceField(
        label=_("Does it respect national sovereignty?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1: not at all · 5: fully"),
        error_messages={"required": _("Please answer both questions.")},
    )

    def __init__(self, *args: Any, comment: Comment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse("board:rate", kwargs={"pk": comment.pk})
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            InlineRadios("works", template=INLINE_RADIOS),
            InlineRadios("respects", template=INLINE_RADIOS),
            Submit("rate", _("Save my rating"), css_class="btn-primary"),
        )
