from django.urls import URLPattern, URLResolver, path

from . import feed, views

app_name = "board"

urlpatterns: list[URLPattern | URLResolver] = [
    path("articles/<slug:slug>/strategies/", views.board, name="board"),
    path(
        "articles/<slug:slug>/strategies.<str:extension>",
        views.board_download,
        name="board-download",
    ),
    path(
        "articles/<slug:slug>/proposals.<str:extension>",
        views.proposals_download,
        name="proposals-download",
    ),
    path("articles/<slug:slug>/feed/", feed.RepliesFeed(), name="feed"),
    path("comments/<int:pk>/rate/", views.rate, name="rate"),
]
