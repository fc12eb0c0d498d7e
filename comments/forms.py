import unicodedata

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from articles.models import Article

from . import services
from .models import Comment, Report, SovereigntyMode, Strategy


class UntruncatedTextarea(forms.Textarea):
    """A textarea without the `maxlength` attribute.

    Browsers silently cut pasted text at `maxlength`; we would rather tell the
    reader their reply is too long and keep every word they wrote.
    """

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("maxlength", None)
        return context


def body_length_validator() -> MaxLengthValidator:
    return MaxLengthValidator(
        settings.COMMENTS_MAX_LENGTH,
        message=_(
            "Your reply is %(show_value)s characters long; the limit is %(limit_value)s. "
            "Please shorten it: nothing has been posted yet."
        ),
    )


class StrategyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Strategy) -> str:
        return obj.label


class CommentForm(forms.Form):
    author_name = forms.CharField(
        label=_("Your name"),
        max_length=Comment._meta.get_field("author_name").max_length,
        error_messages={"required": _("Please tell us the name to show with your reply.")},
        help_text=_("Shown with your reply."),
    )
    author_email = forms.EmailField(
        label=_("Email"),
        max_length=Comment._meta.get_field("author_email").max_length,
        error_messages={
            "required": _("Please give an email address; only moderators will see it."),
            "invalid": _("Please enter a valid email address, like name@example.com."),
        },
        help_text=_("Never shown to anyone but the moderators."),
    )
    body = forms.CharField(
        label=_("Your reply"),
        widget=UntruncatedTextarea(attrs={"rows": 5}),
        error_messages={"required": _("Please write your reply before posting.")},
    )
    language = forms.ChoiceField(
        label=_("Language of your reply"),
        choices=settings.LANGUAGES,
        # A form without it (an old page, a script) means the interface's language.
        required=False,
        help_text=_("Readers can choose to read the threads of one language."),
    )
    notify_replies = forms.BooleanField(
        label=_("Email me when someone replies to me"),
        required=False,
        help_text=_("Every such email has a link to stop them."),
    )
    strategies = StrategyChoiceField(
        label=_("Which strategies does your answer propose? (up to three, optional)"),
        queryset=Strategy.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sovereignty_mode = forms.ChoiceField(
        label=_("How would it treat Mexico's sovereignty? (optional)"),
        choices=[("", _("Not said")), *SovereigntyMode.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    parent = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("The comment you are replying to could not be found.")},
    )

    def __init__(
        self,
        *args,
        article: Article,
        replying: bool = False,
        strategies: list[Strategy] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.article = article
        self.fields["language"].initial = translation.get_language()
        if replying:
            # Only answers to the article's question are proposals.
            del self.fields["strategies"], self.fields["sovereignty_mode"]
        elif strategies is not None:
            # Already read for the page: no second query to list the choices.
            self.fields["strategies"].choices = [(s.pk, s.label) for s in strategies]
        max_length = settings.COMMENTS_MAX_LENGTH
        self.fields["body"].validators.append(body_length_validator())
        self.fields["body"].help_text = _(
            "Up to %(limit)s characters. Replies are read by a moderator before they appear."
        ) % {"limit": f"{max_length:,}"}
        self.helper = FormHelper()
        self.helper.form_action = reverse("comments:create", kwargs={"slug": article.slug})
        self.helper.form_id = "reply-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            "parent",
            Field("author_name", autocomplete="name"),
            Field("author_email", autocomplete="email"),
            "body",
            "language",
            *(["strategies", "sovereignty_mode"] if not replying else []),
            "notify_replies",
            Submit("post", _("Post reply"), css_class="btn-primary"),
        )

    def clean_author_name(self) -> str:
        name = " ".join(unicodedata.normalize("NFC", self.cleaned_data["author_name"]).split())
        if not name:
            raise forms.ValidationError(self.fields["author_name"].error_messages["required"])
        return name

    def clean_author_email(self) -> str:
        return self.cleaned_data["author_email"].lower()

    def clean_body(self) -> str:
        return unicodedata.normalize("NFC", self.cleaned_data["body"])

    def clean_strategies(self) -> list[Strategy]:
        chosen = list(self.cleaned_data["strategies"])
        if len(chosen) > services.MAX_STRATEGIES:
            raise forms.ValidationError(
                _("Choose at most %(max)d strategies; you chose %(count)d.")
                % {"max": services.MAX_STRATEGIES, "count": len(chosen)}
            )
        return chosen

    def clean_parent(self) -> Comment | None:
        return services.reply_target(article=self.article, parent_id=self.cleaned_data["parent"])

    def clean(self):
        cleaned_data = super().clean()
        # The parent is a hidden field, so its errors are shown above the form.
        if parent_errors := self.errors.pop("parent", None):
            self.add_error(None, parent_errors)
        services.check_discussion_open(self.article)
        return cleaned_data


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        widget=UntruncatedTextarea(attrs={"rows": 6}),
        error_messages={"required": _("Please write your reply before saving.")},
    )

    def __init__(self, *args, comment: Comment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].validators.append(body_length_validator())
        self.helper = FormHelper()
        self.helper.form_action = reverse("comments:edit", kwargs={"pk": comment.pk})
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            "body", Submit("save", _("Save changes"), css_class="btn-primary")
        )

    def clean_body(self) -> str:
        return unicodedata.normalize("NFC", self.cleaned_data["body"])


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["reason", "text"]
        widgets = {"reason": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 3})}
        labels = {"reason": _("What is wrong with this comment?"), "text": _("Details")}
        help_texts = {"text": _("Required when you choose “Something else”.")}

    def __init__(self, *args, comment: Comment, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse("comments:report", kwargs={"pk": comment.pk})
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            "reason", "text", Submit("report", _("Send report"), css_class="btn-danger")
        )

    def clean(self):
        cleaned_data = super().clean()
        other = cleaned_data.get("reason") == Report.Reason.OTHER
        if other and not cleaned_data.get("text", "").strip():
            self.add_error("text", _("Please tell the moderators what is wrong."))
        return cleaned_data


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

    def __init__(self, *args, comment: Comment, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse("comments:rate", kwargs={"pk": comment.pk})
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            InlineRadios("works"),
            InlineRadios("respects"),
            Submit("rate", _("Save my rating"), css_class="btn-primary"),
        )
