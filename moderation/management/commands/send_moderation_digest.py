from django.core.management.base import BaseCommand

from comments.notifications import send_moderation_digest


class Command(BaseCommand):
    help = (
        "Email the moderators how many replies wait for them, with the oldest ones. "
        "Schedule it (e.g. hourly) when COMMENTS_MODERATOR_NOTIFICATIONS=digest."
    )

    def handle(self, *args, **options):
        result = send_moderation_digest.enqueue()
        self.stdout.write(f"Digest task {result.status.lower()}.")
