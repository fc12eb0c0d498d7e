"""The admin login resists guessing: failures are limited per account and per client network.

django-axes counts them; the client is the one the rest of the site trusts
(safeguards.clients): REMOTE_ADDR, or X-Forwarded-For behind the trusted
proxies only, an IPv4 address or an IPv6 /64.
"""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from safeguards.logins import client_network_address
from tests.factories import make_moderator

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "a-long-password-1"
HOME = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


@pytest.fixture(autouse=True)
def three_failures_lock_for_ten_minutes(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=10)
    settings.TRUSTED_PROXY_COUNT = 0


def log_in(client, username: str, password: str, *, address: str = HOME, **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        headers=headers,
    )


def fail(client, username: str, times: int, *, address: str = HOME) -> None:
    for _ in range(times):
        assert log_in(client, username, "wrong-guess", address=address).status_code in {200, 429}


@pytest.fixture
def lucia(db) -> User:
    return make_moderator("lucia")


class TestPerAccount:
    def test_failures_below_the_limit_leave_the_right_password_working(self, client, lucia):
        fail(client, "lucia", 2)

        assert log_in(client, "lucia", PASSWORD).status_code == 302

    def test_the_limit_locks_the_account_even_for_its_right_password(self, client, lucia):
        fail(client, "lucia", 3)

        response = log_in(client, "lucia", PASSWORD)

        assert response.status_code == 429
        assert "_auth_user_id" not in client.session
        html = response.content.decode()
        assert "Too many failed logins for this account or from your network" in html
        assert "Wait 10 minutes" in html
        assert response["Retry-After"] == "600"

    def test_the_limit_reached_says_so_at_once(self, client, lucia):
        fail(client, "lucia", 2)

        response = log_in(client, "lucia", "wrong-guess")

        assert response.status_code == 429
        assert "Too many failed logins" in response.content.decode()

    def test_the_account_stays_locked_from_another_network(self, client, lucia):
        fail(client, "lucia", 3, address=HOME)

        assert log_in(client, "lucia", PASSWORD, address=ELSEWHERE).status_code == 429

    def test_a_login_clears_the_failures_before_it(self, client, lucia):
        fail(client, "lucia", 2)
        assert log_in(client, "lucia", PASSWORD).status_code == 302
        client.post(reverse("admin:logout"))

        fail(client, "lucia", 2)

        assert log_in(client, "lucia", PASSWORD).status_code == 302

    def test_the_message_is_in_spanish_for_a_spanish_browser(self, client, lucia):
        fail(client, "lucia", 3)

        response = log_in(client, "lucia", PASSWORD, accept_language="es")

        assert "Demasiados intentos fallidos" in response.content.decode()

    def test_a_wrong_password_is_told_in_mexican_spanish(self, client, lucia):
        response = log_in(client, "lucia", "wrong-guess", accept_language="es")

        html = response.content.decode()
        assert "Escribe el nombre de usuario y la contraseña correctos" in html
        assert "Por favor introduzca" not in html

    def test_a_lockout_is_logged_with_the_account_and_network(self, client, lucia, caplog):
        with caplog.at_level(logging.WARNING, logger="safeguards.logins"):
            fail(client, "lucia", 3)

        (record,) = [r for r in caplog.records if r.name == "safeguards.logins"]
        assert "'lucia'" in record.getMessage() and HOME in record.getMessage()


class TestPerClientNetwork:
    def test_guessing_many_accounts_from_one_network_locks_that_network(self, client, lucia):
        for name in ("ana", "pedro", "root"):
            fail(client, name, 1)

        assert log_in(client, "lucia", PASSWORD).status_code == 429
        assert log_in(client, "lucia", PASSWORD, address=ELSEWHERE).status_code == 302

    def test_an_ipv6_network_is_one_client_whatever_its_addresses(self, client, lucia):
        for host in (1, 2, 3):
            fail(client, f"guess{host}", 1, address=f"2001:db8:1:2::{host}")

        assert log_in(client, "lucia", PASSWORD, address="2001:db8:1:2::99").status_code == 429
        assert log_in(client, "lucia", PASSWORD, address="2001:db8:1:3::1").status_code == 302

    def test_a_forged_forwarded_address_is_not_believed(self, client, lucia):
        for n, name in enumerate(("ana", "pedro", "root")):
            client.post(
                LOGIN,
                {"username": name, "password": "wrong-guess"},
                REMOTE_ADDR=HOME,
                headers={"x-forwarded-for": f"192.0.2.{n}"},
            )

        assert log_in(client, "lucia", PASSWORD).status_code == 429

    def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(self, client, lucia, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        for name in ("ana", "pedro", "root"):
            client.post(
                LOGIN,
                {"username": name, "password": "wrong-guess"},
                REMOTE_ADDR="10.0.0.2",
                headers={"x-forwarded-for": HOME},
            )

        behind_the_proxy = {"x-forwarded-for": ELSEWHERE}
        assert (
            log_in(client, "lucia", PASSWORD, address="10.0.0.2", **behind_the_proxy).status_code
            == 302
        )


@pytest.mark.parametrize(
    ("address", "counted_as"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),
        ("nonsense", None),
    ],
)
def test_axes_counts_an_ipv4_address_or_an_ipv6_64(rf, address, counted_as):
    request = rf.post(LOGIN, REMOTE_ADDR=address)

    assert client_network_address(request) == counted_as
