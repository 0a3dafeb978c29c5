from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from partnerships.transfer import uploads


class Command(BaseCommand):
    help = _("Delete uploaded import files whose preview was neither confirmed nor cancelled.")

    def handle(self, *args, **options):
        count = uploads.purge_expired()
        if options["verbosity"]:
            self.stdout.write(_("%(count)s expired uploads deleted.") % {"count": count})
