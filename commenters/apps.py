from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentersConfig(AppConfig):
    name = "commenters"
    verbose_name = _("Commenters")
