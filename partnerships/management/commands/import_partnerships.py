import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from partnerships.importing import import_table
from partnerships.tables import FileProblem, open_table


class Command(BaseCommand):
    help = _("Import partners and relationships from a CSV, XLSX or JSON file: all rows or none.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the file to import"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("check and report, write nothing")
        )
        parser.add_argument("--encoding", help=_("e.g. utf-8 or cp1252; detected when left out"))
        parser.add_argument(
            "--delimiter", help=_("; or , or tab; detected from the header when left out")
        )

    def handle(self, *args, file, dry_run, encoding, delimiter, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("There is no file %(file)s.") % {"file": file})
        progress = self.progress_bar() if sys.stderr.isatty() else None
        try:
            with path.open("rb") as source:
                table = open_table(
                    source, filename=path.name, encoding=encoding, delimiter=delimiter
                )
                report = import_table(table, dry_run=dry_run, progress=progress)
        except FileProblem as problem:
            raise CommandError(str(problem)) from None
        except LookupError:
            raise CommandError(_("Unknown encoding %(e)s.") % {"e": encoding}) from None
        if progress:
            self.stderr.write("")
        if report.description and options["verbosity"]:
            self.stdout.write(_("Read as %(d)s.") % {"d": report.description})
        for note in report.notes:
            self.stdout.write(note)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            if report.error_count > len(report.errors):
                self.stderr.write(
                    _("… and %(n)s more errors.") % {"n": report.error_count - len(report.errors)}
                )
            raise CommandError(
                _("%(n)s errors in %(file)s; nothing was imported.")
                % {"n": report.error_count, "file": path.name}
            )
        if options["verbosity"]:
            self.stdout.write(report.summary())
            if dry_run:
                self.stdout.write(_("Dry run: nothing was written."))

    def progress_bar(self):
        stream = self.stderr

        def show(rows):
            stream.write("\r" + _("%(rows)s rows checked") % {"rows": f"{rows:,}"}, ending="")
            stream.flush()

        return show
