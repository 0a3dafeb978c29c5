"""Rich text that reached the database before imports were sanitised holds only the subset now.

Until then, a file's descriptions and summaries were stored as written (bulk writes send no
pre_save signal); the site escaped them when rendering, but the database and every export
still held them. The same sanitiser as every other way in (partnerships/sanitize.py).
"""

from django.conf import settings
from django.db import migrations

from partnerships.sanitize import clean_rich_text

RICH_TEXT = {
    "Partner": ("description",),
    "Relationship": ("summary",),
    "RelationshipKind": ("section_text",),
    "Page": ("introduction", "body"),
}


def sanitize(apps, schema_editor):
    languages = [code.replace("-", "_") for code, _name in settings.LANGUAGES]
    for model_name, fields in RICH_TEXT.items():
        model = apps.get_model("partnerships", model_name)
        names = [
            name
            for field in fields
            for name in (field, *(f"{field}_{code}" for code in languages))
            if any(f.name == name for f in model._meta.fields)
        ]
        changed = []
        for obj in model.objects.only("pk", *names).iterator(chunk_size=1000):
            dirty = False
            for name in names:
                value = getattr(obj, name)
                if isinstance(value, str) and clean_rich_text(value) != value:
                    setattr(obj, name, clean_rich_text(value))
                    dirty = True
            if dirty:
                changed.append(obj)
        model.objects.bulk_update(changed, names, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0005_editors_may_import")]

    operations = [migrations.RunPython(sanitize, migrations.RunPython.noop)]
