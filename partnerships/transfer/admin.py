"""Import and Export on the partner and relationship lists; the lists of imports and their undo.

Export is django-import-export's (its form, its formats written by `export.py`). Import has
views of its own, on the addresses django-import-export gives them (`…/import/` and
`…/process_import/`), and a page for each uploaded file (`…/import/<token>/`). Every file goes
the same way, whatever its size (runs.py has the states, tasks.py the work):

1. upload: the file is kept as an ImportRun of its uploader and checked in the background;
   its page shows the rows read and checked as they go, then the preview (old → new, the
   changes that destroy information first);
2. confirm (by the run's token) queues the write, which runs in the background too, only if it
   would still change exactly what the preview showed, and is recorded as a change set; cancel
   ends the run and drops its file.

A file with headers the import does not know stops after its check at a mapping step
(`mapping.py`): the editor gives each unknown header a column or ignores it, and the check runs
again with that mapping, which the write uses too and which is remembered for the next file with
the same headers (that file goes straight to its preview, saying so).

"Import runs" lists every file and what became of it; "Imports" lists each written change set
with every change, and Undo.
"""

import io

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats
from import_export.forms import ExportForm

from . import runs
from .changes import UndoRefused, plan_undo, undo
from .export import ODS_MIMETYPE, ods_bytes, write_csv, xlsx_bytes
from .mapping import ColumnMappingForm, FileColumns, describe, recall, remember
from .models import ChangeSet, ImportRun, SavedMapping
from .rows import ImportReport
from .tasks import MAX_BYTES, MAX_ROWS
from .template import template_response

State = ImportRun.State
# A queued file that no worker took after this long: the page says a worker must be running.
NO_WORKER_AFTER_SECONDS = 15


class ImportUploadForm(forms.Form):
    import_file = forms.FileField(
        label=gettext_lazy("File to import"),
        help_text=gettext_lazy("CSV, Excel (XLSX), LibreOffice (ODS) or JSON"),
    )

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        # Refuse before the upload is read into memory.
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; files up to %(limit)s can be imported here.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES)}
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
    """Import (upload, background check, preview, confirm, background write; recorded and
    undoable) and export of the file."""

    export_formats = [EscapedCSV, EscapedXLSX, EscapedODS]
    export_form_class = ExportForm
    import_template_name = "admin/transfer/import.html"

    def get_urls(self):
        info = self.get_model_info()
        view = self.admin_site.admin_view
        return [
            path(
                "cancel_import/", view(self.cancel_import), name="{}_{}_cancel_import".format(*info)
            ),
            # Before the run's page, whose <token> would take these addresses.
            path(
                "import/columns/",
                self.admin_site.admin_view(self.map_columns),
                name="{}_{}_map_columns".format(*info),
            ),
            path("import/<str:token>/", view(self.run_view), name="{}_{}_import_run".format(*info)),
            path(
                "import/<str:token>/progress/",
                view(self.run_progress),
                name="{}_{}_import_progress".format(*info),
            ),
            # Before the admin's own addresses, whose "<path:object_id>/" would take this one.
            path(
                "import/template.<str:file_format>",
                self.admin_site.admin_view(self.import_template),
                name="{}_{}_import_template".format(*info),
            ),
            *super().get_urls(),
        ]

    def admin_url(self, name, *args):
        return reverse("admin:{}_{}_{}".format(*self.get_model_info(), name), args=args)

    def render_import(self, request, **context):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "opts": self.model._meta,
            "confirm_url": self.admin_url("process_import"),
            "cancel_url": self.admin_url("cancel_import"),
            "columns_url": self.admin_url("map_columns"),
            "changesets_url": reverse("admin:transfer_changeset_changelist"),
            "runs_url": reverse("admin:transfer_importrun_changelist"),
            "max_rows": number_format(MAX_ROWS, force_grouping=True),
            "import_url": self.admin_url("import"),
            "template_urls": {
                file_format: self.admin_url("import_template", file_format)
                for file_format in ("xlsx", "ods")
            },
            **context,
        }
        run = context.get("run")
        context.setdefault("show_upload", run is None or run.state in ImportRun.ENDED)
        context.setdefault("form", ImportUploadForm())
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def import_action(self, request, **kwargs):
        """The upload form (with the editor's files still under way); an upload starts a run."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return self.render_import(request, waiting=self.waiting_runs(request))
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_import(request, form=form)
        upload = form.cleaned_data["import_file"]
        run = runs.start(request.user, upload.name, b"".join(upload.chunks()), get_language())
        return HttpResponseRedirect(self.admin_url("import_run", run.token))

    def waiting_runs(self, request):
        return [
            (run, self.admin_url("import_run", run.token))
            for run in ImportRun.objects.defer("data", "preview")
            .filter(user=request.user, state__in=[*ImportRun.ACTIVE, *runs.WAITING_FOR_EDITOR])
            .order_by("-created")[:10]
        ]

    def user_run(self, request, token):
        if not self.has_import_permission(request):
            raise PermissionDenied
        run = runs.of_user(request.user, token)
        if run is None:
            raise Http404(_("There is no such import of yours."))
        runs.notice_lost(run)
        if run.state in runs.WAITING_FOR_EDITOR and runs.waited_too_long(run):
            runs.expire(run)
        return run

    def run_view(self, request, token, mapping_form=None):
        """A file's page: its progress, its mapping step, its preview, or what became of it."""
        run = self.user_run(request, token)
        report = ImportReport.from_preview(run.preview) if run.preview else None
        context = {"run": run, "report": report, "progress": self.progress_of(run)}
        if run.state == State.PREVIEW:
            context["token"] = run.token
        if run.state == State.MAPPING:
            context["mapping_form"] = mapping_form or self.mapping_form(run)
            context["token"] = run.token
        elif run.mapping and run.state == State.PREVIEW:
            if run.mapping_recalled:
                note = _("Columns mapped as last time: %(mapping)s.")
            else:
                note = _("Columns mapped: %(mapping)s.")
            headers = run.columns["headers"] if run.columns else list(run.mapping)
            context["mapped_note"] = note % {"mapping": describe(run.mapping, headers)}
            context["mapping_token"] = run.token
        if run.active:
            context["progress_url"] = self.admin_url("import_progress", run.token)
        if run.state == State.DONE and run.change_set_id:
            context["change_set_url"] = reverse(
                "admin:transfer_changeset_change", args=[run.change_set_id]
            )
        return self.render_import(request, **context)

    def run_progress(self, request, token):
        """The progress as JSON, for the run page's script (static/js/import-progress.js)."""
        run = self.user_run(request, token)
        return JsonResponse(
            {"state": run.state, "active": run.active, **self.progress_of(run)},
            headers={"Cache-Control": "no-store"},
        )

    def progress_of(self, run):
        """What the run's page says about its progress: a sentence, and the counts for a bar."""
        news = runs.progress_of(run) if run.active else {}
        rows = news.get("rows", 0)
        shown = number_format(rows, force_grouping=True)
        total = number_format(run.rows or 0, force_grouping=True)
        waited = (timezone.now() - run.updated).total_seconds()
        if run.state in (State.QUEUED, State.CONFIRMED):
            text = (
                _("Waiting for the task worker to check the file.")
                if run.state == State.QUEUED
                else _("Confirmed. Waiting for the task worker to write the import.")
            )
            if waited > NO_WORKER_AFTER_SECONDS:
                text += " " + _(
                    "No task worker has taken it yet. If this stays so, the site's "
                    "administrators must start one (manage.py db_worker, docs/deploy.md); "
                    "the file waits until then."
                )
        elif run.state == State.CHECKING:
            text = _("Checking: %(rows)s rows read and checked so far.") % {"rows": shown}
        elif run.state == State.WRITING:
            text = _(
                "Writing: %(rows)s of %(total)s rows imported so far. Nothing counts until "
                "all of them are."
            ) % {"rows": shown, "total": total}
        else:
            text = run.get_state_display()
        return {
            "text": text,
            "rows": rows,
            "total": run.rows if run.state == State.WRITING else None,
        }

    def process_import(self, request, **kwargs):
        """Confirm: queue the write of the run the token names, if it is the user's and waiting."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(self.admin_url("import"))
        run = runs.of_user(request.user, request.POST.get("token", ""))
        if run is None or not runs.confirm(run):
            messages.error(request, not_waiting_message())
            return HttpResponseRedirect(self.admin_url("import"))
        return HttpResponseRedirect(self.admin_url("import_run", run.token))

    def import_template(self, request, file_format):
        """The empty file to fill in (`template.py`), in the editor's language, as XLSX or ODS."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        return template_response(file_format)

    # --- the mapping step, for a file with headers the import does not know ---

    def mapping_form(self, run, data=None):
        """The drop-downs for the run's unknown headers, preselected with the editor's last
        choice for this file, else with the mapping saved for these headers."""
        columns = FileColumns(**run.columns)
        recalled = run.mapping
        if recalled is None:
            saved = recall(columns.headers)
            recalled = saved.mapping if saved else None
        return ColumnMappingForm(columns.headers, columns.samples, recalled, data=data)

    def map_columns(self, request):
        """The editor's mapping of a run's columns; or "change" from the run's preview."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(self.admin_url("import"))
        run = runs.of_user(request.user, request.POST.get("token", ""))
        if run is None or run.state not in (State.MAPPING, State.PREVIEW):
            messages.error(request, not_waiting_message())
            return HttpResponseRedirect(self.admin_url("import"))
        page_url = self.admin_url("import_run", run.token)
        if "change" in request.POST:
            if run.state == State.PREVIEW:
                runs.map_again(run)
            return HttpResponseRedirect(page_url)
        if run.state != State.MAPPING:
            return HttpResponseRedirect(page_url)
        form = self.mapping_form(run, data=request.POST)
        if not form.is_valid():
            return self.run_view(request, run.token, mapping_form=form)
        remember(run.columns["headers"], form.mapping(), request.user)
        runs.mapped(run, form.mapping())
        return HttpResponseRedirect(page_url)

    def cancel_import(self, request):
        if request.method == "POST":
            run = runs.of_user(request.user, request.POST.get("token", ""))
            if run is not None and runs.cancel(run):
                messages.info(request, _("Import cancelled; the uploaded file was deleted."))
        return HttpResponseRedirect(self.admin_url("changelist"))


def not_waiting_message():
    return _(
        "This upload is no longer waiting to be imported: it was imported or cancelled "
        "already, it timed out, or it is another user's. Upload the file again."
    )


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Every file uploaded for import, and what became of it."""

    list_display = ["file_name", "created", "user_name", "rows_shown", "state", "result"]
    list_filter = ["state"]
    search_fields = ["file_name", "user_name"]
    date_hierarchy = "created"

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data", "preview", "columns")

    def changelist_view(self, request, extra_context=None):
        # A run whose worker died says so here too, not only on its own page.
        working = [State.CHECKING, State.WRITING]
        for run in ImportRun.objects.defer("data", "preview", "columns").filter(state__in=working):
            runs.notice_lost(run)
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        return ["file_name", "file_size", "created", "updated", "user_name", "state", "rows"]

    @admin.display(description=gettext_lazy("rows"), ordering="rows")
    def rows_shown(self, run):
        return "–" if run.rows is None else number_format(run.rows, force_grouping=True)

    @admin.display(description=gettext_lazy("result"))
    def result(self, run):
        if run.change_set_id:
            url = reverse("admin:transfer_changeset_change", args=[run.change_set_id])
            return format_html(
                '<a href="{}">{}</a>', url, _("Import #%(n)s") % {"n": run.change_set_id}
            )
        return run.message


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


def grouped(number):
    return number_format(number, force_grouping=True)


def counts_text(counts):
    if "translations" in counts:  # an XLIFF import (translating/xliff.py)
        from ..translating.fields import language_name

        translations = counts["translations"]
        return _("Translations into %(language)s: %(texts)s texts in %(objects)s objects.") % {
            "language": language_name(translations["language"]),
            "texts": grouped(translations["texts"]),
            "objects": grouped(translations["objects"]),
        }
    partners, relationships = counts.get("partners", {}), counts.get("relationships", {})
    return _("Partners: %(pn)s new, %(pu)s updated. Relationships: %(rn)s new, %(ru)s updated.") % {
        "pn": grouped(partners.get("new", 0)),
        "pu": grouped(partners.get("update", 0)),
        "rn": grouped(relationships.get("new", 0)),
        "ru": grouped(relationships.get("update", 0)),
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
