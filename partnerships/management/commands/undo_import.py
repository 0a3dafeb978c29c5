from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from partnerships.transfer.changes import UndoRefused, plan_undo, undo
from partnerships.transfer.models import ChangeSet


class Command(BaseCommand):
    help = _(
        "Undo an import: put back every value it changed and delete what it created. Values "
        "changed again since are kept as they are, and listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("number", type=int, help=_("the import's number (import #N)"))
        parser.add_argument("--dry-run", action="store_true", help=_("show what undo would do"))
        parser.add_argument("--user", help=_("the username the undo is recorded for"))

    def handle(self, *args, number, dry_run, user, **options):
        change_set = ChangeSet.objects.filter(pk=number).first()
        if change_set is None:
            raise CommandError(_("There is no import #%(number)s.") % {"number": number})
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(_("There is no user %(user)s.") % {"user": user})
        try:
            plan = plan_undo(change_set) if dry_run else undo(change_set, account)
        except UndoRefused as refusal:
            raise CommandError(str(refusal)) from None
        for kept in plan.kept:
            column = f", {kept.column}" if kept.column else ""
            values = f" ({kept.imported} → {kept.now})" if kept.imported or kept.now else ""
            self.stdout.write(
                _("Kept: %(label)s%(column)s: %(reason)s")
                % {"label": kept.label, "column": column, "reason": kept.reason}
                + values
            )
        summary = _("%(fields)s values restored, %(objects)s objects deleted, %(kept)s kept.") % {
            "fields": plan.restored_fields,
            "objects": plan.deleted_objects,
            "kept": len(plan.kept),
        }
        if dry_run:
            self.stdout.write(_("Dry run: %(summary)s Nothing was written.") % {"summary": summary})
        else:
            self.stdout.write(
                _("Import #%(n)s undone: %(summary)s") % {"n": number, "summary": summary}
            )
