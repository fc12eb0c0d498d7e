"""The article's Markdown: an allowlist sanitizer keeps nothing that would run, and every link is
marked as untrusted.
"""

import pytest

from articles.rendering import render_article_markdown
from tests.pages import read_markup, what_would_run

pytestmark = pytest.mark.django_db


MARKDOWN_ATTACKS = [
    ("raw script", "<script>alert(1)</script>"),
    ("script hidden in a paragraph", "Hello <script>alert(1)</script> world"),
    ("event handler on an image", "<img src=x onerror=alert(1)>"),
    ("event handler on an allowed tag", '<a href="https://example.org" onclick="alert(1)">x</a>'),
    ("event handler on svg", "<svg onload=alert(1)></svg>"),
    ("javascript link in HTML", '<a href="javascript:alert(1)">x</a>'),
    ("javascript link in Markdown", "[x](javascript:alert(1))"),
    ("javascript link in mixed case", "[x](JaVaScRiPt:alert(1))"),
    ("javascript link encoded as entities", "[x](&#106;avascript:alert(1))"),
    ("javascript link hex-encoded", '<a href="&#x6A;avascript:alert(1)">x</a>'),
    ("javascript link split by a tab", '<a href="java&#09;script:alert(1)">x</a>'),
    ("javascript link by reference", "[x][r]\n\n[r]: javascript:alert(1)"),
    ("javascript autolink", "<javascript:alert(1)>"),
    ("data link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("data link in HTML", '<a href="data:text/html,<script>alert(1)</script>">x</a>'),
    ("vbscript link", '<a href="vbscript:msgbox(1)">x</a>'),
    ("Markdown image with a script source", "![x](javascript:alert(1))"),
    ("Markdown image breaking out of its attribute", '![x](x" onerror="alert(1))'),
    ("image by reference", "![x][i]\n\n[i]: javascript:alert(1)"),
    ("image wrapped in a link", "[![x](https://example.org/a.png)](javascript:alert(1))"),
    ("iframe", '<iframe src="javascript:alert(1)"></iframe>'),
    ("object", '<object data="javascript:alert(1)"></object>'),
    ("style attribute", '<p style="background:url(javascript:alert(1))">x</p>'),
    ("style element", "<style>body{background:url(javascript:alert(1))}</style>"),
    ("form", '<form action="javascript:alert(1)"><button>go</button></form>'),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("base", '<base href="javascript:alert(1)//">'),
    ("comment-hidden script", "<!--><script>alert(1)</script>-->"),
    ("unclosed tag", '<img src="x" onerror="alert(1)"'),
]


@pytest.mark.parametrize(
    "markdown", [case[1] for case in MARKDOWN_ATTACKS], ids=[case[0] for case in MARKDOWN_ATTACKS]
)
def test_the_article_markdown_keeps_nothing_that_would_run(markdown):
    html = render_article_markdown(markdown)

    assert what_would_run(html) == []
    assert not any(tag in html for tag in ("<img", "<iframe", "<object", "<style", "<form"))
    assert " style=" not in html


@pytest.mark.parametrize(
    "markdown",
    [
        "[the report](https://example.org/report)",
        "<https://example.org/report>",
        '<a href="https://example.org/report" rel="author" target="_blank">the report</a>',
        "[write to us](mailto:desk@example.org)",
    ],
    ids=["Markdown link", "autolink", "HTML link with its own rel", "mailto link"],
)
def test_every_link_in_the_article_is_marked_as_untrusted(markdown):
    (link,) = read_markup(render_article_markdown(markdown)).links

    assert link["rel"] == "nofollow ugc noopener"


def test_the_article_page_shows_its_markdown_sanitized(client, article):
    article.body = "\n\n".join(case[1] for case in MARKDOWN_ATTACKS)
    article.save()

    page = client.get(article.get_absolute_url())

    assert what_would_run(page.content.decode()) == []
