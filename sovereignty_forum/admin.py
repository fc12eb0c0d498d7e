"""The moderation desk: Django's admin site, named for the forum."""

from django.contrib import admin
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _


class ModerationSite(admin.AdminSite):
    site_header = _("Sovereignty Forum moderation")
    site_title = _("Sovereignty Forum")
    index_title = _("Moderation")
    # The queue needs the width more than a second menu of the same two apps.
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        # Every admin page's context asks for the app list, for the navigation
        # sidebar this site turns off; it costs a permission check per model,
        # so it is built only where a page shows it (the index).
        return SimpleLazyObject(
            lambda: super(ModerationSite, self).get_app_list(request, app_label)
        )
