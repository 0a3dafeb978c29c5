from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from partnerships.open_data import files


class Command(BaseCommand):
    help = _(
        "Write the open data's files (/data/) for the content as it is now, unless they are "
        "up to date: after a deploy, or from cron where no task worker runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help=_("write them even if they are up to date")
        )

    def handle(self, *args, force, **options):
        edition = files.write_current(force=force)
        if edition is None:
            current = files.current_edition()
            self.stdout.write(_("Up to date: %(path)s") % {"path": current.path})
        else:
            self.stdout.write(_("Written: %(path)s") % {"path": edition.path})
