from django.contrib.admin.apps import AdminConfig


class ModerationAdminConfig(AdminConfig):
    default_site = "sovereignty_forum.admin.ModerationSite"
