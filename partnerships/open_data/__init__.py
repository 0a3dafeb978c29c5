"""Open data: every published partnership as CSV, JSON and GeoJSON, written to files on change.

At national scale (57,000 partners) the JSON is 42 MB and took 18-21 s to render, so it is not
rendered per request, nor kept in the shared cache: after every change the task worker writes
the three files to disk, and the views serve the current files as they are.

- `files.py` writes the files: one pass over the partners, each file streamed row by row (the
  documents come from `transfer/export.py`, as every export's do), into a folder of their own
  named for the content version, which then becomes the current one by swapping the symbolic
  link `current` (an atomic rename). A reader always gets three complete files of one version:
  the previous ones until the new ones are all written. The previous folder is kept, so that a
  download that began before the swap reads on from it; older ones are deleted.
- `tasks.py` has the files written after a change is committed, by the task worker: however many
  changes a transaction made (an import of 50,000 rows, an admin delete of hundreds), each
  process enqueues one write for them, and a write finds the version it would write already
  written and does nothing. `manage.py write_open_data` writes them too (deploys, cron).
- `views.py` serves the current files with their ETag (the version they hold) and Last-Modified,
  answering "has it changed?" with a 304. Files older than the content are served (and a write
  enqueued, in case the change's own was lost) until the new ones are in place; where there are
  no files at all (a fresh install, an emptied folder), the first request writes them, once.

The files live in settings.OPEN_DATA_ROOT; nginx may serve `current/` itself (docs/deploy.md).
"""

# The pages name the open data's licence too (views.py: the overview's open-data section).
from ..transfer.export import licence  # noqa: E402, F401
