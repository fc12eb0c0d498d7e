from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafeguardsConfig(AppConfig):
    """How the whole site fails and deploys: error pages, database and cache outages, deploy checks.

    None of this belongs to the article or the discussion, and sovereignty_forum/
    holds only settings and URLs, so it is a small app of its own.
    """

    name = "safeguards"
    verbose_name = _("Safeguards")

    def ready(self) -> None:
        # Registers the system checks, and forgets each request's id as it finishes.
        from . import checks, logs  # noqa: F401
