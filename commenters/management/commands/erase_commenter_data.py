from django.core.management.base import BaseCommand, CommandError

from commenters.privacy import commenter_erase


class Command(BaseCommand):
    help = (
        "Erase the personal data held for EMAIL: its comments are withdrawn and emptied, names, "
        "addresses and IPs removed, and the reports and ratings filed from its browsers lose "
        "their text, IPs and reader keys; the moderation history is kept without them."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask for confirmation (for scripts)."
        )

    def handle(self, *args, email: str, yes: bool, **options):
        if not yes and input(f"Erase everything held for {email}? Type 'erase': ") != "erase":
            raise CommandError("Nothing was erased.")
        count = commenter_erase(email)
        self.stdout.write(self.style.SUCCESS(f"Erased {email}: {count} comment(s) withdrawn."))
