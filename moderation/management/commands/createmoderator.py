import getpass
import os

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

MODERATORS = "Moderators"


class Command(BaseCommand):
    help = (
        "Make USERNAME a moderator: a staff account in the Moderators group, which can "
        "moderate comments in the admin but not edit articles or users. Creates the account "
        "if needed, asking for its password (or reading MODERATOR_PASSWORD with --no-input)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not prompt; a new account takes its password from MODERATOR_PASSWORD.",
        )

    def handle(self, *args, username: str, email: str, interactive: bool, **options):
        User = get_user_model()
        try:
            group = Group.objects.get(name=MODERATORS)
        except Group.DoesNotExist:
            raise CommandError(
                "The Moderators group is missing: run 'manage.py migrate' first."
            ) from None
        user = User.objects.filter(username=username).first()
        password = None
        if user is None:
            password = self._new_password(User(username=username, email=email), interactive)
        with transaction.atomic():
            if user is None:
                user = User.objects.create_user(username=username, email=email, password=password)
                created = True
            else:
                created = False
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(group)
        verb = "Created moderator" if created else "Made existing user a moderator:"
        self.stdout.write(self.style.SUCCESS(f"{verb} {username}"))

    def _new_password(self, user, interactive: bool) -> str:
        if not interactive:
            password = os.environ.get("MODERATOR_PASSWORD", "")
            if not password:
                raise CommandError(
                    "Set MODERATOR_PASSWORD to create a moderator without prompting."
                )
            self._validate(password, user)
            return password
        while True:
            password = getpass.getpass(f"Password for {user.username}: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords do not match; try again.")
                continue
            try:
                self._validate(password, user)
            except CommandError as error:
                self.stderr.write(str(error))
                continue
            return password

    def _validate(self, password: str, user) -> None:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
