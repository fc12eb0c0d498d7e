"""Seed the strategies readers can name, from the approaches the article itself discusses.

Editors can rename, describe, reorder or add strategies in the admin; this
only gives a fresh site the article's own list. Moderators may read the
list, and read ratings, so that they can correct the tags of a proposal.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STRATEGIES = [
    ("intelligence-sharing", "Intelligence sharing", "Intercambio de inteligencia"),
    ("joint-investigations", "Joint investigations", "Investigaciones conjuntas"),
    (
        "police-and-courts",
        "Capacity building of police and courts",
        "Fortalecimiento de policías y tribunales",
    ),
    (
        "economic-development",
        "Economic development and root causes",
        "Desarrollo económico y causas de fondo",
    ),
    (
        "demand-reduction",
        "Demand reduction and public health in the U.S.",
        "Reducción de la demanda y salud pública en EE. UU.",
    ),
    ("precursor-chemicals", "Control of precursor chemicals", "Control de precursores químicos"),
    (
        "anti-money-laundering",
        "Financial and anti-money-laundering measures",
        "Medidas financieras y contra el lavado de dinero",
    ),
    (
        "arms-trafficking",
        "Stopping arms trafficking into Mexico",
        "Frenar el tráfico de armas hacia México",
    ),
    ("anti-corruption", "Anti-corruption", "Combate a la corrupción"),
    ("military-action", "Military action", "Acción militar"),
]
MODERATOR_PERMISSIONS = ["view_strategy", "view_rating"]


def seed(apps, schema_editor):
    Strategy = apps.get_model("comments", "Strategy")
    for position, (slug, name, name_es) in enumerate(STRATEGIES):
        Strategy.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_es": name_es, "position": position}
        )
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="comments", codename__in=MODERATOR_PERMISSIONS
            )
        )


def unseed(apps, schema_editor):
    Strategy = apps.get_model("comments", "Strategy")
    Strategy.objects.filter(
        slug__in=[slug for slug, _name, _name_es in STRATEGIES], comments__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("comments", "0005_strategies_and_ratings")]

    operations = [migrations.RunPython(seed, unseed)]
