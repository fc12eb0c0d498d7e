from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("comments.article_urls")),
    path("", include("comments.urls")),
    path("", include("board.urls")),
    path("", include("commenters.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("safeguards.urls")),
]

# 400, 403 and 404 are Django's own handlers with our templates; the 500
# handler also answers 503 when the database is unreachable.
handler500 = "safeguards.views.server_error"
