from django.urls import URLPattern, URLResolver

app_name = "commenters"

urlpatterns: list[URLPattern | URLResolver] = []
