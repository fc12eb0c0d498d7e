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
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def absolute(path: str) -> str:
    """`path` on the site's public address (SITE_URL)."""
    return settings.SITE_URL + str(path)


@register.filter
def json_ld(data) -> SafeString:
    """`data` as JSON to put between <script type="application/ld+json"> and </script>."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 - every character that could close the element is escaped
