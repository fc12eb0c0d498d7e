"""Reading what the site sends back: a form's refusals, a page's markup as a browser reads it."""

from html.parser import HTMLParser


def refusal(response, field: str) -> str:
    """The form's errors for `field` (NON_FIELD_ERRORS for those shown above the form)."""
    return " ".join(response.context["form"].errors.get(field, []))


# Markup that would run, found the way a browser reads a page.
SCHEMES_THAT_RUN = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "poster"}


class Markup(HTMLParser):
    """What a page would run (`running`), the text it shows (`text`) and its links' attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.running: list[str] = []
        self.text: list[str] = []
        self.links: list[dict[str, str | None]] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a":
            self.links.append(attributes)
        if tag == "script":
            self._in_script = True
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.running.append(f"<{tag} {name}={value!r}>")
            # Browsers ignore spaces and control characters in a scheme, and its case.
            scheme = "".join(c for c in value if c.isprintable() and not c.isspace()).lower()
            if name in URL_ATTRIBUTES and scheme.startswith(SCHEMES_THAT_RUN):
                self.running.append(f"<{tag} {name}={value!r}>")
        if tag in {"iframe", "object", "embed", "svg", "math", "base", "meta"} and any(
            "alert" in (value or "") for _name, value in attrs
        ):
            self.running.append(f"<{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert" in data:
            self.running.append(f"<script>{data}</script>")
        elif not self._in_script:
            self.text.append(data)


def read_markup(html: str) -> Markup:
    markup = Markup()
    markup.feed(html)
    markup.close()
    return markup


def what_would_run(html: str) -> list[str]:
    return read_markup(html).running


def visible_text(html: str) -> str:
    return "".join(read_markup(html).text)
