from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from articles.page_cache import static_page
from comments import notifications

from . import addresses, privacy


@require_http_methods(["GET", "POST"])
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    email = notifications.email_from_token(
        token, salt=notifications.CONFIRM_SALT, max_age=notifications.CONFIRMATION_MAX_AGE
    )
    if email is None:
        return render(request, "commenters/link_invalid.html", status=400)
    if request.method == "POST":
        addresses.commenter_confirm(email)
        messages.success(request, _("Thank you: %(email)s is confirmed.") % {"email": email})
        return redirect("articles:home")
    return render(request, "commenters/confirm_email.html", {"email": email})


@csrf_exempt  # Mail clients unsubscribe with a one-click POST (RFC 8058); the token is the proof.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    email = notifications.email_from_token(token, salt=notifications.UNSUBSCRIBE_SALT)
    if email is None:
        return render(request, "commenters/link_invalid.html", status=400)
    if request.method == "POST":
        addresses.reply_notifications_stop(email)
        return render(request, "commenters/unsubscribed.html", {"email": email})
    return render(request, "commenters/unsubscribe.html", {"email": email})


@require_safe
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return static_page(request, "commenters/privacy_notice.html", privacy.notice_facts())
