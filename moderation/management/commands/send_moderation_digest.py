from django.core.management.base import BaseCommand
from django.tasks import TaskResultStatus

from comments import notifications


class Command(BaseCommand):
    help = (
        "Email the moderators how many replies wait for them, with the oldest ones. "
        "Schedule it (e.g. hourly) when COMMENTS_MODERATOR_NOTIFICATIONS=digest."
    )

    def handle(self, *args, **options):
        result = notifications.enqueue(notifications.send_moderation_digest)
        if result.status == TaskResultStatus.READY:
            self.stdout.write("Digest task queued: a worker (manage.py db_worker) sends it.")
        else:
            self.stdout.write(f"Digest task {result.status.lower()}.")
