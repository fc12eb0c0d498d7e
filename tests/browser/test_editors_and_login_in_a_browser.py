"""Who may close a discussion, the record of it, and a login that guessing locks, in Chromium.

The editor works the admin in Spanish; the moderator and the guesser in English.
"""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from articles.models import Article, DiscussionChange

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "moderate-with-care-42"
ARTICLES = "/admin/articles/article/"
ARTICLE_PATH = "/articles/mexico-rejects-us-intervention/"


def staff(username: str, group: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.com", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#login-form [type=submit]").click()


def test_a_moderator_cannot_close_a_discussion(new_page, live_server, article):
    staff("lucia", "Moderators")
    desk = new_page()
    log_in(desk, live_server, "lucia")

    desk.goto(live_server.url + ARTICLES)
    # Moderators read the articles, but are offered nothing that closes their discussions.
    expect(desk.locator("#result_list")).to_contain_text("Mexico Rejects")
    expect(desk.locator("select[name=action] option[value=close_discussion]")).to_have_count(0)
    desk.locator("#result_list a", has_text="Mexico Rejects").click()
    expect(desk.locator("input[name=discussion_open]")).to_have_count(0)
    expect(desk.locator(".field-discussion_open")).to_be_visible()

    assert Article.objects.get(pk=article.pk).discussion_open


def test_an_editor_closes_a_discussion_on_the_record_in_spanish(
    new_page, live_server, article, screenshot
):
    staff("elena", "Editors")
    desk = new_page(language="es")
    log_in(desk, live_server, "elena")

    desk.goto(live_server.url + ARTICLES)
    desk.locator("#result_list input[name=_selected_action]").first.check()
    desk.locator("select[name=action]").select_option(
        label="Cerrar la discusión de los artículos seleccionados"
    )
    desk.locator("button[name=index]").click()
    expect(desk.locator(".messagelist")).to_contain_text("Se cerró la discusión de 1 artículo.")

    # The record, on the article's page: who, and the discussion before and after.
    desk.locator("#result_list a", has_text="Mexico Rejects").click()
    record = desk.locator(".discussion-record")
    expect(desk.get_by_role("region", name="Apertura y cierre de la discusión")).to_be_visible()
    expect(record.locator("tbody tr")).to_have_count(1)
    expect(record.locator("tbody tr td").nth(1)).to_have_text("elena")
    expect(record.locator("tbody tr td").nth(2)).to_have_text("abierta")
    expect(record.locator("tbody tr td").nth(3)).to_have_text("cerrada")
    screenshot(desk, "admin-discussion-record-es")

    change = DiscussionChange.objects.get()
    assert (change.editor.username, change.open_before, change.open_after) == ("elena", True, False)
    # Readers find the discussion closed at once.
    reader = new_page()
    reader.goto(live_server.url + ARTICLE_PATH)
    expect(reader.locator("#reply-form")).to_have_count(0)


def test_guessing_a_password_locks_the_login_with_a_clear_message(
    new_page, live_server, settings, screenshot, axe_violations
):
    settings.AXES_FAILURE_LIMIT = 3
    staff("tomas", "Moderators")
    page = new_page(axe=True)

    for _ in range(3):
        log_in(page, live_server, "tomas", "guess-after-guess")
    expect(page.locator(".errornote")).to_contain_text(
        "Too many failed logins for this account or from your network. "
        "Wait 15 minutes, then try again."
    )
    # Now even the right password is refused, with the same message.
    log_in(page, live_server, "tomas")
    expect(page.locator(".errornote")).to_contain_text("Too many failed logins")
    expect(page).to_have_url(live_server.url + "/admin/login/?next=/admin/")
    screenshot(page, "admin-login-locked-out")
    assert axe_violations(page) == []
