"""The rules that decide a comment's status: the automatic ones, and the moderators' word
rules and blocks they read."""

import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeguards.clients import normalise_ip
from safeguards.emails import normalise_email


class Rule(models.TextChoices):
    """The automatic rules that can decide a comment's status, each a visible reason."""

    PRE_MODERATION = "pre_moderation", _("Pre-moderation: every reply waits")
    TRUSTED = "trusted", _("Trusted commenter: published at once")
    FIRST_TIME = "first_time", _("First-time commenter")
    UNCONFIRMED = "unconfirmed", _("Email address not confirmed")
    OTHER_BROWSER = "other_browser", _("Address never used from this browser")
    NOT_YET_TRUSTED = "not_yet_trusted", _("Too few approved comments yet")
    RECENT_REJECTION = "recent_rejection", _("Recently rejected comment")
    BANNED_WORD = "banned_word", _("Banned word")
    SUSPECT_WORD = "suspect_word", _("Suspect word")
    TOO_MANY_LINKS = "too_many_links", _("Too many links")
    REPORTS = "reports", _("Reported by readers")
    # A revision is read by a moderator whatever its author's record (comments.revising).
    REVISION = "revision", _("Revision of a rejected reply: a moderator reads it")


class WordRule(models.Model):
    """A word or phrase that rejects, marks as spam, or holds a comment that contains it."""

    class Action(models.TextChoices):
        REJECT = "reject", _("Banned: reject")
        SPAM = "spam", _("Banned: mark as spam")
        HOLD = "hold", _("Suspect: hold for review")

    phrase = models.CharField(
        _("word or phrase"),
        max_length=100,
        help_text=_(
            "Matched on whole words, ignoring case and accents: “mierda” also matches “MIÉRDA”."
        ),
    )
    action = models.CharField(_("action"), max_length=8, choices=Action)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["phrase"]
        verbose_name = _("word rule")
        verbose_name_plural = _("word rules")
        constraints = [
            models.UniqueConstraint(Lower("phrase"), name="comments_wordrule_unique_phrase"),
        ]

    def __str__(self) -> str:
        return f"{self.phrase} ({self.get_action_display()})"

    def clean(self) -> None:
        self.phrase = " ".join(self.phrase.split())
        if not self.phrase:
            raise ValidationError({"phrase": _("Enter a word or phrase.")})


class Block(models.Model):
    """A sender whose comments are refused: an email address, a whole domain, or an IP network."""

    target = models.CharField(
        _("email, @domain or IP network"),
        max_length=254,
        unique=True,
        help_text=_("For example troll@example.com, @spam.example, 203.0.113.7 or 203.0.113.0/24."),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("blocked by"),
    )
    created = models.DateTimeField(_("blocked"), default=timezone.now)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")

    def __str__(self) -> str:
        return self.target

    @property
    def network(self):
        try:
            network = ipaddress.ip_network(self.target.strip(), strict=False)
        except ValueError:
            return None
        mapped = network.version == 6 and network.network_address.ipv4_mapped
        if mapped and network.prefixlen >= 96:
            # IPv4 addresses written as IPv6 (::ffff:203.0.113.0/120): clients
            # are seen with their IPv4 address (safeguards.clients).
            return ipaddress.ip_network(f"{mapped}/{network.prefixlen - 96}")
        return network

    @property
    def address(self) -> str:
        """The blocked address or @domain, in the form addresses are stored and compared in."""
        target = self.target.strip()
        if target.startswith("@"):
            # The domain alone: written as the domain of an address.
            return "@" + normalise_email(f"someone{target}").partition("@")[2]
        return normalise_email(target)

    def clean(self) -> None:
        network = self.network
        if network is not None:
            self.target = str(network)
            return
        self.target = self.address
        address = "someone" + self.target if self.target.startswith("@") else self.target
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                {"target": _("Enter an email address, an @domain, or an IP address or network.")}
            ) from None

    def matches(self, *, email: str, ip_address: str | None) -> bool:
        network = self.network
        if network is not None:
            ip_address = normalise_ip(ip_address)
            return ip_address is not None and ipaddress.ip_address(ip_address) in network
        # Both in their one form: a block made before, or typed otherwise,
        # still stops every spelling of the address.
        email, target = normalise_email(email), self.address
        if target.startswith("@"):
            return email.endswith(target)
        return email == target
