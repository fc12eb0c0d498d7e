"""Staff can turn on a second factor (a code from an authenticator app); the site can require it.

Off by default: a login needs the password only until the account turns it on.
"""

import time
from base64 import b32encode
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_moderator

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
SECOND_FACTOR = reverse("admin:second_factor")
INDEX = reverse("admin:index")
PASSWORD = "a-long-password-1"


def code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """What the authenticator app shows now (or so many 30-second steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def log_in(client, user: User, otp_token: str = ""):
    return client.post(
        LOGIN,
        {"username": user.username, "password": PASSWORD, "otp_token": otp_token, "next": INDEX},
    )


def with_second_factor(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


@pytest.fixture(autouse=True)
def no_wait_after_a_wrong_code(settings):
    # django-otp makes each further try wait longer after a wrong code; here it would only slow
    # the tests down.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


class TestTurningItOn:
    def test_the_page_shows_a_qr_code_and_the_key(self, moderator_client, moderator):
        html = moderator_client.get(SECOND_FACTOR).content.decode()

        device = TOTPDevice.objects.get(user=moderator, confirmed=False)
        assert 'src="data:image/svg+xml' in html
        key = html.split('class="second-factor-key">')[1].split("<")[0].replace(" ", "")
        assert key == b32encode(device.bin_key).decode()

    def test_the_qr_code_is_dark_on_white_in_either_colour_scheme(self, moderator_client):
        html = moderator_client.get(SECOND_FACTOR).content.decode()

        svg = unquote(html.split('src="data:image/svg+xml;charset=utf-8,')[1].split('"')[0])
        # Its own white ground, quiet zone included: the dark theme's page shows through nothing.
        assert "<path fill='#fff' d='M0 0h" in svg
        assert "stroke='#000'" in svg

    def test_reloading_the_page_keeps_the_key(self, moderator_client, moderator):
        moderator_client.get(SECOND_FACTOR)
        moderator_client.get(SECOND_FACTOR)

        assert TOTPDevice.objects.filter(user=moderator).count() == 1

    def test_the_apps_first_code_turns_it_on(self, moderator_client, moderator):
        moderator_client.get(SECOND_FACTOR)
        device = TOTPDevice.objects.get(user=moderator)

        response = moderator_client.post(SECOND_FACTOR, {"code": code(device)})

        assert response.status_code == 302
        device.refresh_from_db()
        assert device.confirmed

    def test_a_wrong_code_leaves_it_off(self, moderator_client, moderator):
        moderator_client.get(SECOND_FACTOR)

        response = moderator_client.post(SECOND_FACTOR, {"code": "000000"})

        assert "That code is not right" in response.content.decode()
        assert not TOTPDevice.objects.filter(user=moderator, confirmed=True).exists()

    def test_readers_cannot_reach_the_page(self, client, reader_account):
        client.force_login(reader_account)

        response = client.get(SECOND_FACTOR)

        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)

    def test_the_admin_links_to_it(self, moderator_client):
        assert SECOND_FACTOR in moderator_client.get(INDEX).content.decode()


class TestLoggingInWithIt:
    def test_without_one_the_password_is_enough(self, client, moderator):
        assert log_in(client, moderator).status_code == 302
        assert client.get(INDEX).status_code == 200

    def test_with_one_the_password_alone_is_refused(self, client, moderator):
        with_second_factor(moderator)

        response = log_in(client, moderator)

        assert response.status_code == 200
        assert "This account has a second factor" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_with_one_a_wrong_code_is_refused(self, client, moderator):
        with_second_factor(moderator)

        response = log_in(client, moderator, otp_token="000000")

        assert "That code is not right" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_with_one_the_right_code_logs_in(self, client, moderator):
        device = with_second_factor(moderator)

        assert log_in(client, moderator, otp_token=code(device)).status_code == 302
        assert client.get(INDEX).status_code == 200

    def test_wrong_codes_count_towards_the_lockout(self, client, moderator, settings):
        settings.AXES_FAILURE_LIMIT = 3
        device = with_second_factor(moderator)
        for _ in range(3):
            log_in(client, moderator, otp_token="000000")

        response = log_in(client, moderator, otp_token=code(device))

        assert response.status_code == 429
        assert "Too many failed logins" in response.content.decode()


class TestRequiringIt:
    @pytest.fixture(autouse=True)
    def required(self, settings):
        settings.ADMIN_REQUIRE_SECOND_FACTOR = True

    def test_a_moderator_without_one_is_sent_to_turn_it_on(self, client, moderator):
        response = log_in(client, moderator)

        assert response["Location"] == SECOND_FACTOR
        assert client.get(INDEX)["Location"].startswith(LOGIN)
        assert client.get(LOGIN)["Location"] == SECOND_FACTOR

    def test_once_it_is_on_the_desk_opens(self, client, moderator):
        log_in(client, moderator)
        client.get(SECOND_FACTOR)
        device = TOTPDevice.objects.get(user=moderator)

        client.post(SECOND_FACTOR, {"code": code(device)})

        assert client.get(INDEX).status_code == 200

    def test_a_session_from_before_without_it_cannot_use_the_desk(self, moderator_client):
        response = moderator_client.get(reverse("admin:comments_comment_changelist"))

        assert response.status_code == 302

    def test_it_cannot_be_turned_off(self, client, moderator):
        device = with_second_factor(moderator)
        log_in(client, moderator, otp_token=code(device))

        client.post(SECOND_FACTOR, {"code": code(device, steps_ahead=1)})

        assert TOTPDevice.objects.filter(user=moderator, confirmed=True).exists()


def test_unless_required_it_can_be_turned_off_with_a_code(client):
    moderator = make_moderator("tomas")
    device = with_second_factor(moderator)
    log_in(client, moderator, otp_token=code(device))

    response = client.post(SECOND_FACTOR, {"code": code(device, steps_ahead=1)})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=moderator).exists()
