"""A reader opens a folded branch of a long thread in place, or on its own page without
JavaScript, and a link to a reply on another page of the thread still lands on it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment
from tests.browser.devices import DESKTOP, PHONE
from tests.factories import make_comment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def long_thread(settings):
    """Four branches, two a page; the first holds a chain of three answers, folded to one."""
    settings.COMMENTS_BRANCHES_PER_PAGE = 2
    settings.COMMENTS_THREAD_PAGE_REPLIES = 3
    settings.COMMENTS_BRANCH_PREVIEW = 1
    settings.COMMENTS_REPLIES_PER_THREAD_PREVIEW = 1
    settings.COMMENTS_THREAD_LISTED_WHOLE_UP_TO = 0
    article = Article.objects.get(slug="mexico-rejects-us-intervention")
    root = make_comment(article=article, body="The opening question")
    branches = [make_comment(article=article, parent=root, body=f"Branch {n}") for n in (1, 2)]
    first = make_comment(article=article, parent=branches[0], body="Answer 1")
    answers = [first] + [
        make_comment(article=article, parent=first, body=f"Answer {n}") for n in (2, 3)
    ]
    later = [make_comment(article=article, parent=root, body=f"Branch {n}") for n in (3, 4)]
    return root, branches, answers, later


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_with_javascript_more_replies_opens_the_branch_in_place(
    new_page, live_server, long_thread, screenshot, viewport
):
    root, _, answers, _ = long_thread
    page = new_page(viewport=viewport)
    thread_url = live_server.url + reverse("comments:thread", kwargs={"pk": root.pk})
    page.goto(thread_url)
    expect(page.locator(f"#c{answers[2].pk}")).to_have_count(0)
    screenshot(page, f"long-thread-folded-{viewport['width']}")

    page.get_by_role("link", name="2 more replies").click()

    expect(page.locator(f"#c{answers[2].pk}")).to_be_visible()
    assert page.url == thread_url
    expect(page.get_by_text("The opening question")).to_have_count(1)
    expect(page.get_by_text("Branch 1", exact=True)).to_have_count(1)
    screenshot(page, f"long-thread-opened-in-place-{viewport['width']}")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_without_javascript_more_replies_opens_the_branch_on_its_page(
    new_page, live_server, long_thread, screenshot, viewport
):
    root, branches, answers, _ = long_thread
    page = new_page(viewport=viewport, javascript=False)
    page.goto(live_server.url + reverse("comments:thread", kwargs={"pk": root.pk}))

    page.get_by_role("link", name="2 more replies").click()

    assert page.url.endswith(reverse("comments:replies", kwargs={"pk": branches[0].pk}))
    expect(page.locator(f"#c{answers[2].pk}")).to_be_visible()
    screenshot(page, f"long-thread-branch-page-{viewport['width']}")
    page.get_by_role("link", name="The whole thread").click()
    page.get_by_role("link", name="Later replies").first.click()
    expect(page.get_by_text("Branch 3", exact=True)).to_be_visible()
    assert "page=2" in page.url


def test_a_link_to_a_reply_on_another_page_of_the_thread_lands_on_it(
    new_page, live_server, long_thread
):
    root, _, _, later = long_thread
    page = new_page()

    page.goto(
        live_server.url + reverse("comments:thread", kwargs={"pk": root.pk}) + f"#c{later[1].pk}"
    )

    expect(page.locator(f"#c{later[1].pk}")).to_be_visible()
    assert "page=2" in page.url
    assert Comment.objects.filter(pk=later[1].pk, status="approved").exists()
