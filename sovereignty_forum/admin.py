"""The moderation desk: Django's admin site, named for the forum, behind its login's safeguards."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from safeguards import second_factor
from safeguards.logins import AdminLoginForm

# Django 6.1's own words on the moderators' pages that its Spanish catalogue leaves
# untranslated (the action menu's first line and its button, the date filter's label).
# Marked here so that makemessages keeps them in ours, which LOCALE_PATHS reads first.
DJANGO_WORDS_TRANSLATED_HERE = (
    gettext_noop("- Select an option -"),
    gettext_noop("Run"),
    gettext_noop("Filter by %(field_name)s"),
)


class ModerationSite(admin.AdminSite):
    site_header = _("Sovereignty Forum moderation")
    site_title = _("Sovereignty Forum")
    index_title = _("Moderation")
    # The queue needs the width more than a second menu of the same two apps.
    enable_nav_sidebar = False
    # Failed logins limited (django-axes), and the second factor asked for.
    login_form = AdminLoginForm

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and second_factor.satisfied(request)

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        if second_factor.must_set_up(request):
            return redirect("admin:second_factor")
        response = super().login(request, extra_context)
        if request.method == "POST" and second_factor.must_set_up(request):
            return redirect("admin:second_factor")
        return response

    def get_urls(self):
        return [
            path(
                "second-factor/",
                never_cache(csrf_protect(self.second_factor_view)),
                name="second_factor",
            ),
            *super().get_urls(),
        ]

    def second_factor_view(self, request):
        # Open to staff signed in without a second factor: it is where they get one.
        user = request.user
        if not (user.is_active and user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return second_factor.setup(request, context=self.each_context(request))
