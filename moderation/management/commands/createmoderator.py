import getpass
import os
import sys

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

MODERATORS = "Moderators"


class Command(BaseCommand):
    help = (
        "Make USERNAME a moderator: a staff account in the Moderators group, which can "
        "moderate comments in the admin but not edit articles or users. Creates the account "
        "if needed, asking for its email and password (or, with --no-input, taking --email "
        "and reading the password from MODERATOR_PASSWORD)."
    )
    # What createeditor changes: the group, the words, the variable.
    group_name = MODERATORS
    role = "moderator"
    password_variable = "MODERATOR_PASSWORD"  # noqa: S105 — the name of a variable, not a password

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--email",
            default="",
            help="Where the notices of replies waiting for review go (asked for when missing).",
        )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Do not prompt; a new account takes its password from {self.password_variable}.",
        )

    def handle(self, *args, username: str, email: str, interactive: bool, **options):
        User = get_user_model()
        try:
            group = Group.objects.get(name=self.group_name)
        except Group.DoesNotExist:
            raise CommandError(
                f"The {self.group_name} group is missing: run 'manage.py migrate' first."
            ) from None
        user = User.objects.filter(username=username).first()
        email = self._email(email, has_one=bool(user and user.email), interactive=interactive)
        password = None
        if user is None:
            password = self._new_password(User(username=username, email=email), interactive)
        with transaction.atomic():
            if user is None:
                user = User.objects.create_user(username=username, email=email, password=password)
                created = True
            else:
                created = False
                if email:
                    user.email = email
            user.is_staff = True
            user.save(update_fields=["is_staff", "email"])
            user.groups.add(group)
        verb = f"Created {self.role}" if created else f"Made existing user a {self.role}:"
        self.stdout.write(self.style.SUCCESS(f"{verb} {username}"))
        if not user.email:
            self.stderr.write(
                f"{username} has no email, so is sent no notices: add one with --email."
            )

    def _email(self, email: str, *, has_one: bool, interactive: bool) -> str:
        """The email given, or asked for when the account has none; "" to keep the account's."""
        if email:
            return self._valid_email(email)
        if has_one or not interactive:
            return ""
        self._need_a_terminal()
        while True:
            answer = input("Email (for the notices of replies waiting for review): ").strip()
            if not answer:
                # Rather than "'' is not an email address": say why it is asked for.
                self.stderr.write(
                    "An email is needed: the notices of replies waiting for review go there "
                    "(to make one without, run it with --no-input)."
                )
                continue
            try:
                return self._valid_email(answer)
            except CommandError as error:
                self.stderr.write(str(error))

    def _valid_email(self, email: str) -> str:
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address.") from None
        return email.strip().lower()

    def _new_password(self, user, interactive: bool) -> str:
        if not interactive:
            password = os.environ.get(self.password_variable, "")
            if not password:
                raise CommandError(
                    f"Set {self.password_variable} to create a {self.role} without prompting."
                )
            self._validate(password, user)
            return password
        self._need_a_terminal()
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

    def _need_a_terminal(self) -> None:
        # Run from a script or a pipe, a prompt would read nothing and fail with a traceback.
        if not sys.stdin.isatty():
            raise CommandError(
                "No terminal to ask in: run it with --no-input and --email EMAIL, "
                f"with the password in {self.password_variable}."
            )

    def _validate(self, password: str, user) -> None:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
