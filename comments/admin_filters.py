"""A list filter the admins of the desk share: whether a date was set, read as a question.

Django's EmptyFieldListFilter offers "Empty" / "Not empty", which a moderator
has to translate in their head; "Resolved: yes / no" reads as it means.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class YesNoFilter(admin.SimpleListFilter):
    """Whether `field` (a nullable date) is set: "yes" or "no"."""

    field = ""
    template = "admin/yes_no_filter.html"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        match self.value():
            case "yes":
                return queryset.filter(**{f"{self.field}__isnull": False})
            case "no":
                return queryset.filter(**{f"{self.field}__isnull": True})
        return queryset


class YesNoFieldFilter(admin.BooleanFieldListFilter):
    """A yes-or-no field read as a question: "Editor's pick: yes / no", not "By editor's pick"."""

    template = "admin/yes_no_filter.html"
