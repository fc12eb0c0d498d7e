"""What attackers send around the reply form: a request too large, a file, fields the form never
offers. Each is refused, with a clear page or a message, and nothing stored.
"""

import io

import pytest

from comments.models import Comment
from tests.actions import post_reply

pytestmark = pytest.mark.django_db


def test_a_request_larger_than_the_site_accepts_gets_a_clear_400_page(
    client, article, valid_reply, settings
):
    too_much = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = post_reply(client, article, {**valid_reply, "body": too_much})

    assert response.status_code == 400
    assert "This request could not be understood" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_request_carrying_a_file_is_refused_before_the_file_is_kept(client, article, valid_reply):
    upload = io.BytesIO(b"MZ" + b"\0" * 1024)
    upload.name = "invoice.exe"

    response = post_reply(client, article, {**valid_reply, "attachment": upload})

    assert response.status_code == 400
    assert not Comment.objects.exists()


TAMPERED_FIELDS = [
    ("parent that is not a number", {"parent": "1; DROP TABLE comments_comment"}, "could not be"),
    ("parent in scientific notation", {"parent": "1e3"}, "could not be found"),
    ("parent beyond any id", {"parent": "9" * 30}, "not published in this discussion"),
    ("negative parent", {"parent": "-1"}, "not published in this discussion"),
    ("language that does not exist", {"language": "<script>alert(1)</script>"}, "valid choice"),
    ("sovereignty mode that does not exist", {"sovereignty_mode": "annexation"}, "valid choice"),
    ("strategy that is not a number", {"strategies": ["one"]}, "valid value"),
]


@pytest.mark.parametrize(
    ("change", "message"),
    [case[1:] for case in TAMPERED_FIELDS],
    ids=[case[0] for case in TAMPERED_FIELDS],
)
def test_a_tampered_field_is_refused_with_a_message_and_nothing_is_stored(
    client, article, valid_reply, change, message
):
    response = post_reply(client, article, {**valid_reply, **change})

    assert response.status_code == 200
    errors = " ".join(" ".join(e) for e in response.context["form"].errors.values())
    assert message in errors
    assert not Comment.objects.exists()
