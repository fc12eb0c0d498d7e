"""A comment's text is shown as Django's linebreaks filter shows plain text: escaped, in
paragraphs, a newline within one as a line break."""

import re
from datetime import UTC, datetime

from django.template import engines
from django.template.defaultfilters import linebreaks_filter
from hypothesis import given
from hypothesis import strategies as st

from comments.models import Comment

BODY = re.compile(r'<div class="comment-body" lang="en">(.*?)</div>', re.DOTALL)
TREE = engines["django"].from_string("{% load discussion %}{% comment_tree node %}")


def shown_text(body: str) -> str:
    comment = Comment(
        pk=7,
        body=body,
        author_name="Ana",
        language="en",
        status=Comment.Status.APPROVED,
        created=datetime(2026, 11, 28, 18, 5, tzinfo=UTC),
    )
    comment.named_strategies = []
    match = BODY.search(TREE.render({"node": comment}))
    assert match
    return match[1]


def test_paragraphs_and_line_breaks():
    assert shown_text("One\r\ntwo\rthree\n\n\nNext <b> & \"so\" 'on'") == (
        "<p>One<br>two<br>three</p>\n\n<p>Next &lt;b&gt; &amp; &quot;so&quot; &#x27;on&#x27;</p>"
    )


@given(st.text(alphabet=st.sampled_from("ab <>&\"'\r\n\t")))
def test_any_text_is_shown_as_djangos_linebreaks_would(text):
    assert shown_text(text) == linebreaks_filter(text, autoescape=True)
