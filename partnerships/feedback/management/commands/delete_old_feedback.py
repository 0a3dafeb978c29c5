"""Delete reports of barriers older than settings.FEEDBACK_RETENTION_DAYS (run it daily).

The privacy statement promises this period; docs/deploy.md has the timer that runs it.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import ngettext

from partnerships.feedback.models import Report


class Command(BaseCommand):
    help = "Delete reported barriers that arrived more than FEEDBACK_RETENTION_DAYS days ago."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many would be deleted."
        )

    def handle(self, *args, dry_run=False, **options):
        days = settings.FEEDBACK_RETENTION_DAYS
        old = Report.objects.received_before(timezone.now() - timedelta(days=days))
        if dry_run:
            count = old.count()
            message = ngettext(
                "%(count)d report is older than %(days)d days and would be deleted.",
                "%(count)d reports are older than %(days)d days and would be deleted.",
                count,
            )
        else:
            count, _by_model = old.delete()
            message = ngettext(
                "Deleted %(count)d report older than %(days)d days.",
                "Deleted %(count)d reports older than %(days)d days.",
                count,
            )
        if options["verbosity"]:
            self.stdout.write(message % {"count": count, "days": days})
