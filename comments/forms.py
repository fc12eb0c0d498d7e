import re
import time
import unicodedata
from typing import cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator, validate_email
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from articles import page_cache
from articles.models import Article
from safeguards.emails import normalise_email
from safeguards.form_stamps import new_form_stamp, read_form_stamp

from . import names, posting
from .models import Comment, Report, SovereigntyMode, Strategy
from .text import is_blank


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


# What a reader's text must be, whatever the field: text that arrived intact,
# without characters that cannot be stored.
UNREADABLE_TEXT = _(
    "Part of this text could not be read: it arrived with characters that are not valid "
    "text (shown as �). Please check it and post it again."
)
NULL_CHARACTER = _(
    "This text contains an invisible null character, which cannot be stored. "
    "Please type or paste it again as plain text."
)


def readable_text_validator(value: str) -> None:
    """Refuse text that arrived as invalid UTF-8: Django decodes it to U+FFFD, silently."""
    if "\ufffd" in value:
        raise forms.ValidationError(UNREADABLE_TEXT, code="unreadable")


TEXT_ERRORS = {"null_characters_not_allowed": NULL_CHARACTER}


def clean_body(value: str, field: forms.Field) -> str:
    """A reply's text as it is stored (composed), refused when it shows nothing or is too long."""
    body = unicodedata.normalize("NFC", value)
    # Zero-width spaces, bidi controls, Hangul fillers, the Braille blank...:
    # a reply of nothing but those is an empty reply.
    if is_blank(body):
        raise forms.ValidationError(field.error_messages["required"], code="required")
    # Counted as stored: composing can lengthen a text (U+FB2C is three
    # characters once composed), so the raw length proves nothing.
    body_length_validator()(body)
    return body


class EmailAddressField(forms.EmailField):
    def to_python(self, value):
        # Checked before the surrounding whitespace is stripped: a line break
        # in an address is an attempt to add headers to the emails we send.
        if isinstance(value, str) and ("\r" in value or "\n" in value):
            raise forms.ValidationError(
                _("An email address is a single line; please remove the line break."),
                code="line_break",
            )
        return super().to_python(value)


# The part before the @ as mail servers accept it: plain ASCII, no quotes. (Django's
# validator also lets through four non-ASCII letters that fold to ASCII ones, such
# as the Kelvin sign for K, and quoted parts with control characters.)
EMAIL_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}")


class FormStampInput(forms.HiddenInput):
    """A new stamp each time the form is drawn, never the one it was sent with.

    A form drawn again after an error is a new form, timed anew. In a page
    drawn for the shared page cache the stamp is a placeholder that each
    response fills in, so a cached page never hands out an old stamp.
    """

    def format_value(self, value) -> str:
        if page_cache.drawing_page():
            return page_cache.FORM_STAMP_PLACEHOLDER
        return new_form_stamp()


class HoneypotInput(forms.TextInput):
    """The robots' trap: never drawn with a value, so a person it caught can post again."""

    def format_value(self, value) -> None:
        return None


# A form without its stamp: drawn by a page older than stamps, or by a script.
STAMP_MISSING = _(
    "This form is out of date, so your reply was not posted. Your text is kept below: "
    "please post it again from here, or reload the page."
)


# What the trap answers: the words a blocked sender gets, which teach a robot nothing.
REFUSED = _("Sorry, your reply could not be accepted. Nothing has been published.")


class StrategyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Strategy) -> str:
        return obj.label


class CommentForm(forms.Form):
    # The length is checked on the name as stored (names.clean_name), and
    # the browser is not asked to cut what is pasted.
    author_name = forms.CharField(
        label=_("Your name"),
        validators=[readable_text_validator],
        error_messages={"required": names.REQUIRED, **TEXT_ERRORS},
        help_text=_("Shown with your reply."),
    )
    author_email = EmailAddressField(
        label=_("Email"),
        max_length=Comment._meta.get_field("author_email").max_length,
        error_messages={
            "required": _("Please give an email address; only moderators will see it."),
            "invalid": _("Please enter a valid email address, like name@example.com."),
            "max_length": _(
                "This address is %(show_value)d characters long; an email address has at "
                "most %(limit_value)d."
            ),
            **TEXT_ERRORS,
        },
    )
    body = forms.CharField(
        label=_("Your reply"),
        widget=UntruncatedTextarea(attrs={"rows": 5}),
        validators=[readable_text_validator],
        error_messages={"required": _("Please write your reply before posting."), **TEXT_ERRORS},
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
        # Drawn as chips: Bootstrap's toggle buttons over real checkboxes.
        widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check"}),
    )
    sovereignty_mode = forms.ChoiceField(
        label=_("How would it treat Mexico's sovereignty? (optional)"),
        choices=[("", _("Not said")), *SovereigntyMode.choices],
        required=False,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    parent = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("The comment you are replying to could not be found.")},
    )
    # Required: without it a post would skip the timing checks and the key
    # that stores one comment per form. The form drawn again carries one.
    stamp = forms.CharField(widget=FormStampInput, error_messages={"required": STAMP_MISSING})
    # A trap for robots, which fill in every field they find: people never see
    # it, the keyboard skips it, and screen readers announce what to do with it.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=HoneypotInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
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
            field = cast(StrategyChoiceField, self.fields["strategies"])
            field.choices = [(s.pk, s.label) for s in strategies]
        max_length = settings.COMMENTS_MAX_LENGTH
        # Beside the address it asks for: what the site does with it (a link: a template's).
        self.fields["author_email"].help_text = render_to_string("comments/_email_help_text.html")
        self.fields["body"].help_text = _(
            "Up to %(limit)s characters. Replies are read by a moderator before they appear."
        ) % {"limit": f"{max_length:,}"}
        # The prompt the composer opens with, in the reader's language; the
        # page also reveals the rest of the form once it is no longer shown.
        self.fields["body"].widget.attrs["placeholder"] = (
            _("Write your reply…") if replying else _("Write your answer…")
        )
        self.fields["author_name"].widget.attrs["autocomplete"] = "name"
        self.fields["author_email"].widget.attrs["autocomplete"] = "email"
        self.replying = replying
        # Drawn by templates/comments/_composer.html: the text first, then who
        # writes it, then the optional choices.
        self.action = reverse("comments:create", kwargs={"slug": article.slug})
        self.html_id = "reply-form"

    @property
    def opens_options(self) -> bool:
        """Whether the optional step starts open: a choice made, or an error in it."""
        if not self.is_bound:
            return False
        options = ("strategies", "sovereignty_mode", "language")
        chosen = self.data.getlist("strategies") if hasattr(self.data, "getlist") else []
        return any(name in self.errors for name in options) or bool(
            self.data.get("sovereignty_mode") or chosen
        )

    def clean_author_name(self) -> str:
        return names.clean_name(
            self.cleaned_data["author_name"],
            max_length=cast(int, Comment._meta.get_field("author_name").max_length),
        )

    def clean_author_email(self) -> str:
        email = self.cleaned_data["author_email"]
        local, _at, domain = email.rpartition("@")
        if not EMAIL_LOCAL_PART.fullmatch(local) or any(
            unicodedata.category(c)[0] in "CZ" for c in domain
        ):
            if len(local) > 64:
                raise forms.ValidationError(
                    _("The part before the @ can be at most 64 characters long."),
                    code="local_too_long",
                )
            raise forms.ValidationError(
                self.fields["author_email"].error_messages["invalid"], code="invalid"
            )
        # Every spelling of one mailbox (case, full-width letters, a domain in
        # Unicode or in punycode) is one person: stored in the one form that
        # blocks, rate limits and records compare.
        email = normalise_email(email)
        try:
            validate_email(email)
        except forms.ValidationError:
            raise forms.ValidationError(
                self.fields["author_email"].error_messages["invalid"], code="invalid"
            ) from None
        limit = cast(EmailAddressField, self.fields["author_email"]).max_length
        if limit is not None and len(email) > limit:
            # A domain's punycode is longer than its Unicode letters.
            raise forms.ValidationError(
                self.fields["author_email"].error_messages["max_length"],
                code="max_length",
                params={"limit_value": limit, "show_value": len(email)},
            )
        return email

    def clean_body(self) -> str:
        return clean_body(self.cleaned_data["body"], self.fields["body"])

    def clean_strategies(self) -> list[Strategy]:
        chosen = list(self.cleaned_data["strategies"])
        if len(chosen) > posting.MAX_STRATEGIES:
            raise forms.ValidationError(
                _("Choose at most %(max)d strategies; you chose %(count)d.")
                % {"max": posting.MAX_STRATEGIES, "count": len(chosen)}
            )
        return chosen

    def clean_parent(self) -> Comment | None:
        return posting.reply_target(article=self.article, parent_id=self.cleaned_data["parent"])

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError(REFUSED, code="refused")
        return ""

    def clean_stamp(self) -> str:
        """The id of this form, once its stamp shows a person had it for a while, not too long."""
        stamp = read_form_stamp(self.cleaned_data["stamp"])
        if stamp is None:
            raise forms.ValidationError(
                _(
                    "This form could not be checked, so your reply was not posted. "
                    "Your text is kept below; please post it again."
                ),
                code="tampered",
            )
        age = time.time() - stamp.issued
        if age > settings.COMMENTS_FORM_MAX_AGE_HOURS * 3600:
            raise forms.ValidationError(
                _("This form has expired; your text is kept below, please post again."),
                code="expired",
            )
        if age < settings.COMMENTS_FORM_MIN_SECONDS:
            raise forms.ValidationError(
                _(
                    "That was quicker than a person can write; "
                    "please check your reply and post it again."
                ),
                code="too_fast",
            )
        return stamp.form_id

    def clean(self):
        cleaned_data = super().clean()
        # Hidden fields: their errors are shown above the form.
        for hidden in ("website", "stamp", "parent"):
            if errors := self.errors.pop(hidden, None):
                self.add_error(None, errors)
        posting.check_discussion_open(self.article)
        return cleaned_data


class RevisionForm(CommentForm):
    """The reply form, for the revision of a rejected reply (comments.revising).

    The same text, stamp, trap and discussion checks as every reply; the
    name, the address and the place in the thread are the original's, so
    they are not asked for again.
    """

    TAKEN_FROM_THE_ORIGINAL = ("author_name", "author_email", "parent", "notify_replies")

    def __init__(self, *args, original: Comment, action: str, **kwargs):
        # As a reply: the strategies of a proposal are kept from the original.
        super().__init__(*args, article=original.article, replying=True, **kwargs)
        for name in self.TAKEN_FROM_THE_ORIGINAL:
            del self.fields[name]
        self.original = original
        self.fields["body"].label = _("Your revised reply")
        self.fields["language"].initial = original.language
        self.action = action
        self.html_id = "revise-form"

    def clean_body(self) -> str:
        body = super().clean_body()
        if body == self.original.body:
            raise forms.ValidationError(
                _("This is the text that was rejected: change it before sending it again."),
                code="unchanged",
            )
        return body


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        widget=UntruncatedTextarea(attrs={"rows": 6}),
        validators=[readable_text_validator],
        error_messages={"required": _("Please write your reply before saving."), **TEXT_ERRORS},
    )

    def __init__(self, *args, comment: Comment, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse("comments:edit", kwargs={"pk": comment.pk})
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            "body", Submit("save", _("Save changes"), css_class="btn-primary")
        )

    def clean_body(self) -> str:
        return clean_body(self.cleaned_data["body"], self.fields["body"])


class ReportForm(forms.ModelForm):
    # Declared rather than generated from the model field: a generated field
    # starts with a blank choice, which radio buttons would show as a reason.
    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose what is wrong with this comment.")},
    )

    class Meta:
        model = Report
        fields = ["reason", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": _("Details")}
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
        cleaned_data = super().clean() or {}
        other = cleaned_data.get("reason") == Report.Reason.OTHER
        if other and not cleaned_data.get("text", "").strip():
            self.add_error("text", _("Please tell the moderators what is wrong."))
        return cleaned_data
