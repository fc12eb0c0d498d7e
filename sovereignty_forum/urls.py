from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Sovereignty Forum moderation"
admin.site.site_title = "Sovereignty Forum"
admin.site.index_title = "Moderation"

urlpatterns = [
    path("", include("articles.urls")),
    path("", include("comments.urls")),
    path("admin/", admin.site.urls),
]
