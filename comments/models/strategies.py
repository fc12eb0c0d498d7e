"""The strategies a proposal may name, and how it treats sovereignty."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Strategy(models.Model):
    """One of the approaches readers can propose, curated by the newsroom in both languages."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name (English)"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100)
    description = models.CharField(_("description (English)"), max_length=300, blank=True)
    description_es = models.CharField(_("description (Spanish)"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_es if get_language() == "es" and self.name_es else self.name

    @property
    def explanation(self) -> str:
        if get_language() == "es" and self.description_es:
            return self.description_es
        return self.description


class SovereigntyMode(models.TextChoices):
    """How a proposal would act across the border."""

    DOMESTIC = "domestic", _("Domestic action only")
    BILATERAL = "bilateral", _("Bilateral, with consent")
    MULTILATERAL = "multilateral", _("Multilateral")
    UNILATERAL = "unilateral", _("Unilateral")
