"""An article's addresses in each of the site's languages.

The site speaks the reader's language, chosen by their browser or by the
language switch (a cookie), at the same address for everyone: the article
is at /articles/<slug>/ in whichever language the reader reads. For search
engines and for links that must open in one language, each language also
has an address of its own, /<language>/articles/<slug>/, that serves the
page in that language whatever the browser asks for; the pages name one
another as alternates (hreflang), the shared address as the default.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation


class SiteLanguageConverter:
    """A path segment naming one of the site's languages ("en", "es")."""

    regex = "|".join(code for code, _name in settings.LANGUAGES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def read_in(request: HttpRequest, language: str) -> None:
    """This request is answered in `language`, whatever the browser or the cookie asked for."""
    translation.activate(language)
    request.LANGUAGE_CODE = language
