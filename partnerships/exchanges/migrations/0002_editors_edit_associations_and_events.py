"""The partnership editors edit associations and events like the rest of the public content."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Partnership editors"
EDITED_MODELS = ["association", "event"]
ACTIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure ours exist now.
    app_config = apps.get_app_config("exchanges")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    codenames = [f"{action}_{model}" for model in EDITED_MODELS for action in ACTIONS]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="exchanges", codename__in=codenames)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="exchanges"))


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0001_associations_and_events"),
        ("partnerships", "0002_partnership_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
