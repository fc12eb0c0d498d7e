"""The Jinja2 engine for the hot partials: escaped, translated, and only for *.jinja files."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateDoesNotExist, engines
from django.template.backends.django import DjangoTemplates
from django.template.backends.jinja2 import Jinja2
from django.template.defaultfilters import linebreaks_filter
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import UndefinedError

HOSTILE = '<script>alert("x")</script> & <b>'


def render(source: str, **context: object) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_it_escapes_reader_text():
    html = render("<p>{{ body }}</p>", body=HOSTILE)

    assert html == ("<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;</p>")


@given(st.text() | st.integers() | st.none())
def test_any_value_is_escaped_as_a_django_template_escapes_it(value):
    source = '<a title="{{ value }}">{{ value }}</a>'

    assert render(source, value=value) == Template(source).render(Context({"value": value}))


def test_linebreaks_escapes_reader_text_into_paragraphs():
    html = render("{{ body|linebreaks }}", body=f"{HOSTILE}\nsecond line\n\nnext paragraph")

    assert html == (
        "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;<br>second line</p>"
        "\n\n<p>next paragraph</p>"
    )


@given(st.text(alphabet=st.sampled_from("ab <>&\"'\r\n\t")) | st.integers())
def test_linebreaks_writes_what_djangos_filter_writes(value):
    assert render("{{ value|linebreaks }}", value=value) == linebreaks_filter(
        value, autoescape=True
    )


def test_html_marked_safe_by_django_is_not_escaped_again():
    assert render("{{ html }}", html=mark_safe("<em>kept</em>")) == "<em>kept</em>"


def test_url_reverses_names_with_arguments():
    assert render('{{ url("comments:permalink", 7) }}') == "/comments/7/"
    assert render('{{ url("articles:detail", slug="on-sovereignty") }}') == (
        "/articles/on-sovereignty/"
    )


def test_static_gives_the_address_django_gives():
    assert render('{{ static("css/admin.css") }}') == static("css/admin.css")


def test_gettext_follows_the_active_language():
    source = '{{ _("Reply") }} · {{ ngettext("%(n)d day ago", "%(n)d days ago", 3) % {"n": 3} }}'

    assert render(source) == "Reply · 3 days ago"
    with translation.override("es"):
        assert render(source) == "Responder · hace 3 días"


def test_translations_are_escaped_on_output():
    assert render('{{ _("Say <%(what)s>") % {"what": "&"} }}') == "Say &lt;&amp;&gt;"


def test_dates_show_in_the_current_time_zone():
    moment = datetime(2026, 1, 15, 18, 30, tzinfo=UTC)

    with timezone.override("America/Mexico_City"):
        assert render('{{ moment|date("Y-m-d H:i") }}', moment=moment) == "2026-01-15 12:30"
        assert render('{{ moment|time("H:i") }}', moment=moment) == "12:30"
        assert render("{{ (moment|localtime).hour }}", moment=moment) == "12"


def test_a_misspelt_name_fails_loudly():
    with pytest.raises(UndefinedError, match="commnt"):
        render("{{ commnt.body }}", comment=None)


def test_html_templates_still_render_through_django():
    template = get_template("404.html")

    assert isinstance(template.backend, DjangoTemplates)
    assert "</html>" in render_to_string("404.html")
    with pytest.raises(TemplateDoesNotExist):
        engines["jinja2"].get_template("404.html")


def test_the_engine_reads_only_jinja_files(tmp_path):
    (tmp_path / "item.jinja").write_text("<li>{{ body }}</li>")
    (tmp_path / "item.html").write_text("<li>{{ body }}</li>")
    jinja = Jinja2(
        {
            "NAME": "jinja2-here",
            "DIRS": [tmp_path],
            "APP_DIRS": False,
            "OPTIONS": settings.TEMPLATES[1]["OPTIONS"],
        }
    )

    assert jinja.get_template("item.jinja").render({"body": "<b>"}) == "<li>&lt;b&gt;</li>"
    with pytest.raises(TemplateDoesNotExist):
        jinja.get_template("item.html")
