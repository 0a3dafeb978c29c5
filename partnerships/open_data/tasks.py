"""Write the open data's files in the background once a change is committed, once for many.

Every change moves the content version (`ContentChange.touch`) and, once committed, announces
it (`content_published`, connected in signals.py). A transaction that saved a thousand rows
announces a thousand versions; the first enqueues a write and notes the version committed at
that moment, which the write will include since it reads the version later, and every version
up to that one then needs nothing more. Versions are committed in their order (touch takes the
version's row lock), so everything up to the noted version is committed before it.

That note is per process; the write itself skips a version that is written already
(`files.write_current`), so the site's and the worker's processes announcing the same change
cost one write.
"""

import logging
import threading

from django_tasks import task

from ..models import ContentChange
from . import files

logger = logging.getLogger(__name__)

# Below the default (0): an editor's import waiting for the worker goes first.
WRITE_PRIORITY = -10

_schedule_lock = threading.Lock()
_scheduled = False
_scheduled_through = None  # the latest version the last write this process enqueued includes


@task(priority=WRITE_PRIORITY)
def write_open_data():
    files.write_current()


def schedule_write(version):
    """Enqueue a write of the files unless one this process enqueued includes `version` (a
    committed content version, or None where no change was ever recorded)."""
    global _scheduled, _scheduled_through
    with _schedule_lock:
        if _scheduled and not is_later(version, _scheduled_through):
            return False
        noted = _scheduled, _scheduled_through
        _scheduled, _scheduled_through = True, ContentChange.last()
    try:
        write_open_data.enqueue()
    except BaseException:
        with _schedule_lock:
            _scheduled, _scheduled_through = noted
        raise
    return True


def is_later(version, than):
    if version is None:
        return False
    return than is None or version > than


def forget_scheduled():
    """As in a new process (for the tests)."""
    global _scheduled, _scheduled_through
    with _schedule_lock:
        _scheduled, _scheduled_through = False, None


def try_schedule_write(version):
    """`schedule_write`, where a queue that cannot be reached must not turn the page into an
    error: after a change's commit (the editor's change is saved), or for a reader who can be
    given the previous files. The next change or request enqueues the write again."""
    try:
        schedule_write(version)
    except Exception:
        logger.exception("Could not enqueue the open data's files to be written again.")


def write_after_change(sender, changed_at, **kwargs):
    try_schedule_write(changed_at)
