from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from partnerships.transfer import runs


class Command(BaseCommand):
    help = _(
        "End the import runs whose preview was neither confirmed nor cancelled in time, and "
        "delete their uploaded files."
    )

    def handle(self, *args, **options):
        count = runs.expire_old()
        if options["verbosity"]:
            self.stdout.write(_("%(count)s expired uploads deleted.") % {"count": count})
