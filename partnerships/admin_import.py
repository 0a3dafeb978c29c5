"""Import and Export on the partner and relationship lists, through django-import-export.

The admin's views (upload, preview, confirm) are django-import-export's; the file is read by
`tables.py` and imported by `importing.py`, so that the admin and the command behave the same.
"""

import io

import tablib
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats
from import_export.forms import ExportForm, ImportForm

from .open_data import write_csv, xlsx_bytes
from .tables import FileProblem, count_message, open_table

# One request reads, checks and previews the whole file; more than this goes to the command.
ADMIN_MAX_ROWS = 10_000
ADMIN_MAX_BYTES = 20 * 1024 * 1024


class PartnershipFile(base_formats.Format):
    """Any file the importer reads: CSV (any delimiter, UTF-8 or Windows-1252), XLSX or JSON."""

    def __init__(self, encoding=None):
        # The encoding is detected per file; the admin's from_encoding does not apply.
        self.encoding = encoding

    def get_title(self):
        return gettext_lazy("CSV, Excel (XLSX) or JSON")

    def can_import(self):
        return True

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode("utf-8")
        table = open_table(in_stream, max_bytes=ADMIN_MAX_BYTES)
        rows, lines = [], []
        for line, values in table.rows:
            if len(rows) >= ADMIN_MAX_ROWS:
                raise FileProblem(count_message(ADMIN_MAX_ROWS) + " " + use_the_command())
            rows.append(values)
            lines.append(line)
        width = max([len(table.headers), *(len(row) for row in rows)])
        headers = [*table.headers, *[""] * (width - len(table.headers))]
        dataset = tablib.Dataset(headers=headers)
        for row in rows:
            dataset.append([*row, *[""] * (width - len(row))])
        dataset.line_numbers = lines
        dataset.description = table.description
        return dataset


def use_the_command():
    return _("Import it on the command line: python manage.py import_partnerships FILE")


class PartnershipImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        # Refuse before the upload is read into memory for the preview.
        if upload.size > ADMIN_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)s MB. %(command)s")
                % {"limit": ADMIN_MAX_BYTES // (1024 * 1024), "command": use_the_command()}
            )
        return upload


class ExportFormat(base_formats.Format):
    def can_export(self):
        return True

    def export_data(self, dataset, **kwargs):
        raise NotImplementedError


class EscapedCSV(ExportFormat):
    def get_title(self):
        return "csv"

    def get_extension(self):
        return "csv"

    def get_content_type(self):
        return "text/csv"

    def is_binary(self):
        return False

    def export_data(self, dataset, **kwargs):
        stream = io.StringIO()
        write_csv(dataset.headers, dataset, stream)
        return "\ufeff" + stream.getvalue()


class EscapedXLSX(ExportFormat):
    def get_title(self):
        return "xlsx"

    def get_extension(self):
        return "xlsx"

    def get_content_type(self):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def export_data(self, dataset, **kwargs):
        return xlsx_bytes(dataset.headers, dataset)


class PartnershipImportExportAdmin(ImportExportModelAdmin):
    """Import (with a preview of every row) and export of the partnerships file."""

    import_formats = [PartnershipFile]
    export_formats = [EscapedCSV, EscapedXLSX]
    export_form_class = ExportForm
    import_form_class = PartnershipImportForm
    import_template_name = "admin/partnerships/import.html"
    # One log entry per imported row would be 10,000 rows of noise; the import is one action.
    skip_admin_log = True

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, FileProblem):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def process_result(self, result, request):
        report = getattr(result, "report", None)
        url = reverse("admin:{}_{}_changelist".format(*self.get_model_info()))
        if report is not None and not report.ok:
            # The file changed between preview and confirm, or the data did: nothing written.
            messages.error(
                request,
                _("Nothing was imported: %(error)s") % {"error": report.errors[0]},
            )
            return HttpResponseRedirect(url)
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        report = getattr(result, "report", None)
        if report is None:
            return super().add_success_message(result, request)
        messages.success(request, _("Import finished. %(summary)s") % {"summary": report.summary()})
