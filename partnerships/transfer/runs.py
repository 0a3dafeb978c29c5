"""An uploaded file's way through the admin, as an ImportRun, checked and written in the background.

    upload ─▶ queued ─▶ checking ─▶ preview ─(confirm)─▶ confirmed ─▶ writing ─▶ done / unchanged
                            └────▶ refused       └─(cancel)─▶ cancelled     └────▶ failed
                                                 └─(timeout)─▶ expired

The tasks (`tasks.py`) do the work; this module moves a run from one state to the next. Every
move is one UPDATE that names the state it leaves, so two requests (a double click, a confirm
and a cancel, a worker and a page that thinks it lost) never both win.

A worker that dies (killed, restarted, out of memory) leaves its run "checking" or "writing",
and the import's transaction is rolled back by the database, so nothing of it is written. The
run is then marked failed by the next page that shows it (`notice_lost`). How a dead worker is
told from a busy one:
- PostgreSQL: the task holds a lock on its run's row for as long as its transaction is open.
  A row that can be locked, though its run says it is being worked on, has no worker left.
- SQLite has no row locks. There the task's progress doubles as its heartbeat: a run without
  news for IMPORT_LOST_AFTER seconds is taken as lost. While the task writes, SQLite refuses
  every other write, so marking a living run failed cannot succeed either.

Progress (rows read and checked, rows written) is reported while the import's transaction is
still open, where the database cannot take it; it goes into the "import_progress" cache
(Redis, or files on this machine; config/settings.py).
"""

import datetime
import hashlib
import secrets
import time

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .changes import user_name
from .models import ImportRun

State = ImportRun.State
# What a step of the run changes (not the file's bytes, which can be 100 MB).
FIELDS_OF_STEPS = [
    "state",
    "updated",
    "rows",
    "preview",
    "preview_digest",
    "message",
    "mapping",
    "mapping_recalled",
    "columns",
    "change_set",
]
# A run that starts working gets this long before the absence of a lock or of progress counts.
GRACE_SECONDS = 10


def lost_after():
    return settings.IMPORT_LOST_AFTER


def progress_cache():
    return caches["import_progress"]


def progress_key(run_pk):
    return f"run:{run_pk}"


def report_progress(run_pk, phase, rows):
    """What the task has done: `phase` is "check" or "write", `rows` how many rows so far."""
    try:
        progress_cache().set(
            progress_key(run_pk),
            {"phase": phase, "rows": rows, "at": time.time()},
            timeout=max(lost_after() * 4, 3600),
        )
    except Exception:  # noqa: BLE001 - progress is news for a page, never a reason to stop
        pass


def progress_of(run):
    try:
        return progress_cache().get(progress_key(run.pk)) or {}
    except Exception:  # noqa: BLE001
        return {}


def move(run, leaving, entering, **fields):
    """Move the run from one of the `leaving` states to `entering`; False if another did first."""
    fields["updated"] = timezone.now()
    moved = ImportRun.objects.filter(pk=run.pk, state__in=leaving).update(state=entering, **fields)
    if moved:
        run.state = entering
        for name, value in fields.items():
            setattr(run, name, value)
    return bool(moved)


# --- the editor's steps ---


def start(user, file_name, data, language, mapping=None):
    """Keep the upload as a run of its uploader and queue its check; return the run."""
    expire_old()
    run = ImportRun.objects.create(
        token=secrets.token_urlsafe(32),
        user=user,
        user_name=user_name(user),
        language=language,
        file_name=file_name[:255],
        file_size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        mapping=mapping,
    )
    from .tasks import check_import

    check_import.enqueue(run.pk)
    # The immediate backend (tests) has checked it already; the file's bytes need no reload.
    run.refresh_from_db(fields=FIELDS_OF_STEPS)
    return run


def of_user(user, token):
    """The user's own run with this token (None for another's, an unknown or a malformed one)."""
    if not isinstance(token, str) or not token or len(token) > 64:
        return None
    return ImportRun.objects.defer("data").filter(token=token, user=user).first()


def confirm(run):
    """The editor confirmed the preview: queue the write. False if it is no longer waiting."""
    if run.state == State.PREVIEW and waited_too_long(run):
        expire(run)
        return False
    if not move(run, [State.PREVIEW], State.CONFIRMED, message=""):
        return False
    from .tasks import write_import

    write_import.enqueue(run.pk)
    run.refresh_from_db(fields=FIELDS_OF_STEPS)
    return True


def cancel(run):
    return move(run, [State.QUEUED, State.MAPPING, State.PREVIEW], State.CANCELLED, data=b"")


def mapped(run, mapping):
    """The editor chose the columns: check the file again, with them."""
    if not move(run, [State.MAPPING], State.QUEUED, mapping=mapping, mapping_recalled=False):
        return False
    from .tasks import check_import

    check_import.enqueue(run.pk)
    return True


def map_again(run):
    """From the preview back to the mapping step, with the columns chosen so far."""
    from .mapping import FileColumns

    columns = run.columns
    if columns is None:
        read = FileColumns.read(bytes(ImportRun.objects.get(pk=run.pk).data), run.file_name)
        columns = {"headers": read.headers, "samples": read.samples} if read else None
    if columns is None:
        return False
    return move(run, [State.PREVIEW], State.MAPPING, columns=columns, preview=None)


# --- time ---


def waited_too_long(run):
    limit = datetime.timedelta(seconds=settings.IMPORT_UPLOAD_TIMEOUT)
    return run.updated < timezone.now() - limit


WAITING_FOR_EDITOR = [State.MAPPING, State.PREVIEW]


def expire(run):
    return move(run, WAITING_FOR_EDITOR, State.EXPIRED, data=b"")


def expire_old():
    """Runs whose preview waited longer than IMPORT_UPLOAD_TIMEOUT end; their files go.
    (A queued run is not expired here: it waits for a worker, not for its editor.)"""
    oldest = timezone.now() - datetime.timedelta(seconds=settings.IMPORT_UPLOAD_TIMEOUT)
    expired = ImportRun.objects.filter(state__in=WAITING_FOR_EDITOR, updated__lt=oldest).update(
        state=State.EXPIRED, data=b"", updated=timezone.now()
    )
    ImportRun.objects.filter(state__in=ImportRun.ENDED).exclude(data=b"").update(data=b"")
    return expired


# --- a worker that is gone ---


def notice_lost(run):
    """Mark the run failed if it says it is worked on and no worker is working on it."""
    if run.state not in (State.CHECKING, State.WRITING):
        return False
    if (timezone.now() - run.updated).total_seconds() < min(GRACE_SECONDS, lost_after()):
        return False
    try:
        if connection.features.has_select_for_update_skip_locked:
            with transaction.atomic():
                # The task's transaction holds this row's lock: skipped while it lives.
                if (
                    ImportRun.objects.select_for_update(skip_locked=True)
                    .filter(pk=run.pk, state=run.state)
                    .exists()
                ):
                    return mark_failed(run)
                return False
        # SQLite: by the heartbeat, and outside a transaction, which would wait for the writer.
        news = progress_of(run).get("at", 0)
        if time.time() - max(news, run.updated.timestamp()) < lost_after():
            return False
        return mark_failed(run)
    except DatabaseError:
        return False  # SQLite is busy with a write: a worker is at work


def mark_failed(run):
    return move(
        run,
        [State.CHECKING, State.WRITING],
        State.FAILED,
        data=b"",
        message=_(
            "The import stopped before it ended: the task worker was stopped or restarted. "
            "Nothing of this file was written. Upload it again to import it."
        ),
    )


def lock_for_task(run):
    """Inside the task's transaction: hold the run's row (see the module's docstring) and make
    sure that no page marked it failed meanwhile. Returns False if it did."""
    # An UPDATE locks the row on PostgreSQL, and on SQLite takes the database's write lock.
    return ImportRun.objects.filter(pk=run.pk, state=run.state).update(updated=timezone.now()) > 0
