"""What a page says of itself to search engines and link previews: absolute addresses and
structured data (JSON-LD)."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The characters that could end a <script> element or open a comment inside
# it, written as JSON's own escapes, as Django's json_script writes them: the
# data stays the same JSON, and no text in it (a reader's reply) can leave
# the element.
# Three replace() calls rather than str.translate(): on the JSON of a thread page (tens of KB,
# mostly non-ASCII Spanish) translate took 3–4 ms a page, replace about 0.1 ms.
_SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


@register.filter
def absolute(path: str) -> str:
    """`path` on the site's public address (SITE_URL)."""
    return settings.SITE_URL + str(path)


@register.filter
def json_ld(data) -> SafeString:
    """`data` as JSON to put between <script type="application/ld+json"> and </script>."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    for character, escape in _SCRIPT_ESCAPES:
        text = text.replace(character, escape)
    return mark_safe(text)  # noqa: S308 - every character that could close the element is escaped
