"""The content version before the last change, so the page cache knows how long a page it holds
has been out of date (partnerships/caching.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0009_image_renditions_ready"),
    ]

    operations = [
        migrations.AddField(
            model_name="contentchange",
            name="previous_changed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
