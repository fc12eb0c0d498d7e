from django.conf import settings
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
    path("open-data/", views.data_dictionary, name="data-dictionary"),
    path("open-data/<slug:name>.schema.json", views.schema, name="schema"),
    # Every published reply, in whichever language it is written.
    path("articles/<slug:slug>/feed/", feed.RepliesFeed(), name="feed"),
    # The replies written in one language, where the article is read in that language
    # (articles:detail-in): reverse("board:feed-in", kwargs={"slug": …, "language": "es"}).
    *(
        path(
            f"{code}/articles/<slug:slug>/feed/",
            feed.RepliesFeed(),
            {"language": code},
            name="feed-in",
        )
        for code, _name in settings.LANGUAGES
    ),
    path("comments/<int:pk>/rate/", views.rate, name="rate"),
]
