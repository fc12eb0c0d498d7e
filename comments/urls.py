from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("articles/<slug:slug>/comments/", views.create, name="create"),
    path("comments/<int:pk>/", views.permalink, name="permalink"),
    path("comments/<int:pk>/reply/", views.reply, name="reply"),
    path("comments/<int:pk>/thread/", views.thread, name="thread"),
    path("comments/<int:pk>/replies/", views.replies, name="replies"),
    path("comments/<int:pk>/edit/", views.edit, name="edit"),
    path("comments/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("comments/<int:pk>/report/", views.report, name="report"),
    path("comments/revise/<str:token>/", views.revise, name="revise"),
    path("community-guidelines/", views.community_guidelines, name="guidelines"),
]
