"""Other names for a partner, and on PostgreSQL what the directory's search needs.

On PostgreSQL: the extensions unaccent and pg_trgm (CREATE EXTENSION needs a superuser, or the
database's owner on PostgreSQL 13+ for these trusted extensions; docs/deploy.md), the function
`partnerships_fold()` and a GIN trigram index on the folded form of every searched field
(partnerships/search.py), and an index per language on the name the directory sorts by, in that
language's collation. On SQLite none of it: there the function and the collation are Python's,
registered on each connection. On both an index for the directory's order by year.
"""

from django.db import migrations, models

from partnerships.search import create_search_support, drop_search_support


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0006_sanitize_stored_rich_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="partner",
            name="other_names",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Further names the directory's search finds the partner by, one per line: "
                    "its names in other languages, a former name (e.g. Warszawa, Varsovie, "
                    "Karl-Marx-Stadt)."
                ),
                verbose_name="other names",
            ),
        ),
        migrations.AddIndex(
            model_name="relationship",
            index=models.Index(fields=["since"], name="relationship_since"),
        ),
        migrations.RunPython(create_search_support, drop_search_support, elidable=False),
    ]
