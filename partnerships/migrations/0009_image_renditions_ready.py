"""Renditions are made in the background; each image field says whether they exist yet.

Images stored before this had their renditions made during their save: they are ready.
"""

from django.db import migrations, models

IMAGE_FIELDS = {"partner": ["image", "coat_of_arms"], "contact": ["photo"]}


def existing_images_are_ready(apps, schema_editor):
    for model_name, fields in IMAGE_FIELDS.items():
        model = apps.get_model("partnerships", model_name)
        for field in fields:
            model.objects.exclude(**{field: ""}).update(**{f"{field}_renditions_ready": True})


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0008_partner_page_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="photo_renditions_ready",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="partner",
            name="coat_of_arms_renditions_ready",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="partner",
            name="image_renditions_ready",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(existing_images_are_ready, migrations.RunPython.noop),
    ]
