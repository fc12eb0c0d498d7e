from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchmarksConfig(AppConfig):
    """The seeder and the bench, with their commands; the site never imports them."""

    name = "benchmarks"
    verbose_name = _("Benchmark")
