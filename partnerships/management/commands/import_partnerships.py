import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from partnerships.transfer.changes import ImportSource
from partnerships.transfer.engine import import_table, refresh_statistics
from partnerships.transfer.mapping import by_name, combined, remember, saved_names
from partnerships.transfer.reading import FileProblem, open_table


class Command(BaseCommand):
    help = _(
        "Import partners and relationships from a CSV, XLSX, ODS or JSON file: all rows or none. "
        "A real import is recorded, shows in History and can be undone (undo_import)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the file to import"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("check and show every change, old → new; write nothing"),
        )
        parser.add_argument("--encoding", help=_("e.g. utf-8 or cp1252; detected when left out"))
        parser.add_argument(
            "--delimiter", help=_("; or , or tab; detected from the header when left out")
        )
        parser.add_argument(
            "--user", help=_("the username the import is recorded for (default: none)")
        )
        parser.add_argument(
            "--map",
            action="append",
            dest="mapping",
            default=[],
            metavar="HEADER=COLUMN,…",
            help=_(
                'read the file\'s own headers as columns, e.g. "Stadt=name_de,Staat=country"; '
                '"Bemerkung=" ignores that column'
            ),
        )
        parser.add_argument(
            "--mapping",
            dest="saved_mapping",
            metavar="NAME",
            help=_("read the headers with the mapping saved under NAME (--map adds to it)"),
        )
        parser.add_argument(
            "--save-mapping",
            metavar="NAME",
            help=_("after a run without errors (a dry run too), save the mapping under NAME"),
        )

    def handle(
        self,
        *args,
        file,
        dry_run,
        encoding,
        delimiter,
        user,
        mapping,
        saved_mapping,
        save_mapping,
        **options,
    ):
        mapping = parse_mapping(mapping)
        if saved_mapping is not None:
            mapping = combined(saved_by_name(saved_mapping).mapping, mapping)
        save_mapping = check_save_mapping(save_mapping, mapping)
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("There is no file %(file)s.") % {"file": file})
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(_("There is no user %(user)s.") % {"user": user})
        progress = self.progress_bar() if sys.stderr.isatty() else None
        try:
            with path.open("rb") as source:
                table = open_table(
                    source, filename=path.name, encoding=encoding, delimiter=delimiter
                )
                report = import_table(
                    table,
                    dry_run=dry_run,
                    progress=progress,
                    keep_outcomes=dry_run,
                    source=ImportSource.from_path(path),
                    user=account,
                    mapping=mapping,
                )
        except FileProblem as problem:
            raise CommandError(str(problem)) from None
        except LookupError:
            raise CommandError(_("Unknown encoding %(e)s.") % {"e": encoding}) from None
        if progress:
            self.stderr.write("")
        verbose = options["verbosity"]
        if report.description and verbose:
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
        if report.written:
            refresh_statistics(report.rows_read)
        if verbose:
            self.write_losses(report)
            if dry_run:
                self.write_changes(report)
            self.stdout.write(report.summary())
            if dry_run:
                self.stdout.write(_("Dry run: nothing was written."))
            elif report.change_set:
                self.stdout.write(
                    _(
                        "Recorded as import #%(number)s. To undo it: "
                        ".venv/bin/python manage.py undo_import %(number)s"
                    )
                    % {"number": report.change_set.pk}
                )
        if save_mapping:
            remember(table.headers, mapping, account, name=save_mapping)
            if verbose:
                self.stdout.write(
                    _("Mapping saved as “%(name)s”; use it with --mapping %(name)s.")
                    % {"name": save_mapping}
                )

    def write_losses(self, report):
        """What the import removes or replaces, first, so that nobody misses it."""
        if not report.loss_counts:
            return
        self.stdout.write(self.style.WARNING(_("This import removes or replaces information:")))
        for label, count in report.loss_summary():
            self.stdout.write(f"  {label}: {count}")
        for line, partner, change in report.losses:
            self.stdout.write(
                "  "
                + _("line %(line)s, %(partner)s, %(column)s: %(old)s → %(new)s")
                % {
                    "line": line,
                    "partner": partner,
                    "column": change.column,
                    "old": change.old_shown,
                    "new": change.new_shown,
                }
            )

    def write_changes(self, report):
        names = {"new": _("New"), "update": _("Update")}
        for outcome in report.outcomes:
            if outcome.action == "skip":
                continue
            self.stdout.write(
                _("Line %(line)s") % {"line": outcome.line}
                + f": {names[outcome.action]} {outcome.partner}"
            )
            for change in outcome.changes:
                old = "" if change.created else f"{change.old_shown} → "
                self.stdout.write(f"    {change.column}: {old}{change.new_shown}")

    def progress_bar(self):
        stream = self.stderr

        def show(rows):
            stream.write("\r" + _("%(rows)s rows checked") % {"rows": f"{rows:,}"}, ending="")
            stream.flush()

        return show


def saved_by_name(name):
    saved = by_name(name.strip())
    if saved is not None:
        return saved
    names = saved_names()
    if names:
        raise CommandError(
            _("There is no saved mapping “%(name)s”. The saved mappings are: %(names)s.")
            % {"name": name, "names": ", ".join(names)}
        )
    raise CommandError(
        _("There is no saved mapping “%(name)s”; none is saved yet. Save one with --save-mapping.")
        % {"name": name}
    )


def check_save_mapping(name, mapping):
    """The name to save the mapping under (None: none to save); refused before the file."""
    if name is None:
        return None
    name = name.strip()
    if not name or len(name) > 100:
        raise CommandError(_("--save-mapping: give a name of 1 to 100 characters."))
    if not mapping:
        raise CommandError(_("--save-mapping: there is no mapping to save; give it with --map."))
    return name


def parse_mapping(values):
    """{header: column or None} from --map values "Stadt=name_de,Bemerkung=", given once or
    more. A header may hold a comma: a part without "=" belongs to the part after it."""
    mapping = {}
    for value in values:
        pending = ""
        for part in value.split(","):
            part = f"{pending},{part}" if pending else part
            if "=" not in part:
                pending = part
                continue
            pending = ""
            header, _equals, column = part.rpartition("=")
            header, column = header.strip(), column.strip()
            if not header:
                raise CommandError(
                    _("--map: “%(part)s” names no header; write HEADER=COLUMN.")
                    % {"part": part.strip()}
                )
            if header in mapping:
                raise CommandError(_("--map: “%(header)s” is mapped twice.") % {"header": header})
            mapping[header] = column or None
        if pending.strip():
            raise CommandError(
                _("--map: “%(part)s” has no “=”; write HEADER=COLUMN, or HEADER= to ignore it.")
                % {"part": pending.strip()}
            )
    return mapping
