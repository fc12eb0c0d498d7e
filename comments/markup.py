"""format_html(), format_html_join() and linebreaks, for pages that build hundreds of comments.

Django's versions check every value for a lazy translation on each call
(keep_lazy, mark_safe included), which cost a long thread page more time
than its queries. These give exactly the same HTML, by the same rule: a
value is escaped unless it is already safe HTML; a lazy string is rendered
(str()) first. Their results are SafeStrings, as mark_safe() would make.
"""

import html as stdlib_html
import re
from collections.abc import Iterable

from django.utils.safestring import SafeData, SafeString

NEWLINES = re.compile(r"\r\n|\r")
PARAGRAPH_BREAK = re.compile(r"\n{2,}")


def format_html(template: str, *args, **kwargs) -> SafeString:
    return SafeString(
        template.format(*map(escaped, args), **{k: escaped(v) for k, v in kwargs.items()})
    )


def format_html_join(separator: str, template: str, rows: Iterable[tuple]) -> SafeString:
    return SafeString(separator.join(format_html(template, *row) for row in rows))


def paragraphs(text: str) -> SafeString:
    """Plain text as HTML paragraphs and line breaks, escaped: Django's linebreaks filter."""
    return SafeString(
        "\n\n".join(
            "<p>" + stdlib_html.escape(paragraph).replace("\n", "<br>") + "</p>"
            for paragraph in PARAGRAPH_BREAK.split(NEWLINES.sub("\n", str(text)))
        )
    )


def escaped(value) -> str:
    if isinstance(value, SafeData):
        return value
    if type(value) is int:
        return str(value)  # Ids, mostly: digits need no escaping.
    return stdlib_html.escape(str(value))
