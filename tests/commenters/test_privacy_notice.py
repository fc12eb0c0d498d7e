"""The privacy notice says what the site keeps, for how long, and how to get it exported or
erased, in both languages, as the settings have it; it is linked beside the reply form's email
field."""

import pytest
from django.urls import reverse

from tests.actions import in_language

pytestmark = pytest.mark.django_db

PRIVACY = "/privacy/"


def notice(client, language="en") -> str:
    response = client.get(PRIVACY, headers=in_language(language))
    assert response.status_code == 200
    return response.content.decode()


def test_it_says_how_long_ip_addresses_are_kept_as_the_setting_has_it(client, settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 45

    html = notice(client)

    assert "It is erased after 45 days." in html
    assert "The IP address is erased after 45 days." in html


def test_it_names_every_cookie_the_site_sets_and_how_long_each_lasts(client, settings):
    html = notice(client)

    for cookie in (
        settings.READER_COOKIE_NAME,
        settings.AUTHOR_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
        settings.SESSION_COOKIE_NAME,
        "messages",
    ):
        assert f"<code>{cookie}</code>" in html, cookie
    assert f"kept for {settings.READER_COOKIE_MAX_AGE // 86400} days" in html
    assert "until you close your browser" in html


def test_it_says_how_long_a_confirmation_link_works(client):
    assert "The link works for 7 days." in notice(client)


def test_it_tells_how_to_ask_for_a_copy_or_an_erasure_at_the_contact_address(client, settings):
    settings.CONTACT_EMAIL = "privacidad@example.org"

    html = notice(client)

    assert 'href="mailto:privacidad@example.org"' in html
    assert "There is no form for it on the site" in html


def test_without_a_contact_address_it_gives_the_address_the_site_writes_from(client, settings):
    # What settings.py derives when CONTACT_EMAIL is not set.
    html = notice(client)

    assert f'href="mailto:{settings.CONTACT_EMAIL}"' in html
    assert settings.CONTACT_EMAIL in settings.DEFAULT_FROM_EMAIL


def test_it_is_written_in_spanish_for_spanish_readers(client, settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 30

    html = notice(client, "es")

    assert '<html lang="es">' in html
    assert "Aviso de privacidad" in html
    assert "Se borra después de 30 días." in html
    assert "Una copia de tus datos, o su borrado" in html
    assert "It is erased" not in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_email_field_of_the_reply_form_links_the_notice(client, article, language):
    html = client.get(article.get_absolute_url(), headers=in_language(language)).content.decode()

    help_text = html.split('id="id_author_email_helptext"', 1)[1].split("</div>", 1)[0]
    assert f'href="{PRIVACY}"' in help_text
    field = html.split('name="author_email"', 1)[1].split(">", 1)[0]
    assert 'aria-describedby="id_author_email_helptext"' in field


def test_every_page_links_the_notice_and_the_guidelines_at_its_foot(client, article):
    html = client.get(reverse("board:board", args=[article.slug])).content.decode()

    footer = html.split("<footer", 1)[1]
    assert f'href="{PRIVACY}"' in footer
    assert 'href="/community-guidelines/"' in footer


def test_it_is_served_from_the_cache_without_a_query(client, django_assert_num_queries):
    notice(client)

    with django_assert_num_queries(0):
        assert "Privacy notice" in notice(client)


def test_a_changed_retention_is_never_described_by_an_old_copy(client, settings):
    notice(client)
    settings.COMMENTS_IP_RETENTION_DAYS = 10

    assert "It is erased after 10 days." in notice(client)
