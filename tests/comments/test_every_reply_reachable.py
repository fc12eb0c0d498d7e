"""Every published comment of a discussion can be reached by following links from the article.

A thread whose first comment is no longer published is not listed with the article's threads
(there is nothing to show of it), but its published replies are: on a page of their own,
linked from every page of threads, under the placeholder that stands for the first comment.
"""

import pytest
from django.urls import reverse

from benchmarks.reading import read_everything
from benchmarks.seeding import seed_discussion
from comments.models import Comment
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def test_every_published_comment_of_a_seeded_discussion_is_reachable_from_the_article(
    client, article
):
    seed_discussion(article, comments=3000, seed=14)
    published = set(Comment.objects.filter(article=article).visible().values_list("pk", flat=True))
    under_removed_openers = Comment.objects.visible().filter(
        article=article, root__in=Comment.objects.top_level().exclude(status="approved")
    )
    assert under_removed_openers.exists(), "the seed has threads whose opener was removed"

    reading = read_everything(article.get_absolute_url(), client=client)

    assert published - reading.seen == set()
    assert set(reading.statuses) == {200}


def test_the_threads_of_removed_openers_show_their_replies_and_never_the_opener(client, article):
    removed = make_comment(article=article, body="Words the moderators removed", status="rejected")
    make_comment(article=article, parent=removed, body="A published answer")
    make_comment(article=article, body="A published thread")
    listing = reverse("articles:unavailable-openers", kwargs={"slug": article.slug})

    article_page = client.get(article.get_absolute_url()).content.decode()
    html = client.get(listing).content.decode()

    assert (
        f'href="{listing}">1 more thread goes on under a comment that is no longer available'
        in (article_page)
    )
    assert "A published answer" in html
    assert "This comment is not available." in html
    assert "Words the moderators removed" not in html
    assert "A published thread" not in html


def test_no_link_to_removed_openers_when_there_are_none(client, article):
    removed = make_comment(article=article, body="Removed, with no answers", status="rejected")
    make_comment(article=article, parent=removed, body="An answer still waiting", status="pending")
    make_comment(article=article, body="A published thread")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "no longer available" not in html
