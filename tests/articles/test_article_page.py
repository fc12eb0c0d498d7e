"""Readers read the article and its discussion question."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

QUESTION = (
    "What strategies do you believe would be most effective in combating drug trafficking "
    "while respecting national sovereignty?"
)


def test_the_home_page_shows_the_article(client, article):
    html = client.get("/").content.decode()

    assert "Mexico Rejects U.S. Intervention: A Looming Shift in Drug War Strategy?" in html
    assert f'<link rel="canonical" href="{settings.SITE_URL}{article.get_absolute_url()}">' in html


def test_the_article_has_a_stable_page(client, article):
    response = client.get("/articles/mexico-rejects-us-intervention/")

    assert response.status_code == 200
    assert response.context["article"] == article


def test_the_article_page_shows_title_lede_and_body_with_its_section_headings(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    assert "<h1" in html and article.title in html
    assert "The specter of a U.S. military presence on Mexican soil is rising" in html
    assert "<h2>Trump’s Escalation and Mexico’s Historical Concerns</h2>" in html
    assert "<h2>A New Era of Regional Security Cooperation?</h2>" in html


def test_the_closing_question_is_set_apart_as_the_prompt_of_the_discussion(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    header = html.split('class="discussion-header', 1)[1].split("</header>", 1)[0]
    assert f'class="discussion-question mb-2" lang="en">{QUESTION}</h2>' in header
    assert "0 replies" in header
    body = html.split('class="article-body"', 1)[1].split("</div>", 1)[0]
    assert QUESTION not in body


def test_the_reply_form_is_under_the_question(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    assert html.index(QUESTION) < html.index('id="reply-form"')
    for field in ("author_name", "author_email", "body"):
        assert f'name="{field}"' in html


def test_markdown_in_the_body_is_rendered_to_safe_html(client):
    article = make_article(
        body='## Heading\n\n<script>alert("x")</script> [click](javascript:alert(1)) '
        "<img src=x onerror=alert(1)> [ok](https://example.com)"
    )

    html = client.get(article.get_absolute_url()).content.decode()
    body = html.split('class="article-body"', 1)[1].split("</div>", 1)[0]

    assert "<h2>Heading</h2>" in body
    assert "<script" not in body
    assert "javascript:" not in body
    assert "onerror" not in body
    assert '<a href="https://example.com" rel="nofollow ugc noopener">ok</a>' in body


def test_with_more_than_one_article_the_home_page_lists_them(client, article):
    other = make_article(title="A second article")

    html = client.get("/").content.decode()

    assert article.get_absolute_url() in html
    assert other.get_absolute_url() in html
    assert 'id="reply-form"' not in html


def test_an_unknown_article_is_not_found(client, db):
    assert client.get("/articles/no-such-article/").status_code == 404


def test_an_article_scheduled_for_later_is_not_shown(client, article):
    later = make_article(published=timezone.now() + timedelta(days=1))

    assert client.get(later.get_absolute_url()).status_code == 404
    assert later.title not in client.get("/").content.decode()


def test_the_article_is_loaded_by_a_data_migration(db):
    article = Article.objects.get(slug="mexico-rejects-us-intervention")

    assert article.question == QUESTION
    assert article.discussion_open
    assert article.body.startswith("## Trump’s Escalation")
    assert "Share your thoughts" not in article.body


def test_comments_of_one_article_do_not_appear_on_another(client, article):
    other = make_article()
    make_comment(article=other, body="Elsewhere entirely")

    assert "Elsewhere entirely" not in client.get(article.get_absolute_url()).content.decode()
