"""What the site knows of a commenter's email address beyond their comments."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Commenter(models.Model):
    """What the site knows of an email address beyond its comments: whether it is confirmed."""

    email = models.EmailField(_("email"), max_length=254, unique=True)
    confirmed = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmation_sent = models.DateTimeField(_("confirmation sent"), null=True, blank=True)
    created = models.DateTimeField(_("first seen"), default=timezone.now)

    class Meta:
        ordering = ["email"]
        verbose_name = _("commenter")
        verbose_name_plural = _("commenters")

    def __str__(self) -> str:
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed is not None
