"""After rating or reporting a comment, the reader is back at that comment, with the
confirmation beside it rather than at the top of a long page."""

import pytest
from django.test import Client

from comments.models import Comment, Strategy
from tests.actions import post_reply, rate, report
from tests.factories import make_comment, reply_data

pytestmark = pytest.mark.django_db


def card_of(html: str, comment: Comment) -> str:
    return html.split(f'<article id="c{comment.pk}"', 1)[1].split("</article>", 1)[0]


def top_of(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split('<section id="discussion"', 1)[0]


@pytest.fixture
def proposal(article) -> Comment:
    comment = make_comment(article=article, body="Share the intelligence.")
    comment.strategies.set([Strategy.objects.get(slug="intelligence-sharing")])
    # Enough newer threads that the page shows it among others.
    for i in range(3):
        make_comment(article=article, body=f"Another answer {i}.")
    return comment


def test_a_rating_lands_back_at_the_comment_with_its_confirmation(proposal):
    reader = Client()

    response = rate(reader, proposal, 4, 5)
    page = reader.get(response["Location"]).content.decode()

    assert response["Location"].endswith(f"#c{proposal.pk}")
    assert "Thank you: your rating is counted." in card_of(page, proposal)
    assert 'class="comment-notice alert alert-success" role="status"' in card_of(page, proposal)
    assert "Thank you: your rating is counted." not in top_of(page)


def test_a_report_lands_back_at_the_comment_with_its_confirmation(proposal):
    reader = Client()

    response = report(reader, proposal)
    page = reader.get(response["Location"]).content.decode()

    assert response["Location"].endswith(f"#c{proposal.pk}")
    assert "Thank you. The moderators will look at this comment." in card_of(page, proposal)
    assert "Thank you. The moderators will look at this comment." not in top_of(page)


def test_reporting_twice_is_said_beside_the_comment_too(proposal):
    reader = Client()
    report(reader, proposal)
    reader.get(proposal.article.get_absolute_url())

    response = report(reader, proposal)
    page = reader.get(response["Location"]).content.decode()

    assert 'class="comment-notice alert alert-info" role="status"' in card_of(page, proposal)


def test_a_comment_the_report_hid_is_not_there_so_the_confirmation_is_at_the_top(
    settings, proposal
):
    settings.COMMENTS_REPORT_HIDE_THRESHOLD = 1
    reader = Client()

    response = report(reader, proposal)
    page = reader.get(response["Location"]).content.decode()

    assert response["Location"].endswith("#discussion")
    assert f'id="c{proposal.pk}"' not in page
    assert "Thank you. The moderators will look at this comment." in top_of(page)


def test_the_confirmation_is_shown_once(proposal):
    reader = Client()
    response = rate(reader, proposal, 4, 5)
    reader.get(response["Location"])

    again = reader.get(response["Location"]).content.decode()

    assert "Thank you: your rating is counted." not in again


def test_a_report_lands_where_this_reader_sees_the_comment_their_own_replies_counted(
    settings, article
):
    # Listed whole up to four replies: with the reader's own pending reply, this thread
    # of four has five for them, so their page of threads shows only its first two.
    settings.COMMENTS_REPLIES_PER_THREAD_PREVIEW = 2
    settings.COMMENTS_THREAD_LISTED_WHOLE_UP_TO = 4
    opener = make_comment(article=article, body="The opener.")
    replies = [make_comment(article=article, parent=opener, body=f"Reply {n}.") for n in range(4)]
    reader = Client()
    post_reply(reader, article, reply_data(parent=opener.pk, body="My own, awaiting."))

    response = report(reader, replies[2])
    page = reader.get(response["Location"]).content.decode()

    assert response["Location"].endswith(f"#c{replies[2].pk}")
    assert "Thank you. The moderators will look at this comment." in card_of(page, replies[2])
