"""Create the "Editors" group: moderators who also open and close discussions.

Whether readers may reply at all is an editor's decision (articles.discussion),
so the group holds what the Moderators group holds now plus
`articles.close_discussion`; a later migration that gives moderators a new
permission must give it to editors too. Permissions are normally created after all
migrations have run, so they are created here first; otherwise a fresh
database would get a group without them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
MODERATORS = "Moderators"


def create_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=GROUP)
    moderators = Group.objects.filter(name=MODERATORS).first()
    if moderators is not None:
        editors.permissions.add(*moderators.permissions.all())
    editors.permissions.add(
        Permission.objects.get(content_type__app_label="articles", codename="close_discussion")
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_discussion_changes_and_closing_permission"),
        # The Moderators group with all its permissions so far.
        ("comments", "0016_rating_language_and_support_order"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
