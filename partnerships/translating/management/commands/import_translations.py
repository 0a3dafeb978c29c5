from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from partnerships.translating.xliff import MAX_BYTES, XliffRefused, import_file


class Command(BaseCommand):
    help = _(
        "Take back an XLIFF file from translators: all of it or, if any unit is refused, "
        "nothing. Recorded as one import in History, which can be undone."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the XLIFF file"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("show every change, write nothing")
        )
        parser.add_argument("--language", help=_("refuse a file for another language"))
        parser.add_argument("--user", help=_("the username the import is recorded for"))

    def handle(self, *args, file, dry_run, language, user, **options):
        path = Path(file)
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(_("There is no user %(user)s.") % {"user": user})
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(_("The file is too large."))
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from None
        try:
            plan, change_set = import_file(
                data, path.name, account, language=language, dry_run=dry_run
            )
        except XliffRefused as refusal:
            raise CommandError(str(refusal)) from None
        for change in plan.changes:
            self.stdout.write(
                f"{change.label} [{change.language}]: {change.old!r} → {change.new!r}"
            )
        if plan.refused:
            for refusal in plan.refusals:
                self.stderr.write(f"{refusal.unit_id}: {refusal.reason}")
            raise CommandError(
                _("%(count)s of %(units)s units refused; nothing was written.")
                % {"count": len(plan.refusals), "units": plan.units}
            )
        summary = _(
            "%(changed)s texts changed, %(confirmed)s confirmed, %(empty)s untranslated."
        ) % {
            "changed": len(plan.changes),
            "confirmed": len(plan.confirmed),
            "empty": plan.empty,
        }
        if dry_run:
            self.stdout.write(_("Dry run: %(summary)s Nothing was written.") % {"summary": summary})
        elif change_set is None:
            self.stdout.write(_("No text changed: %(summary)s") % {"summary": summary})
        else:
            self.stdout.write(
                _("Import #%(number)s: %(summary)s") % {"number": change_set.pk, "summary": summary}
            )
