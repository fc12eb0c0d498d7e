"""Lower-case stored emails and let moderators use the new moderation tools.

Emails become the commenter's identity (trust, record, privacy requests), so
"Ana@Example.com" and "ana@example.com" must be one person. Moderators
manage word rules and blocks, resolve reports and read commenters' records.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models.functions import Lower

GROUP = "Moderators"
PERMISSIONS = [
    "add_wordrule",
    "change_wordrule",
    "delete_wordrule",
    "view_wordrule",
    "add_block",
    "change_block",
    "delete_block",
    "view_block",
    "view_report",
    "change_report",
    "view_commenter",
]


def forwards(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    Comment.objects.update(author_email=Lower("author_email"))
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="comments", codename__in=PERMISSIONS)
    )


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="comments", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("comments", "0003_moderation_pipeline")]

    operations = [migrations.RunPython(forwards, backwards)]
