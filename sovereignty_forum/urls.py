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

# 400, 403 and 404 are Django's own handlers with our templates (which give their
# database connections back under ASGI); the 500 handler also answers 503 when the
# database is unreachable.
handler400 = "safeguards.views.bad_request"
handler403 = "safeguards.views.permission_denied"
handler404 = "safeguards.views.page_not_found"
handler500 = "safeguards.views.server_error"
