"""The site's URLs plus a trivial view, for the benchmark only.

The bench swaps this in with override_settings(ROOT_URLCONF=...), so the site
itself never serves /bench/hello/.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from sovereignty_forum import urls as site


@never_cache
def hello(request: HttpRequest) -> HttpResponse:
    """The cheapest response the production middleware can give: the framework's ceiling.

    never_cache keeps any page cache from answering it, so it is always
    computed (a cached article page is measured against a computed hello).
    """
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello, name="bench-hello"), *site.urlpatterns]

handler400 = getattr(site, "handler400", "django.views.defaults.bad_request")
handler403 = getattr(site, "handler403", "django.views.defaults.permission_denied")
handler404 = getattr(site, "handler404", "django.views.defaults.page_not_found")
handler500 = getattr(site, "handler500", "django.views.defaults.server_error")
