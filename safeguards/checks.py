"""System checks for a deployment, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_secret_key_from_environment(app_configs, **kwargs) -> list[Warning]:
    # The fallback key in .secret_key is made per checkout: two app servers
    # would each sign with their own, and it lives next to the code.
    if getattr(settings, "SECRET_KEY_FROM_ENVIRONMENT", False):
        return []
    return [
        Warning(
            "SECRET_KEY was read from the local .secret_key file, not from the environment.",
            hint="Set DJANGO_SECRET_KEY, the same long random value on every app server.",
            id="safeguards.W001",
        )
    ]


@register(deploy=True)
def check_emails_leave_the_request(app_configs, **kwargs) -> list[Warning]:
    # With the immediate backend a mail server that hangs holds each posting
    # request (and its gunicorn worker) for EMAIL_TIMEOUT per email.
    if getattr(settings, "TASKS_BACKEND", "database") == "database":
        return []
    return [
        Warning(
            "Emails are sent inside the requests that cause them (DJANGO_TASKS_BACKEND=immediate).",
            hint="Unset DJANGO_TASKS_BACKEND and run manage.py db_worker beside the app servers.",
            id="safeguards.W002",
        )
    ]
