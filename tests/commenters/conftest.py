import pytest

from comments.models import Comment
from tests.factories import ANA, LUIS, make_comment


@pytest.fixture
def ana(article) -> Comment:
    """A published comment by Ana, with a reply by Luis."""
    comment = make_comment(article=article, body="Shared intelligence, not troops.", **ANA)
    make_comment(article=article, parent=comment, body="Trust must go both ways.", **LUIS)
    return comment


@pytest.fixture
def luis(article) -> Comment:
    """A published proposal by Luis, for Ana to report and rate."""
    return make_comment(article=article, body="Joint patrols on the border.", **LUIS)
