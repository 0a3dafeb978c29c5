"""The "Partnership editors" group: exactly the permissions to edit the public content.

Not users, not groups, not the log: whoever manages accounts is a superuser.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Partnership editors"
EDITED_MODELS = [
    "partner",
    "relationshipkind",
    "relationship",
    "milestone",
    "office",
    "contact",
    "page",
]
ACTIONS = ["add", "change", "delete", "view"]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure ours exist now.
    app_config = apps.get_app_config("partnerships")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    codenames = [f"{action}_{model}" for model in EDITED_MODELS for action in ACTIONS]
    permissions = Permission.objects.filter(
        content_type__app_label="partnerships", codename__in=codenames
    )
    group.permissions.set(permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
