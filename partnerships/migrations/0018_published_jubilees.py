from django.db import migrations, models


def forget_stored_figures(apps, schema_editor):
    # Figures stored before have no jubilees: the next page works them out again, with them.
    apps.get_model("partnerships", "PublishedFigures").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0017_legal_pages_polish"),
    ]

    operations = [
        migrations.AddField(
            model_name="publishedfigures",
            name="jubilees",
            field=models.JSONField(default=dict),
        ),
        migrations.RunPython(forget_stored_figures, migrations.RunPython.noop),
    ]
