"""When comments were written, in words: "3 hours ago", with the exact time beside it.

A long thread shows hundreds of these. Django's naturaltime and date
filters cost a noticeable share of such a page, so a page keeps one
Moments: it reads the clock once and formats each calendar day and each
minute of the day once, in the reader's language.
"""

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext, ngettext

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR

# The largest unit that fits, counted down; "just now" under a minute.
UNITS = [
    (365 * DAY, lambda n: ngettext("%(n)d year ago", "%(n)d years ago", n)),
    (30 * DAY, lambda n: ngettext("%(n)d month ago", "%(n)d months ago", n)),
    (7 * DAY, lambda n: ngettext("%(n)d week ago", "%(n)d weeks ago", n)),
    (DAY, lambda n: ngettext("%(n)d day ago", "%(n)d days ago", n)),
    (HOUR, lambda n: ngettext("%(n)d hour ago", "%(n)d hours ago", n)),
    (MINUTE, lambda n: ngettext("%(n)d minute ago", "%(n)d minutes ago", n)),
]


class Moments:
    """Times of many comments for one page, in the active language and time zone."""

    def __init__(self, now: datetime | None = None):
        self.now = now or timezone.now()
        self.zone = timezone.get_current_timezone()
        self._days: dict[date, str] = {}
        self._minutes: dict[time, str] = {}
        self.moment_pattern = gettext("%(date)s, %(time)s")
        self._ages: dict[tuple[int, int], str] = {}

    def ago(self, moment: datetime) -> str:
        seconds = (self.now - moment).total_seconds()
        for unit, (size, words) in enumerate(UNITS):
            if seconds >= size:
                count = int(seconds // size)
                if (unit, count) not in self._ages:
                    self._ages[unit, count] = words(count) % {"n": count}
                return self._ages[unit, count]
        return gettext("just now")

    def exact(self, moment: datetime) -> str:
        local = moment.astimezone(self.zone)
        day, minute = local.date(), local.time().replace(second=0, microsecond=0)
        if day not in self._days:
            self._days[day] = date_format(day, "DATE_FORMAT")
        if minute not in self._minutes:
            self._minutes[minute] = time_format(minute, "TIME_FORMAT")
        return self.moment_pattern % {"date": self._days[day], "time": self._minutes[minute]}
