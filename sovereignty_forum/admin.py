"""The moderation desk: Django's admin site, named for the forum."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class ModerationSite(admin.AdminSite):
    site_header = _("Sovereignty Forum moderation")
    site_title = _("Sovereignty Forum")
    index_title = _("Moderation")
    # The queue needs the width more than a second menu of the same two apps.
    enable_nav_sidebar = False
