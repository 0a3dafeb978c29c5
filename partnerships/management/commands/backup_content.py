import json
import os
import shutil
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from partnerships import backup


class Command(BaseCommand):
    help = (
        "Write a complete, restorable backup of the content (all languages, version history, "
        "editors' accounts) and the list of media files it needs. See docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "destination",
            nargs="?",
            help="Folder to create (default: backups/content-<date-time> in the current folder).",
        )

    def handle(self, *args, destination=None, **options):
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        target = Path(destination or Path("backups") / f"content-{stamp}")
        if target.exists() and any(target.iterdir()):
            raise CommandError(f"{target} already exists and is not empty; choose a new folder.")
        target.parent.mkdir(parents=True, exist_ok=True)

        # Written into a temporary folder beside the target and renamed at the end, so a
        # backup that failed half-way never looks complete.
        work = Path(tempfile.mkdtemp(prefix=".backup-", dir=target.parent))
        try:
            # One snapshot: the dump, the media list and the counts see the same rows.
            with transaction.atomic():
                call_command(
                    "dumpdata",
                    *backup.DUMPED,
                    exclude=backup.DERIVED,
                    output=str(work / backup.CONTENT_FILE),
                    indent=1,
                    use_natural_foreign_keys=True,
                    use_natural_primary_keys=True,
                    use_base_manager=True,
                    verbosity=0,
                )
                counts = backup.model_counts()
                media = backup.referenced_media()
                versioned = backup.versioned_media()
                migrations = backup.applied_migrations()

            missing = []
            with open(work / backup.MEDIA_FILE, "w", encoding="utf-8") as listing:
                listing.write("# path\tsize\tsha256 (MISSING: referenced but not in storage)\n")
                for name in media:
                    described = backup.describe_media(name)
                    if described is None:
                        missing.append(name)
                        listing.write(f"{name}\tMISSING\n")
                    else:
                        listing.write(f"{name}\t{described[0]}\t{described[1]}\n")
                # A file only an old version names and the storage lost (deleted before versions
                # kept their files) is no loss to report: restoring that version leaves it out.
                for name in versioned:
                    if described := backup.describe_media(name):
                        media.append(name)
                        listing.write(f"{name}\t{described[0]}\t{described[1]}\n")

            manifest = {
                "format": backup.FORMAT,
                "created": timezone.now().isoformat(),
                "migrations": migrations,
                "counts": counts,
                "media_files": len(media),
                "media_missing": missing,
            }
            (work / backup.MANIFEST_FILE).write_text(
                json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            # Accounts' password hashes are in the dump: readable by its owner only.
            for path in [work, *work.iterdir()]:
                os.chmod(path, 0o700 if path.is_dir() else 0o600)
            if target.exists():
                target.rmdir()
            work.rename(target)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise

        partners = counts.get("partnerships.Partner", 0)
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {target}: {sum(counts.values())} rows "
                f"({partners} partners), {len(media)} media files listed."
            )
        )
        if missing:
            self.stderr.write(
                self.style.WARNING(
                    f"{len(missing)} media files are referenced but missing from storage: "
                    + ", ".join(missing)
                )
            )
        self.stdout.write(
            "Copy the media folder (or bucket) alongside it; media.txt lists what it must hold."
        )
