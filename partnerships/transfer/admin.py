"""Import and Export on the partner and relationship lists; the list of imports and their undo.

Export is django-import-export's (its form, its formats written by `export.py`). Import has
views of its own, on the addresses django-import-export gives them (`…/import/` and
`…/process_import/`), because its confirm step names the uploaded file by a name the form
sends back, and its preview shows rows, not what changes:

1. upload: the file is read and previewed (a dry run of the engine, row by row, old → new, the
   changes that destroy information first) and kept as a PendingUpload for its uploader only;
2. confirm (by the upload's token) imports it, only if it would still change exactly what the
   preview showed, and records it as a change set; cancel deletes the upload.

A file with headers the import does not know goes through a mapping step first (`mapping.py`):
the upload is kept, the editor gives each unknown header a column or ignores it, and the preview
runs with that mapping, which confirm uses too and which is remembered for the next file with
the same headers (that file goes straight to its preview).

Each change set has a page under "Imports" with every change, and Undo.
"""

import io

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats
from import_export.forms import ExportForm

from . import uploads
from .changes import ImportSource, UndoRefused, plan_undo, undo
from .engine import import_table
from .export import ODS_MIMETYPE, ods_bytes, write_csv, xlsx_bytes
from .mapping import (
    ColumnMappingForm,
    FileColumns,
    columns_to_map,
    describe,
    recall,
    recalled_form,
    remember,
)
from .models import ChangeSet, SavedMapping
from .reading import FileProblem, open_table

# One request reads, checks and previews the whole file; more than this goes to the command.
ADMIN_MAX_ROWS = 10_000
ADMIN_MAX_BYTES = 20 * 1024 * 1024


def use_the_command():
    return _("Import it on the command line: .venv/bin/python manage.py import_partnerships FILE")


class ImportUploadForm(forms.Form):
    import_file = forms.FileField(
        label=gettext_lazy("File to import"),
        help_text=gettext_lazy("CSV, Excel (XLSX), LibreOffice (ODS) or JSON"),
    )

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        # Refuse before the upload is read into memory for the preview.
        if upload.size > ADMIN_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB. %(command)s")
                % {"limit": ADMIN_MAX_BYTES // (1024 * 1024), "command": use_the_command()}
            )
        return upload


def preview(data, file_name, **kwargs):
    """Run the engine over an upload's bytes: a dry run unless told otherwise."""
    kwargs.setdefault("dry_run", True)
    try:
        table = open_table(io.BytesIO(data), filename=file_name, max_bytes=ADMIN_MAX_BYTES)
    except FileProblem as problem:
        return None, str(problem)
    report = import_table(table, keep_outcomes=True, max_rows=ADMIN_MAX_ROWS, **kwargs)
    return report, None


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


class EscapedODS(ExportFormat):
    def get_title(self):
        return "ods"

    def get_extension(self):
        return "ods"

    def get_content_type(self):
        return ODS_MIMETYPE

    def export_data(self, dataset, **kwargs):
        return ods_bytes(dataset.headers, dataset)


class PartnershipImportExportAdmin(ImportExportModelAdmin):
    """Import (preview, confirm, cancel; recorded and undoable) and export of the file."""

    export_formats = [EscapedCSV, EscapedXLSX, EscapedODS]
    export_form_class = ExportForm
    import_template_name = "admin/transfer/import.html"

    def get_urls(self):
        info = self.get_model_info()
        return [
            path(
                "cancel_import/",
                self.admin_site.admin_view(self.cancel_import),
                name="{}_{}_cancel_import".format(*info),
            ),
            path(
                "import/columns/",
                self.admin_site.admin_view(self.map_columns),
                name="{}_{}_map_columns".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_url(self):
        return reverse("admin:{}_{}_changelist".format(*self.get_model_info()))

    def import_url(self):
        return reverse("admin:{}_{}_import".format(*self.get_model_info()))

    def render_import(self, request, **context):
        info = self.get_model_info()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "opts": self.model._meta,
            "confirm_url": reverse("admin:{}_{}_process_import".format(*info)),
            "cancel_url": reverse("admin:{}_{}_cancel_import".format(*info)),
            "columns_url": reverse("admin:{}_{}_map_columns".format(*info)),
            "changesets_url": reverse("admin:transfer_changeset_changelist"),
            "max_rows": ADMIN_MAX_ROWS,
            "use_the_command": use_the_command(),
            **context,
        }
        context.setdefault("form", ImportUploadForm())
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def import_action(self, request, **kwargs):
        """Upload and preview."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return self.render_import(request)
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_import(request, form=form)
        upload = form.cleaned_data["import_file"]
        data = b"".join(upload.chunks())
        report, problem = preview(data, upload.name)
        if problem:
            form.add_error("import_file", problem)
            return self.render_import(request, form=form)
        if columns := columns_to_map(report, data, upload.name):
            pending = uploads.keep_for_mapping(request.user, upload.name, data)
            return self.mapping_step(request, pending, columns)
        context = {"form": form, "report": report}
        if report.ok:
            pending = uploads.keep(request.user, upload.name, data, report.digest)
            context["token"] = pending.token
        return self.render_import(request, **context)

    def process_import(self, request, **kwargs):
        """Confirm: import the upload the token names, if it is the user's and still waiting."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(self.import_url())
        token = request.POST.get("token", "")
        with transaction.atomic():
            pending = uploads.claim(request.user, token)
            if pending is None:
                messages.error(request, not_waiting_message())
                return HttpResponseRedirect(self.import_url())
            report, problem = preview(
                bytes(pending.data),
                pending.file_name,
                dry_run=False,
                user=request.user,
                source=ImportSource.from_bytes(pending.file_name, bytes(pending.data)),
                expected_digest=pending.preview_digest,
                mapping=pending.mapping or None,
            )
            if report is not None and report.stale:
                transaction.set_rollback(True)  # the upload stays, with the new preview
        if problem or report.error_count:
            error = problem or report.errors[0]
            messages.error(request, _("Nothing was imported: %(error)s") % {"error": error})
            return self.render_import(request, report=report)
        if report.stale:
            uploads.previewed_again(request.user, token, report.digest)
            messages.warning(
                request,
                _(
                    "The partners changed since your preview, so nothing was imported yet. "
                    "This is the preview as it is now: check it and confirm again."
                ),
            )
            return self.render_import(request, report=report, token=token)
        if report.change_set is None:
            messages.info(request, _("The file changes nothing; nothing was imported."))
            return HttpResponseRedirect(self.changelist_url())
        change_set_url = reverse("admin:transfer_changeset_change", args=[report.change_set.pk])
        messages.success(
            request,
            _(
                "Import finished. %(summary)s It is recorded as import #%(number)s below, where "
                "it can be undone."
            )
            % {"summary": report.summary(), "number": report.change_set.pk},
        )
        return HttpResponseRedirect(change_set_url)

    # --- the mapping step, for a file with headers the import does not know ---

    def map_columns(self, request):
        """The editor's mapping of a kept upload's columns (or "change" from its preview)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(self.import_url())
        pending = uploads.waiting(request.user, request.POST.get("token", ""))
        columns = pending and FileColumns.read(bytes(pending.data), pending.file_name)
        if columns is None:
            messages.error(request, not_waiting_message())
            return HttpResponseRedirect(self.import_url())
        if "change" in request.POST:
            return self.mapping_step(request, pending, columns, current=pending.mapping)
        return self.mapping_step(request, pending, columns, data=request.POST)

    def mapping_step(self, request, pending, columns, data=None, current=None):
        """The drop-downs, preselected with the mapping saved for these headers; none when that
        mapping is complete and valid, unless the editor asked to change it (`current`)."""
        saved = recall(columns.headers)
        recalled = current if current is not None else saved and saved.mapping
        if data is None and current is None and recalled:
            form = recalled_form(columns, recalled)
            if form is not None:
                return self.preview_mapped(request, pending, columns, form.mapping(), True)
        form = ColumnMappingForm(columns.headers, columns.samples, recalled, data=data)
        if data is not None and form.is_valid():
            return self.preview_mapped(request, pending, columns, form.mapping())
        return self.render_import(request, mapping_form=form, token=pending.token)

    def preview_mapped(self, request, pending, columns, mapping, as_last_time=False):
        report, problem = preview(bytes(pending.data), pending.file_name, mapping=mapping)
        if problem:
            messages.error(request, problem)
            return HttpResponseRedirect(self.import_url())
        uploads.mapped(request.user, pending.token, mapping, report.digest if report.ok else "")
        remember(columns.headers, mapping, request.user)
        if as_last_time:
            note = _("Columns mapped as last time: %(mapping)s.")
        else:
            note = _("Columns mapped: %(mapping)s.")
        context = {
            "report": report,
            "mapped_note": note % {"mapping": describe(mapping, columns.headers)},
            "mapping_token": pending.token,
        }
        if report.ok:
            context["token"] = pending.token
        return self.render_import(request, **context)

    def cancel_import(self, request):
        if request.method == "POST":
            if uploads.cancel(request.user, request.POST.get("token", "")):
                messages.info(request, _("Import cancelled; the uploaded file was deleted."))
        return HttpResponseRedirect(self.changelist_url())


def not_waiting_message():
    return _(
        "This upload is no longer waiting to be imported: it was imported or cancelled "
        "already, it timed out, or it is another user's. Upload the file again."
    )


# --- the list of imports ---


@admin.register(ChangeSet)
class ChangeSetAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created", "user_name", "counts_shown", "state"]
    list_filter = ["undone"]
    search_fields = ["file_name", "user_name"]
    change_form_template = "admin/transfer/changeset_detail.html"
    CHANGES_PER_PAGE = 200

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the record of what was imported stays

    def has_undo_permission(self, request):
        return request.user.has_perm("transfer.undo_changeset")

    @admin.display(description=gettext_lazy("counts"))
    def counts_shown(self, change_set):
        return counts_text(change_set.counts)

    @admin.display(description=gettext_lazy("state"))
    def state(self, change_set):
        return _("undone") if change_set.undone else _("imported")

    def get_urls(self):
        return [
            path(
                "<int:pk>/undo/",
                self.admin_site.admin_view(self.undo_view),
                name="transfer_changeset_undo",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change_set = self.get_object(request, unquote(object_id))  # None for "abc" too
        if change_set is None:
            raise Http404(_("There is no such import."))
        if not self.has_view_permission(request, change_set):
            raise PermissionDenied
        changes = change_set.changes.select_related("content_type")
        page = Paginator(changes, self.CHANGES_PER_PAGE).get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request),
            "title": str(change_set),
            "opts": self.model._meta,
            "change_set": change_set,
            "counts": counts_text(change_set.counts),
            "page": page,
            "can_undo": self.has_undo_permission(request) and not change_set.undone,
            "undo_url": reverse("admin:transfer_changeset_undo", args=[change_set.pk]),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.change_form_template, context)

    def undo_view(self, request, pk):
        change_set = get_object_or_404(ChangeSet, pk=pk)
        if not self.has_undo_permission(request):
            raise PermissionDenied
        detail_url = reverse("admin:transfer_changeset_change", args=[pk])
        try:
            if request.method == "POST":
                plan = undo(change_set, request.user)
                messages.success(request, undo_message(plan))
                return HttpResponseRedirect(detail_url)
            plan = plan_undo(change_set)
        except UndoRefused as refusal:
            messages.error(request, str(refusal))
            return HttpResponseRedirect(detail_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Undo %(change_set)s") % {"change_set": change_set},
            "opts": self.model._meta,
            "change_set": change_set,
            "plan": plan,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/transfer/undo.html", context)


def counts_text(counts):
    partners, relationships = counts.get("partners", {}), counts.get("relationships", {})
    return _("Partners: %(pn)s new, %(pu)s updated. Relationships: %(rn)s new, %(ru)s updated.") % {
        "pn": partners.get("new", 0),
        "pu": partners.get("update", 0),
        "rn": relationships.get("new", 0),
        "ru": relationships.get("update", 0),
    }


def undo_message(plan):
    message = _("Import undone: %(fields)s values restored, %(objects)s objects deleted.") % {
        "fields": plan.restored_fields,
        "objects": plan.deleted_objects,
    }
    if plan.kept:
        message += " " + _(
            "%(count)s changes made since the import were kept as they are; they are listed "
            "on this page."
        ) % {"count": len(plan.kept)}
    return message


# --- the column mappings remembered for files in their own headers ---


@admin.register(SavedMapping)
class SavedMappingAdmin(admin.ModelAdmin):
    """Made only by mapping a file's columns (or `--save-mapping`); an editor may delete one."""

    list_display = ["headers_shown", "name", "mapping_shown", "updated", "user_name"]
    search_fields = ["name", "user_name"]
    fields = ["name", "headers_shown", "mapping_shown", "user_name", "created", "updated"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("headers of the file"))
    def headers_shown(self, saved):
        return ", ".join(saved.headers)

    @admin.display(description=gettext_lazy("mapping"))
    def mapping_shown(self, saved):
        return describe(saved.mapping, saved.headers)
