from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "commenters"

urlpatterns: list[URLPattern | URLResolver] = [
    path("commenters/confirm/<str:token>/", views.confirm_email, name="confirm-email"),
    path("commenters/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("privacy/", views.privacy_notice, name="privacy"),
]
