import io
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from partnerships.models import ContentChange, Partner
from partnerships.transfer.export import (
    PartnershipResource,
    json_document,
    ods_bytes,
    write_csv,
    xlsx_bytes,
)


class Command(BaseCommand):
    help = _("Export every partner and relationship in the columns import_partnerships reads.")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx", "ods", "json"], default="csv")
        parser.add_argument("--output", "-o", help=_("file to write; standard output if left out"))
        parser.add_argument(
            "--published-only", action="store_true", help=_("leave out unpublished partners")
        )

    def handle(self, *args, format, output, published_only, **options):
        resource = PartnershipResource()
        partners = Partner.objects.published() if published_only else Partner.objects.all()
        headers = resource.get_export_headers()
        rows = resource.iter_export_rows(partners)
        if format == "csv":
            stream = io.StringIO()
            write_csv(headers, rows, stream)
            # A byte-order mark, so that Excel opens the UTF-8 file with its umlauts intact.
            content = ("\ufeff" + stream.getvalue()).encode("utf-8")
        elif format in ("xlsx", "ods"):
            if not output:
                raise CommandError(
                    _("%(format)s is binary: give a file with --output.")
                    % {"format": format.upper()}
                )
            content = (xlsx_bytes if format == "xlsx" else ods_bytes)(headers, rows)
        else:
            document = json_document(headers, rows, ContentChange.last())
            content = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        if output:
            with open(output, "wb") as target:
                target.write(content)
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
