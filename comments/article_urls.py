"""The article pages, under the names and paths they have always had (`articles:home`,
`articles:detail`): the article page is the discussion's reader page, so it is drawn here."""

from django.urls import path

from . import article_views

app_name = "articles"

urlpatterns = [
    path("", article_views.home, name="home"),
    path("articles/<slug:slug>/", article_views.article_detail, name="detail"),
    path(
        "articles/<slug:slug>/threads/unavailable-openers/",
        article_views.unavailable_openers,
        name="unavailable-openers",
    ),
]
