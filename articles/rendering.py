"""Markdown to HTML that is safe to put in a page.

Markdown itself passes raw HTML through, so its output always goes through an
allowlist sanitizer: only the tags and attributes listed here survive, and
every link is marked as untrusted.
"""

from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ARTICLE_TAGS = {
    "h2", "h3", "h4", "p", "br", "hr", "em", "strong", "a", "blockquote",
    "ul", "ol", "li", "code", "pre",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"


@lru_cache(maxsize=64)
def render_article_markdown(text: str) -> SafeString:
    html = markdown.markdown(text, output_format="html")
    clean = nh3.clean(
        html,
        tags=ARTICLE_TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
    )
    return mark_safe(clean)  # noqa: S308 - sanitized by nh3 just above
