"""Form tokens drawn in one go are Django's own CSRF tokens, accepted by its middleware."""

from collections import Counter

import pytest
from django.http import HttpResponse
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_TOKEN_LENGTH,
    CsrfViewMiddleware,
    _unmask_cipher_token,
)
from django.test import RequestFactory

from articles.form_tokens import form_token, random_positions


def visit(cookie: str | None = None):
    """A request as CsrfViewMiddleware leaves it for the view."""
    factory = RequestFactory()
    if cookie is not None:
        factory.cookies["csrftoken"] = cookie
    request = factory.get("/")
    CsrfViewMiddleware(lambda request: HttpResponse()).process_request(request)
    return request


def test_a_first_visitor_gets_a_new_secret_and_a_token_that_masks_it():
    request = visit()

    token = form_token(request)

    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == 32 and set(secret) <= set(CSRF_ALLOWED_CHARS)
    assert len(token) == CSRF_TOKEN_LENGTH and set(token) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_a_returning_visitor_keeps_their_secret_under_a_new_mask_each_time():
    request = visit(cookie="a" * 32)

    first, second = form_token(request), form_token(request)

    assert first != second
    assert _unmask_cipher_token(first) == _unmask_cipher_token(second) == "a" * 32
    assert request.META["CSRF_COOKIE"] == "a" * 32


def test_the_middleware_sends_the_new_secret_as_the_cookie_and_accepts_the_token():
    request = visit()
    token = form_token(request)
    middleware = CsrfViewMiddleware(lambda request: HttpResponse())
    response = middleware.process_response(request, HttpResponse())
    cookie = response.cookies["csrftoken"].value

    post = RequestFactory().post("/", {"csrfmiddlewaretoken": token})
    post.COOKIES["csrftoken"] = cookie
    middleware.process_request(post)

    assert cookie == request.META["CSRF_COOKIE"]
    assert middleware.process_view(post, lambda request: None, (), {}) is None


@pytest.mark.parametrize("count", [0, 1, 32, 64, 500])
def test_positions_are_as_many_as_asked_and_inside_the_alphabet(count):
    positions = random_positions(count)

    assert len(positions) == count
    assert all(0 <= position < len(CSRF_ALLOWED_CHARS) for position in positions)


def test_every_character_is_about_as_likely_as_any_other():
    # 62,000 draws: each of the 62 characters is expected 1,000 times; a bias
    # such as taking every byte modulo 62 would give the first eight about 1,200.
    counts = Counter(random_positions(62_000))

    assert set(counts) == set(range(len(CSRF_ALLOWED_CHARS)))
    assert max(counts.values()) < 1_170
    assert min(counts.values()) > 830
