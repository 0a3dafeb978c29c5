"""The "Partnership editors" group handles the reported barriers: view them and change their
state and reply date (not delete them: they go when their retention period ends)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Partnership editors"
PERMISSIONS = ["view_report", "change_report"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure ours exist now.
    app_config = apps.get_app_config("feedback")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="feedback", codename__in=PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="feedback", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_reports"),
        ("partnerships", "0002_partnership_editors_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
