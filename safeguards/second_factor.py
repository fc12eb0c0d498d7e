"""A second factor for the admin: a code from an authenticator app (TOTP, django-otp).

Staff turn it on for themselves on the admin's "Second factor" page: it shows
a QR code (and the key, to type in) for an authenticator app, and is on once
the app's first code is entered. From then on their login asks for a code
(safeguards.logins.AdminLoginForm). With ADMIN_REQUIRE_SECOND_FACTOR, every
account that signs in to the admin must have one: a login without it reaches
only this page, until the second factor is on and used.

Lost the phone? A superuser deletes the account's device under "TOTP devices"
in the admin; the next login needs the password only (and, if required,
leads here again).
"""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def verified_device(user, device: TOTPDevice, token: str) -> TOTPDevice | None:
    """`device`, when `token` is its code now (throttled by django-otp after failures)."""
    verified = verify_token(user, device.persistent_id, token)
    return verified if isinstance(verified, TOTPDevice) else None


def is_required() -> bool:
    return settings.ADMIN_REQUIRE_SECOND_FACTOR


def used_in_this_session(request: HttpRequest) -> bool:
    # django-otp's middleware (and its login) give the user the device this session used.
    return getattr(request.user, "otp_device", None) is not None


def satisfied(request: HttpRequest) -> bool:
    """Whether this session may use the admin as far as the second factor goes."""
    return not is_required() or used_in_this_session(request)


def must_set_up(request: HttpRequest) -> bool:
    """A staff account signed in without a second factor, which the site requires."""
    user = request.user
    return bool(
        is_required()
        and user.is_active
        and user.is_staff
        and not used_in_this_session(request)
        and confirmed_device(user) is None
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args, user, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.device = user, device

    def clean_code(self) -> TOTPDevice:
        device = verified_device(self.user, self.device, self.cleaned_data["code"].strip())
        if device is None:
            raise forms.ValidationError(
                gettext_lazy("That code is not right, or it has expired: enter the one shown now."),
                code="code_wrong",
            )
        return device


def setup(request: HttpRequest, *, context: dict) -> HttpResponse:
    """The "Second factor" page of a staff account: turn it on, or (unless required) off."""
    user = request.user
    device = confirmed_device(user)
    if device is not None:
        return _turn_off(request, device, context)
    # The key stays the same while the page is reloaded, until its first code is entered.
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if pending is None:
        pending = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None, user=user, device=pending)
    if request.method == "POST" and form.is_valid():
        pending.confirmed = True
        pending.save(update_fields=["confirmed"])
        otp_login(request, pending)
        messages.success(request, _("Your second factor is on: each login will ask for a code."))
        return redirect("admin:index")
    key = b32encode(pending.bin_key).decode()
    return render(
        request,
        "admin/second_factor.html",
        {
            **context,
            "title": _("Second factor"),
            "form": form,
            # Dark modules on white, quiet zone included, whatever the admin's colour scheme:
            # on a transparent ground the dark theme turned it black on black, unscannable.
            "qr_code": segno.make(pending.config_url, error="m").svg_data_uri(
                scale=4, dark="#000", light="#fff"
            ),
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
            "required": is_required(),
        },
    )


def _turn_off(request: HttpRequest, device: TOTPDevice, context: dict) -> HttpResponse:
    form = CodeForm(request.POST or None, user=request.user, device=device)
    if request.method == "POST" and not is_required() and form.is_valid():
        TOTPDevice.objects.filter(user=request.user).delete()
        messages.success(request, _("Your second factor is off: logins ask for the password only."))
        return redirect("admin:index")
    return render(
        request,
        "admin/second_factor.html",
        {
            **context,
            "title": _("Second factor"),
            "form": form,
            "device": device,
            "required": is_required(),
        },
    )
