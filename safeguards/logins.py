"""The admin login: guessing limited per account and per client network, and the second factor.

django-axes counts failed logins in the database (settings: AXES_*). It is
told the client the way the rest of the site knows it — safeguards.clients,
behind the trusted proxies only, so a forged X-Forwarded-For moves nothing —
and counts an IPv4 address, or an IPv6 /64, as one network (the rate limits'
unit, safeguards.networks): a guesser on one IPv6 connection has a whole /64
to pick addresses from.

The login form says, in the reader's language, why a locked-out login is
refused, and asks for the code of the second factor when the account has one
(safeguards.second_factor); a wrong code counts as a failed login too, so
the codes cannot be guessed either.
"""

import logging

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .clients import client_ip
from .networks import client_network
from .second_factor import confirmed_device, verified_device

logger = logging.getLogger(__name__)

LOCKED_OUT_STATUS = 429


def client_network_address(request: HttpRequest) -> str | None:
    """The client axes counts: its IPv4 address, or the first address of its IPv6 /64.

    An address rather than "2001:db8::/64", because axes keeps it in an IP address field.
    """
    network = client_network(client_ip(request), ipv4_prefix=32)
    return network.partition("/")[0] or None


def lockout_message() -> str:
    minutes = lockout_minutes()
    return ngettext(
        "Too many failed logins for this account or from your network. "
        "Wait %(minutes)d minute, then try again.",
        "Too many failed logins for this account or from your network. "
        "Wait %(minutes)d minutes, then try again.",
        minutes,
    ) % {"minutes": minutes}


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page as the form drew it (with the message), as a 429."""
    username = (credentials or {}).get("username", "")
    logger.warning(
        "Admin login locked out for %d minutes: account %r, client network %s, path %s",
        lockout_minutes(),
        username,
        client_network_address(request) or "unknown",
        request.path,
    )
    if original_response is None or not isinstance(original_response, TemplateResponse):
        return HttpResponse(lockout_message(), status=LOCKED_OUT_STATUS)
    original_response.status_code = LOCKED_OUT_STATUS
    original_response["Retry-After"] = str(lockout_minutes() * 60)
    return original_response


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login: a username, a password and, for an account with one, its second factor."""

    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        help_text=_("Only if you turned on a second factor."),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        # Django's words, in our catalogue: its Spanish one says them with "usted".
        "invalid_login": _(
            "Please enter the correct %(username)s and password for a staff "
            "account. Note that both fields may be case-sensitive."
        ),
        "code_missing": _(
            "This account has a second factor: enter the code your authenticator app shows."
        ),
        "code_wrong": _("That code is not right, or it has expired: enter the one shown now."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["otp_token"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none"}
        )

    def clean(self):
        try:
            super().clean()
        except ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(lockout_message(), code="locked_out") from None
            raise
        user = self.get_user()
        device = confirmed_device(user)
        if device is None:
            return self.cleaned_data
        token = (self.cleaned_data.get("otp_token") or "").strip()
        verified = verified_device(user, device, token) if token else None
        if verified is None:
            # Counted by axes like a wrong password: the codes are guessed no faster.
            user_login_failed.send(
                sender=__name__,
                credentials={"username": self.cleaned_data.get("username")},
                request=self.request,
            )
            self.user_cache = None
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(lockout_message(), code="locked_out")
            code = "code_wrong" if token else "code_missing"
            raise ValidationError(self.error_messages[code], code=code)
        # django_otp marks the session as verified when the login completes.
        user.otp_device = verified  # type: ignore[attr-defined]
        return self.cleaned_data
