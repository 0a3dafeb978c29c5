import json
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partnerships import backup
from partnerships.models import ContentChange


class Command(BaseCommand):
    help = (
        "Restore a backup written by backup_content into an empty, migrated database, and check "
        "that the media files it lists are in storage. See docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The backup folder (holding manifest.json).")

    def handle(self, *args, source, **options):
        folder = Path(source)
        manifest = self.read_manifest(folder)
        self.check_migrations(manifest)

        with transaction.atomic():
            self.check_empty()
            call_command("loaddata", str(folder / backup.CONTENT_FILE), verbosity=0)
            counts = backup.model_counts()
            # A new content version: pages cached before the restore (in Redis, which outlives
            # the database) must not be taken for the restored content.
            ContentChange.touch()

        expected = manifest.get("counts", {})
        differing = {
            label: (expected[label], counts.get(label))
            for label in expected
            if not label.startswith("auth.") and counts.get(label) != expected[label]
        }
        if differing:
            # Not an error: loading succeeded, but the operator should know why numbers differ.
            self.stderr.write(
                self.style.WARNING(f"Counts differ from the backup's manifest: {differing}")
            )

        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {sum(counts.values())} rows "
                f"({counts.get('partnerships.Partner', 0)} partners) from {folder}."
            )
        )
        self.check_media(folder)

    def read_manifest(self, folder):
        try:
            manifest = json.loads((folder / backup.MANIFEST_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(
                f"{folder} is not a backup folder: it has no {backup.MANIFEST_FILE}."
            ) from None
        except json.JSONDecodeError as error:
            raise CommandError(f"{folder / backup.MANIFEST_FILE} is damaged: {error}") from None
        if manifest.get("format") != backup.FORMAT:
            raise CommandError(
                f"This backup has format {manifest.get('format')!r}; this version of the "
                f"application reads format {backup.FORMAT}."
            )
        if not (folder / backup.CONTENT_FILE).is_file():
            raise CommandError(f"{folder} has no {backup.CONTENT_FILE}; the backup is incomplete.")
        return manifest

    def check_migrations(self, manifest):
        applied = backup.applied_migrations()
        behind = {
            app: name
            for app, name in manifest.get("migrations", {}).items()
            if applied.get(app, "") < name
        }
        if behind:
            raise CommandError(
                "The backup was written by a newer database schema than this one "
                f"({behind}). Run `.venv/bin/python manage.py migrate` (with the application "
                "version that wrote the backup or later), then restore again."
            )

    def check_empty(self):
        present = {
            model._meta.verbose_name_plural: count
            for model in backup.dumped_models()
            if model._meta.app_label != "auth"
            and model is not ContentChange
            and (count := model._base_manager.count())
        }
        if present:
            listed = ", ".join(f"{count} {name}" for name, count in present.items())
            raise CommandError(
                f"The database already holds content ({listed}). Restore only into an empty "
                "database, so that nothing in it is overwritten or mixed with the backup: create "
                "a new database, run `.venv/bin/python manage.py migrate`, then restore."
            )

    def check_media(self, folder):
        listing = folder / backup.MEDIA_FILE
        if not listing.is_file():
            self.stderr.write(self.style.WARNING(f"{listing} is missing; media not checked."))
            return
        missing, damaged, present = [], [], 0
        for line in listing.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            name, *facts = line.split("\t")
            if facts == ["MISSING"]:
                missing.append(name)
                continue
            described = backup.describe_media(name)
            if described is None:
                missing.append(name)
            elif [str(described[0]), described[1]] != facts:
                damaged.append(name)
            else:
                present += 1
        self.stdout.write(f"Media: {present} files present and intact.")
        if missing:
            self.stderr.write(
                self.style.WARNING(
                    f"{len(missing)} media files are missing from storage; copy them from the "
                    "backed-up media folder: " + ", ".join(missing)
                )
            )
        if damaged:
            self.stderr.write(
                self.style.WARNING(
                    f"{len(damaged)} media files differ from the backup: " + ", ".join(damaged)
                )
            )
