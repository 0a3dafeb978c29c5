"""The open data's files on disk: written for one content version at a time, swapped in whole.

    OPEN_DATA_ROOT/
        current -> 20261201T153251123456Z-3f9a0c1d2e4b-7c1e09aa
        20261201T153251123456Z-3f9a0c1d2e4b-7c1e09aa/  partnerships.csv  partnerships.json
                                                        partners.geojson  associations.json
                                                        events.json  jubilees.json
        20261201T150003000001Z-3f9a0c1d2e4b-51d0b2f3/  (the previous version, kept)
        .lock

A version's folder is named for what its files hold (the content version and the edition key:
the release and everything else that shapes the files) and a random suffix, so a rewrite of the
same content never collides with its folder. It is written under another name and renamed
once complete; then `current` is pointed at it by renaming a new symbolic link over it, which
readers see either before or after, never half-way. Each file's modification time is the
content version, so that nginx serving `current/` gives the same Last-Modified as the views.

One writer at a time (the lock file, across the site's and the worker's processes on a machine
or on shared storage): a writer that waited finds the version it would write written already.
"""

import contextlib
import datetime
import fcntl
import functools
import hashlib
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse

from ..exchanges import open_data as exchanges_data
from ..models import ContentChange, Partner
from ..transfer.columns import escape_formula
from ..transfer.export import (
    EXPORT_CHUNK,
    JsonListWriter,
    PartnershipResource,
    csv_writer,
    geojson_envelope,
    geojson_feature,
    json_envelope,
    json_row,
    licence,
)


@dataclass(frozen=True)
class Document:
    file_name: str
    content_type: str


CSV = Document("partnerships.csv", "text/csv; charset=utf-8")
JSON = Document("partnerships.json", "application/json")
GEOJSON = Document("partners.geojson", "application/geo+json")
ASSOCIATIONS = Document("associations.json", "application/json")
EVENTS = Document("events.json", "application/json")
JUBILEES = Document("jubilees.json", "application/json")
# Each written from its own query after the partners' pass (partnerships/exchanges/open_data.py).
EXCHANGES_DOCUMENTS = {
    ASSOCIATIONS: exchanges_data.write_associations,
    EVENTS: exchanges_data.write_events,
    JUBILEES: exchanges_data.write_jubilees,
}
DOCUMENTS = (CSV, JSON, GEOJSON, *EXCHANGES_DOCUMENTS)

CURRENT = "current"
LOCK = ".lock"
UNFINISHED_PREFIX = ".writing-"
# Only folders named like this are ever deleted, whatever else OPEN_DATA_ROOT may hold.
EDITION_RE = re.compile(r"^(?:\d{8}T\d{12}Z|unchanged)-[0-9a-f]{12}-[0-9a-f]{8}$")
UNFINISHED_RE = re.compile(rf"^{re.escape(UNFINISHED_PREFIX)}[0-9a-f]{{16}}$")
# How often a reader tries again when the folder it found was deleted before it could open it
# (two newer versions were written in between, each in well under a second at that size).
OPEN_ATTEMPTS = 3


@dataclass(frozen=True)
class Edition:
    """One version's folder of files."""

    name: str
    path: Path

    @property
    def content_id(self):
        """What the files hold (the folder's name without its random suffix)."""
        return self.name.rsplit("-", 1)[0]


def root():
    return Path(settings.OPEN_DATA_ROOT)


@functools.cache
def export_headers():
    return tuple(PartnershipResource().get_export_headers())


def content_id(version):
    """What files written now for the content at `version` would hold: the version, and a key
    of everything else that goes into them (the release's code, the licence, the columns), so
    that a new release or licence has the files written again."""
    stamp = version.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ") if version else None
    shape = "\x1f".join([settings.RELEASE_ID, *licence(), *export_headers()])
    key = hashlib.sha256(shape.encode()).hexdigest()[:12]
    return f"{stamp or 'unchanged'}-{key}"


def current_edition():
    """The folder `current` points at, or None before the first write."""
    try:
        name = os.readlink(root() / CURRENT)
    except FileNotFoundError:
        return None
    return Edition(name, root() / name)


def open_current(document):
    """(The current edition, its `document` opened for reading), or (None, None) if there is
    no current edition yet. The open file reads on even if its folder is deleted meanwhile."""
    for attempt in range(OPEN_ATTEMPTS):
        edition = current_edition()
        if edition is None:
            return None, None
        try:
            return edition, open(edition.path / document.file_name, "rb")  # noqa: SIM115
        except FileNotFoundError:
            if attempt == OPEN_ATTEMPTS - 1:
                raise


def write_current(*, force=False):
    """Write the files for the content as it is now and make them the current ones, unless
    they are the current ones already (or `force`). Returns the new edition, or None."""
    directory = root()
    directory.mkdir(parents=True, exist_ok=True)
    with writing_lock(directory), snapshot():
        version = ContentChange.last()
        previous = current_edition()
        if not force and previous is not None and previous.content_id == content_id(version):
            return None
        remove_unfinished(directory)
        unfinished = directory / f"{UNFINISHED_PREFIX}{secrets.token_hex(8)}"
        unfinished.mkdir()
        try:
            write_documents(unfinished, version)
        except BaseException:
            shutil.rmtree(unfinished, ignore_errors=True)  # a killed writer's: the next write's
            raise
        name = f"{content_id(version)}-{secrets.token_hex(4)}"
        edition = Edition(name, directory / name)
        unfinished.rename(edition.path)
        point_current_at(directory, edition.name)
        keep = {edition.name, previous.name if previous else None}
        remove_editions(directory, keep=keep)
        return edition


def write_documents(folder, version):
    """The partnerships' three files in one pass over the partners, each written row by row as
    it is read: the CSV and the JSON one row per relationship in the export's columns, the
    GeoJSON a point per partner with a position. Content as the export's documents
    (`transfer/export.py`). Then the associations', events' and jubilees' files, each from a
    query of its own."""
    resource = PartnershipResource()
    headers = resource.get_export_headers()
    columns = resource.export_columns()
    partners = (
        Partner.objects.published()
        .prefetch_related("relationships__kind")
        .order_by("slug")
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    with contextlib.ExitStack() as stack:

        def create(document):
            path = folder / document.file_name
            return stack.enter_context(open(path, "w", encoding="utf-8", newline=""))

        csv_file, json_file, geojson_file = (create(d) for d in (CSV, JSON, GEOJSON))
        table = csv_writer(csv_file)
        table.writerow(headers)
        # The JSON names the CSV by its path, which any reader resolves against the JSON's
        # own address: the files are written once for every host name the site answers to.
        json_document = {
            **json_envelope(headers, version),
            "partnerships": [],
            "csv": reverse("open-data-csv"),
        }
        rows = JsonListWriter(json_file, json_document, "partnerships", indent=1)
        features = JsonListWriter(
            geojson_file, {**geojson_envelope(version), "features": []}, "features"
        )
        for partner in partners:
            # Read once: each `relationships.all()` builds a queryset, a fifth of the time.
            relationships = list(partner.relationships.all())
            for row in resource.partner_rows(partner, columns, relationships):
                table.writerow([escape_formula(value) for value in row])
                rows.append(json_row(headers, row))
            feature = geojson_feature(partner, relationships)
            if feature is not None:
                features.append(feature)
        rows.close()
        features.close()
        written = [csv_file, json_file, geojson_file]
        for document, write in EXCHANGES_DOCUMENTS.items():
            stream = create(document)
            write(stream, version)
            written.append(stream)
        for file in written:
            # On disk before the folder is renamed: a crash must not leave a current half file.
            file.flush()
            os.fsync(file.fileno())
    if version is not None:
        since_epoch = version - datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
        nanoseconds = since_epoch // datetime.timedelta(microseconds=1) * 1000
        for document in DOCUMENTS:
            os.utime(folder / document.file_name, ns=(nanoseconds, nanoseconds))


@contextlib.contextmanager
def writing_lock(directory):
    """One writer at a time; the others wait for it (and then usually have nothing to do)."""
    with open(directory / LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield  # closing the file releases the lock


@contextlib.contextmanager
def snapshot():
    """Read the version and every row from one snapshot of the database.

    On PostgreSQL a read-only REPEATABLE READ transaction: a change committed while the files are
    being written is not half in them (it gets a write of its own). SQLite gets none: a
    transaction there takes the write lock (settings: transaction_mode IMMEDIATE) and would hold
    every editor's save for the whole write; a change in between is in the next write. Inside a
    transaction already (the tests), that transaction is the snapshot.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def point_current_at(directory, name):
    link = directory / f".{CURRENT}-{secrets.token_hex(8)}"
    os.symlink(name, link)  # relative, so that the folder may be moved or mounted elsewhere
    os.replace(link, directory / CURRENT)


def remove_unfinished(directory):
    """What a writer that died (killed, the machine down) left behind; only ever called under
    the lock, so no writer is writing there."""
    for entry in directory.iterdir():
        if UNFINISHED_RE.match(entry.name) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def remove_editions(directory, keep):
    for entry in directory.iterdir():
        if entry.name in keep or not EDITION_RE.match(entry.name):
            continue
        if entry.is_dir() and not entry.is_symlink():
            # A download still reading from here reads on: its file stays until it is closed.
            shutil.rmtree(entry, ignore_errors=True)
