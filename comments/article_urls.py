"""The article pages, under the names and paths they have always had (`articles:home`,
`articles:detail`): the article page is the discussion's reader page, so it is drawn here."""

from django.urls import path, register_converter

from articles.languages import SiteLanguageConverter

from . import article_views, live_stream

app_name = "articles"

register_converter(SiteLanguageConverter, "language")

urlpatterns = [
    path("", article_views.home, name="home"),
    path("articles/<slug:slug>/", article_views.article_detail, name="detail"),
    # The article in one language, whatever the reader's browser asks for.
    path(
        "<language:language>/articles/<slug:slug>/",
        article_views.article_detail,
        name="detail-in",
    ),
    # What changed since the version an open page shows: polled by static/js/live.js.
    path("articles/<slug:slug>/live/", article_views.live_changes, name="live"),
    # The same changes, sent as they happen to a page that holds a connection open.
    path("articles/<slug:slug>/live/stream/", live_stream.stream, name="live-stream"),
    path(
        "articles/<slug:slug>/threads/unavailable-openers/",
        article_views.unavailable_openers,
        name="unavailable-openers",
    ),
]
