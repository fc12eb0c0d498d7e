"""The moderators' desk in Django's admin; importing it registers every admin of the desk."""

from . import comments, reports, rules

__all__ = ["comments", "reports", "rules"]
