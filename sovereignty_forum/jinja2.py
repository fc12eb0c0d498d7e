"""The Jinja2 environment for the hot partials: a comment, a queue item.

A long thread draws hundreds of comments; Django's templates measured 5–8×
slower there than building the HTML in Python, and Jinja2 through Django's own
backend gave the same HTML at about the Python's speed, with autoescaping on.
Every other page stays a Django template.

The engine reads only files named `*.jinja` (from the same `templates/` tree),
so it never picks up a Django template and the Django engine is always asked
first for `.html`. Partials are loaded with `engines["jinja2"].get_template()`
(or, to call a partial's macros many times a page, made into a module once:
`engines["jinja2"].env.get_template(name).make_module(...)`).

Every value is escaped as Django's templates escape it (`conditional_escape`:
`"` as `&quot;`, `'` as `&#x27;`, where Jinja2's own escaping writes `&#34;` and
`&#39;`), so a partial's HTML is the HTML the Django templates around it write.
Jinja2's `~`, `join` and `escape` still escape Jinja2's way: a partial joins
reader text through plain `{{ }}` output.

What the partials get, matching what Django's templates give:
- `url(name, *args, **kwargs)`: `reverse()`; `static(path)`.
- `_()`, `gettext()`, `ngettext()`, `pgettext()`, `npgettext()`: Django's
  translations in the active language. They return plain text, escaped on
  output like `{% translate %}`.
- Django's own filters where Jinja2's differ or are missing: `linebreaks`
  (Django's output under autoescape, written faster), `date` and
  `time` (in the current time zone, as Django's templates show them; formats
  such as "DATE_FORMAT" follow the active language), `localtime`,
  `floatformat`, `truncatechars`, `capfirst`, `quote_plus`.
"""

import html
import re
from datetime import date, datetime
from datetime import time as clock
from typing import Any
from urllib.parse import quote_plus

import jinja2
import markupsafe
from django.template import defaultfilters
from django.templatetags.static import static
from django.templatetags.tz import localtime
from django.urls import reverse
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs
from django.utils.translation import gettext, ngettext, npgettext, pgettext

PARTIAL_SUFFIX = ".jinja"


class PartialsOnly(jinja2.BaseLoader):
    """The backend's loader, limited to `*.jinja` files."""

    def __init__(self, loader: jinja2.BaseLoader):
        self.loader = loader

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        if not template.endswith(PARTIAL_SUFFIX):
            raise jinja2.TemplateNotFound(template)
        return self.loader.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return [name for name in self.loader.list_templates() if name.endswith(PARTIAL_SUFFIX)]


def url(name: str, *args: object, **kwargs: object) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def date_filter(value: date | datetime | None, arg: str | None = None) -> str:
    # Django's templates show a datetime in the current time zone before its
    # date and time filters format it; so do these.
    return defaultfilters.date(template_localtime(value), arg)


def time_filter(value: datetime | clock | None, arg: str | None = None) -> str:
    return defaultfilters.time(template_localtime(value), arg)


# Django's rules for paragraphs (django.utils.html.linebreaks): any line ending
# is a newline, and two or more newlines end a paragraph.
NEWLINES = re.compile(r"\r\n|\r")
PARAGRAPH_BREAK = re.compile(r"\n{2,}")


def linebreaks(value: object) -> markupsafe.Markup:
    """Django's `linebreaks` filter under autoescape, character for character: `value`
    escaped, each paragraph a `<p>`, each newline within one a `<br>`.

    Written out rather than calling the filter, which goes through Django's
    lazy-text wrappers for every paragraph: every comment of a page is drawn
    through this, and the comment partial took 7-15% less time with it than
    with a loop over the paragraphs in the template (the bench's pages of
    threads, SQLite, both in one process).
    """
    paragraphs = PARAGRAPH_BREAK.split(NEWLINES.sub("\n", str(value)))
    return markupsafe.Markup(  # noqa: S704 - each paragraph is escaped just here
        "\n\n".join([f"<p>{html.escape(p).replace('\n', '<br>')}</p>" for p in paragraphs])
    )


def escaped_as_django_does(value: object) -> object:
    """`value` escaped as Django's `conditional_escape` escapes it, for Jinja2's output.

    The same text as `conditional_escape` (`html.escape`, which Django's
    `escape` calls), without Django's lazy-text wrapper and its `SafeString`,
    which Jinja2 then wraps again: a 500-reply thread writes some 7,000
    values, and with `conditional_escape` here the page cost 1.3x what it
    does with this (SQLite, the bench's thread, one process).
    """
    if hasattr(value, "__html__"):
        # Safe already: Django's SafeString or Jinja2's Markup.
        return value
    text = str(value)
    if '"' not in text and "'" not in text:
        # Jinja2's own escaping, which follows, writes &, < and > as Django does;
        # only the quotes differ. Left to it, an id or a name without quotes
        # costs the comment partial about a quarter less (the bench's page of threads).
        return text
    return markupsafe.Markup(html.escape(text))  # noqa: S704 - escaped just here


def environment(**options: Any) -> jinja2.Environment:
    options["loader"] = PartialsOnly(options["loader"])
    # Always on, whatever the settings say: the partials show readers' text.
    options.pop("autoescape", None)
    # Each value, before autoescaping, is escaped by Django (which marks it safe).
    options["finalize"] = escaped_as_django_does
    env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    # Old-style callables: a translation is plain text, escaped on output.
    # (newstyle=True would mark every translation safe.) The i18n extension
    # adds this method to the environment, which its types cannot say.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=gettext,
        ngettext=ngettext,
        pgettext=pgettext,
        npgettext=npgettext,
        newstyle=False,
    )
    env.globals.update(url=url, static=static)
    env.filters.update(
        linebreaks=linebreaks,
        date=date_filter,
        time=time_filter,
        localtime=localtime,
        floatformat=defaultfilters.floatformat,
        truncatechars=defaultfilters.truncatechars,
        capfirst=defaultfilters.capfirst,
        quote_plus=quote_plus,
    )
    return env
