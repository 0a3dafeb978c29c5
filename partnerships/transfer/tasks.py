"""The background work of an admin import: check a run's file, and write it once confirmed.

Both run in Django's tasks framework (django-tasks; the queue's backend is set in
config/settings.py), in the uploader's language, each in one transaction that also moves the
run to its next state, so a run that says it is done is done, and a task that dies takes its
changes with it (runs.py says how its run is then marked failed).
"""

import io
from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from . import runs
from .changes import ImportSource
from .engine import import_table, refresh_statistics
from .mapping import FileColumns, columns_to_map, recall, recalled_form
from .models import ImportRun
from .reading import FileProblem, open_table

State = ImportRun.State

# The admin takes files of up to this many rows and bytes.
MAX_ROWS = 250_000
MAX_BYTES = 100 * 1024 * 1024
# A preview shows every error and every loss (up to rows.MAX_ERRORS) but only this many rows.
PREVIEW_ROWS = 1000
# Imports are written one after the other: each plans its changes on what the last one wrote.
IMPORT_LOCK = 0x5041525453  # "PARTS"; an arbitrary key for PostgreSQL's advisory lock


def run_import(run, phase, **kwargs):
    """The engine over the run's file: (report, None), or (None, why the file can't be read)."""
    try:
        table = open_table(io.BytesIO(run.data), filename=run.file_name, max_bytes=MAX_BYTES)
    except FileProblem as problem:
        return None, str(problem)
    runs.report_progress(run.pk, phase, 0)
    report = import_table(
        table,
        max_rows=MAX_ROWS,
        mapping=run.mapping,
        progress=lambda rows: runs.report_progress(run.pk, phase, rows),
        **kwargs,
    )
    return report, None


@task()
def check_import(run_pk):
    run = ImportRun.objects.filter(pk=run_pk).first()
    if run is None or not runs.move(run, [State.QUEUED], State.CHECKING):
        return  # cancelled or expired before a worker came to it
    with translation.override(run.language), failing(run):
        with transaction.atomic():
            if not runs.lock_for_task(run):
                return
            report, problem = run_import(run, "check", dry_run=True, keep_outcomes=PREVIEW_ROWS)
            columns = recalled_columns = None
            if report is not None and not report.ok:
                columns = columns_to_choose(run, report)
                if columns is not None and run.mapping is None:
                    saved = recall(columns.headers)
                    form = saved and recalled_form(columns, saved.mapping)
                    if form:  # the mapping saved for these headers fits: as last time
                        run.mapping, run.mapping_recalled = form.mapping(), True
                        recalled_columns = {"headers": columns.headers, "samples": columns.samples}
                        report, problem = run_import(
                            run, "check", dry_run=True, keep_outcomes=PREVIEW_ROWS
                        )
                        columns = None if report.ok else columns
            mapping = {"mapping": run.mapping, "mapping_recalled": run.mapping_recalled}
            if problem:
                runs.move(run, [State.CHECKING], State.REFUSED, message=problem, data=b"")
            elif columns is not None:
                # A mapping that did not work is shown with its errors, above the drop-downs.
                errors = report.as_preview() if run.mapping is not None else None
                runs.move(
                    run,
                    [State.CHECKING],
                    State.MAPPING,
                    columns={"headers": columns.headers, "samples": columns.samples},
                    preview=errors,
                    **mapping,
                )
            elif report.ok:
                runs.move(
                    run,
                    [State.CHECKING],
                    State.PREVIEW,
                    preview=report.as_preview(),
                    preview_digest=report.digest,
                    rows=report.rows_read,
                    # The file's headers, in order: the note on the mapping names them so.
                    columns=recalled_columns or run.columns,
                    **mapping,
                )
            else:
                runs.move(
                    run,
                    [State.CHECKING],
                    State.REFUSED,
                    preview=report.as_preview(),
                    rows=report.rows_read,
                    data=b"",
                )


def columns_to_choose(run, report):
    """The file's columns, if the editor should choose them: the check stopped at headers the
    import does not know, or the editor's mapping led to errors (to be changed, or cancelled)."""
    columns = columns_to_map(report, bytes(run.data), run.file_name)
    if columns is None and run.mapping is not None and not run.mapping_recalled:
        columns = FileColumns.read(bytes(run.data), run.file_name)
    return columns


@task()
def write_import(run_pk):
    run = ImportRun.objects.filter(pk=run_pk).first()
    if run is None or not runs.move(run, [State.CONFIRMED], State.WRITING):
        return
    with translation.override(run.language), failing(run):
        with transaction.atomic():
            if not runs.lock_for_task(run):
                return
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
            report, problem = run_import(
                run,
                "write",
                dry_run=False,
                user=run.user,
                source=ImportSource.from_bytes(run.file_name, bytes(run.data)),
                expected_digest=run.preview_digest,
                keep_outcomes=PREVIEW_ROWS,
            )
            if problem or report.error_count:
                preview = report.as_preview() if report else None
                message = problem or _("Nothing was imported: %(error)s") % {
                    "error": report.errors[0]
                }
                runs.move(
                    run, [State.WRITING], State.REFUSED, preview=preview, message=message, data=b""
                )
            elif report.stale:
                runs.move(
                    run,
                    [State.WRITING],
                    State.PREVIEW,
                    preview=report.as_preview(),
                    preview_digest=report.digest,
                    message=_(
                        "The partners changed since your preview, so nothing was imported yet. "
                        "This is the preview as it is now: check it and confirm again."
                    ),
                )
            elif report.change_set is None:
                runs.move(run, [State.WRITING], State.UNCHANGED, data=b"")
            else:
                runs.move(run, [State.WRITING], State.DONE, change_set=report.change_set, data=b"")
    if run.state == State.DONE:
        refresh_statistics(report.rows_read)


@contextmanager
def failing(run):
    """Mark the run failed if its task ends with an exception (the transaction was rolled back
    already), whatever it was: a bug, the database gone, the worker told to stop at once."""
    try:
        yield
    except BaseException:
        runs.move(
            run,
            [State.CHECKING, State.WRITING],
            State.FAILED,
            data=b"",
            message=_(
                "The import stopped with an error before it ended. Nothing of this file was "
                "written. Upload it again; if it happens again, tell the site's "
                "administrators (the error is in the task worker's log)."
            ),
        )
        raise
