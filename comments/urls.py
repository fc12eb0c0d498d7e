from django.urls import path

from . import board_views, views

app_name = "comments"

urlpatterns = [
    path("articles/<slug:slug>/comments/", views.create, name="create"),
    path("comments/<int:pk>/", views.permalink, name="permalink"),
    path("comments/<int:pk>/reply/", views.reply, name="reply"),
    path("comments/<int:pk>/thread/", views.thread, name="thread"),
    path("comments/<int:pk>/edit/", views.edit, name="edit"),
    path("comments/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("comments/<int:pk>/report/", views.report, name="report"),
    path("comments/<int:pk>/rate/", views.rate, name="rate"),
    path("articles/<slug:slug>/strategies/", board_views.board, name="board"),
    path(
        "articles/<slug:slug>/strategies.<str:extension>",
        board_views.board_download,
        name="board-download",
    ),
    path(
        "articles/<slug:slug>/proposals.<str:extension>",
        board_views.proposals_download,
        name="proposals-download",
    ),
    path("articles/<slug:slug>/feed/", board_views.RepliesFeed(), name="feed"),
]
