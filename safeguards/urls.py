from django.urls import path

from . import health

app_name = "safeguards"

urlpatterns = [
    # Without a trailing slash, as load balancers and orchestrators are usually told.
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
]
