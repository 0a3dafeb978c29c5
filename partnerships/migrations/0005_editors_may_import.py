"""Editors bulk-import the spreadsheets they keep: give the editors group the import permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Partnership editors"
IMPORT_PERMISSIONS = ["import_partner", "import_relationship"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("partnerships")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="partnerships", codename__in=IMPORT_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.remove(*Permission.objects.filter(codename__in=IMPORT_PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0004_import_permissions")]

    operations = [migrations.RunPython(grant, revoke)]
