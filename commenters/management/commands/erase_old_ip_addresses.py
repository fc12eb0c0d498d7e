from django.conf import settings
from django.core.management.base import BaseCommand

from commenters.privacy import ip_addresses_erase


class Command(BaseCommand):
    help = (
        "Forget the IP addresses of comments and reports older than COMMENTS_IP_RETENTION_DAYS. "
        "Run it daily (cron or a scheduler)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="Override the retention period, in days."
        )

    def handle(self, *args, days: int | None, **options):
        erased = ip_addresses_erase(older_than_days=days)
        kept = settings.COMMENTS_IP_RETENTION_DAYS if days is None else days
        self.stdout.write(f"Erased {erased} IP address(es) older than {kept} days.")
