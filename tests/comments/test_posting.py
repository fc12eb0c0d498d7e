"""A reader answers the article's question, or replies to another reader."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.test import override_settings
from django.urls import reverse

from comments.models import Comment
from tests.actions import post_reply
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def test_a_reply_is_stored_pending_and_the_reader_is_redirected_to_it(client, article, valid_reply):
    response = post_reply(client, article, valid_reply)

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.article == article
    assert comment.parent is None
    assert comment.body == valid_reply["body"]
    assert response.status_code == 302
    assert response["Location"] == reverse("comments:permalink", kwargs={"pk": comment.pk})
    assert client.get(response["Location"])["Location"] == (
        f"{article.get_absolute_url()}#c{comment.pk}"
    )


def test_after_posting_the_reader_is_told_the_reply_awaits_moderation(client, article, valid_reply):
    response = post_reply(client, article, valid_reply)

    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("awaits moderation" in text for text in texts)


def test_the_author_sees_their_pending_reply_marked_as_such(client, article, valid_reply):
    post_reply(client, article, valid_reply)

    page = client.get(article.get_absolute_url())

    assert valid_reply["body"] in page.content.decode()
    assert "Awaiting moderation" in page.content.decode()


def test_nobody_else_sees_a_pending_reply(client, article, valid_reply):
    post_reply(client, article, valid_reply)
    client.cookies.clear()

    page = client.get(article.get_absolute_url())

    assert valid_reply["body"] not in page.content.decode()


def test_a_forged_reader_cookie_does_not_reveal_pending_replies(client, article, valid_reply):
    post_reply(client, article, valid_reply)
    client.cookies["sf_reader"] = "forged-token:signature"

    page = client.get(article.get_absolute_url())

    assert valid_reply["body"] not in page.content.decode()


def test_an_approved_reply_is_shown_to_everyone(client, article, valid_reply, moderator):
    post_reply(client, article, valid_reply)
    Comment.objects.get().approve(by=moderator)
    client.cookies.clear()

    page = client.get(article.get_absolute_url())

    assert valid_reply["body"] in page.content.decode()
    assert "Awaiting moderation" not in page.content.decode()


def test_the_email_is_never_shown_to_readers(client, article, valid_reply, moderator):
    post_reply(client, article, valid_reply)
    Comment.objects.get().approve(by=moderator)
    # Another reader: the author's own browser fills it into their next reply's form.
    client.cookies.clear()

    page = client.get(article.get_absolute_url())

    assert valid_reply["author_email"] not in page.content.decode()


def test_it_rejects_get(client, article):
    response = client.get(reverse("comments:create", kwargs={"slug": article.slug}))

    assert response.status_code == 405


def test_replying_to_a_published_comment_nests_the_reply_under_it(client, article, valid_reply):
    parent = make_comment(article=article)

    post_reply(client, article, {**valid_reply, "parent": parent.pk})

    reply = Comment.objects.exclude(pk=parent.pk).get()
    assert reply.parent == parent
    assert reply.root == parent
    assert reply.depth == 2


def test_the_reply_page_offers_the_form_for_a_reply_without_javascript(client, article):
    parent = make_comment(article=article, body="Intelligence sharing works.")

    page = client.get(reverse("comments:reply", kwargs={"pk": parent.pk}))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Intelligence sharing works." in html
    assert f'name="parent" value="{parent.pk}"' in html
    assert f'action="{reverse("comments:create", kwargs={"slug": article.slug})}"' in html


def test_the_reply_page_of_an_unpublished_comment_is_not_found(client, article):
    parent = make_comment(article=article, status=Comment.Status.PENDING)

    page = client.get(reverse("comments:reply", kwargs={"pk": parent.pk}))

    assert page.status_code == 404


@override_settings(COMMENTS_MAX_DEPTH=3)
def test_a_reply_beyond_the_maximum_depth_attaches_to_the_deepest_allowed_level(
    client, article, valid_reply
):
    top = make_comment(article=article)
    second = make_comment(article=article, parent=top)
    third = make_comment(article=article, parent=second)

    post_reply(client, article, {**valid_reply, "parent": third.pk})

    reply = Comment.objects.get(body=valid_reply["body"])
    assert reply.parent == second
    assert reply.depth == 3
    assert reply.root == top


@override_settings(COMMENTS_MAX_DEPTH=3)
@pytest.mark.parametrize("page", ["article", "thread"])
def test_a_reply_hung_beside_the_comment_it_answers_names_that_comments_author(
    client, article, page
):
    top = make_comment(article=article)
    second = make_comment(article=article, parent=top)
    answered = make_comment(article=article, parent=second, author_name="Beatriz Soto")
    make_comment(article=article, parent=second, replying_to=answered, body="I agree with her.")
    withdrawn = make_comment(article=article, parent=second, author_name="Carlos Ruiz")
    make_comment(article=article, parent=second, replying_to=withdrawn, body="And with him.")
    withdrawn.decide(Comment.Status.WITHDRAWN, by=None)
    url = {
        "article": article.get_absolute_url(),
        "thread": reverse("comments:thread", kwargs={"pk": top.pk}),
    }[page]

    html = client.get(url).content.decode()

    assert html.count("replying to Beatriz Soto") == 1
    assert "replying to Carlos Ruiz" not in html


def bad_input_cases():
    yield "empty reply", {"body": ""}, "body", "Please write your reply"
    yield "whitespace-only reply", {"body": "   \n\t  "}, "body", "Please write your reply"
    yield "missing name", {"author_name": ""}, "author_name", "Please tell us the name"
    yield "whitespace-only name", {"author_name": "   "}, "author_name", "Please tell us the name"
    yield "invalid email", {"author_email": "ana@"}, "author_email", "valid email address"
    yield "missing email", {"author_email": ""}, "author_email", "only moderators will see it"
    yield "parent that is not a number", {"parent": "abc"}, NON_FIELD_ERRORS, "could not be found"
    yield (
        "parent that does not exist",
        {"parent": "9999"},
        NON_FIELD_ERRORS,
        "not published in this",
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [case[1:] for case in bad_input_cases()],
    ids=[case[0] for case in bad_input_cases()],
)
def test_bad_input_is_explained_next_to_the_field_and_nothing_is_stored(
    client, article, valid_reply, change, field, message
):
    response = post_reply(client, article, {**valid_reply, **change})

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert "Your reply was not posted" in response.content.decode()
    assert not Comment.objects.exists()


def test_what_the_reader_wrote_is_kept_in_the_form_after_an_error(client, article, valid_reply):
    response = post_reply(client, article, {**valid_reply, "author_email": "nope"})

    assert valid_reply["body"] in response.content.decode()


def test_a_reply_over_the_length_limit_is_refused_not_truncated(client, article, valid_reply):
    with override_settings(COMMENTS_MAX_LENGTH=100):
        response = post_reply(client, article, {**valid_reply, "body": "x" * 101})

    assert "Your reply is 101 characters long; the limit is 100" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_reply_box_has_no_maxlength_that_would_cut_pasted_text(client, article):
    page = client.get(article.get_absolute_url())

    textarea = page.content.decode().split("<textarea", 1)[1].split(">", 1)[0]
    assert "maxlength" not in textarea


@pytest.mark.parametrize(
    "status", [Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.SPAM]
)
def test_a_reply_to_an_unpublished_comment_is_refused(client, article, valid_reply, status):
    parent = make_comment(article=article, status=status)

    response = post_reply(client, article, {**valid_reply, "parent": parent.pk})

    assert "not published in this discussion" in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_reply_to_a_comment_of_another_article_is_refused(client, article, valid_reply):
    elsewhere = make_comment(article=make_article())

    response = post_reply(client, article, {**valid_reply, "parent": elsewhere.pk})

    assert "not published in this discussion" in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_closed_discussion_refuses_replies_with_a_clear_message(client, article, valid_reply):
    article.discussion_open = False
    article.save()

    response = post_reply(client, article, valid_reply)

    html = response.content.decode()
    assert "This discussion is closed" in html
    assert "Here is what you wrote" in html
    assert valid_reply["body"] in html
    assert not Comment.objects.exists()


def test_a_closed_discussion_shows_no_reply_form(client, article):
    make_comment(article=article)
    article.discussion_open = False
    article.save()

    page = client.get(article.get_absolute_url())

    html = page.content.decode()
    assert "This discussion is closed" in html
    assert 'id="reply-form"' not in html
    assert ">Reply</a>" not in html


def test_posting_to_an_unknown_article_is_not_found(client, valid_reply):
    response = client.post(
        reverse("comments:create", kwargs={"slug": "no-such-article"}), valid_reply
    )

    assert response.status_code == 404


def test_names_and_emails_are_normalised(client, article, valid_reply):
    post_reply(
        client,
        article,
        {**valid_reply, "author_name": "  Ana   Torres ", "author_email": "Ana@EXAMPLE.com"},
    )

    comment = Comment.objects.get()
    assert comment.author_name == "Ana Torres"
    assert comment.author_email == "ana@example.com"
