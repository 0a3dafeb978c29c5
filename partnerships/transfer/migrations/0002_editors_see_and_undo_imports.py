"""Editors see the list of imports and may undo one (they may import already)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Partnership editors"
CODENAMES = ["view_changeset", "undo_changeset"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure ours exist now.
    app_config = apps.get_app_config("transfer")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="transfer", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="transfer", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("transfer", "0001_change_sets"),
        ("partnerships", "0005_editors_may_import"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
