from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Discussion")

    def ready(self):
        from .names import STAFF_NAMES

        # Readers may not take a staff member's name: a new or renamed
        # account must count from its very next post.
        for event, signal in [("saved", post_save), ("deleted", post_delete)]:
            signal.connect(
                STAFF_NAMES.forget,
                sender=settings.AUTH_USER_MODEL,
                weak=False,
                dispatch_uid=f"comments.forget_staff_names.{event}",
            )
