"""Admin imports with the database task backend and a real `manage.py db_worker` process, as
`scripts/run` and a production server run them: progress while it works, the preview, the
write, and a worker killed half-way (nothing written, the run marked failed).

Each test starts its own worker on the test database (a file on SQLite; conftest.py), so these
tests commit (transactional_db) and take some seconds each; the 200,000-row import takes
minutes.
"""

import csv
import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from partnerships.demo import content
from partnerships.models import Partner, Relationship, RelationshipKind
from partnerships.transfer.models import ChangeSet, ImportRun
from tests.factories import make_partner

PROJECT = Path(__file__).resolve().parent.parent
State = ImportRun.State
pytestmark = pytest.mark.django_db(transaction=True)


def database_url():
    """The test database, as the worker process is told where it is."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    return (
        f"postgres://{database['USER']}{password}@{database['HOST'] or 'localhost'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


class Worker:
    def __init__(self, progress_dir, open_data_root):
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "TASKS_BACKEND": "database",
            "IMPORT_PROGRESS_DIR": str(progress_dir),
            # After an import it writes the open data's files too: not into the checkout.
            "OPEN_DATA_ROOT": str(open_data_root),
            "DATABASE_CONN_MAX_AGE": "0",
        }
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
            + ["--interval", "0.2", "-v0"],
            cwd=PROJECT,
            env=self.env,
        )

    def check_alive(self):
        assert self.process.poll() is None, "the worker stopped: see its output above"

    def kill(self):
        """As the kernel's OOM killer or a `kill -9` would: no chance to clean up."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker(settings, tmp_path):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.CACHES = {
        **settings.CACHES,
        "import_progress": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "progress"),
        },
    }
    for data in content.KINDS:
        RelationshipKind.objects.get_or_create(code=data["code"], defaults=data)
    worker = Worker(tmp_path / "progress", settings.OPEN_DATA_ROOT)
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def editor(client, django_user_model):
    # A superuser: the editors' group comes from a data migration, which the flush after
    # each transactional test empties (their permissions are tested in test_import_changes).
    client.force_login(django_user_model.objects.create_superuser("importer"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def rows_file(count, prefix="Ort"):
    """A CSV of `count` new partners, each with a twin-city relationship."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(["name_de", "country", "relationship", "since", "population"])
    countries = ["PL", "FR", "GB", "IT", "ES", "CZ", "AT", "NL"]
    for number in range(1, count + 1):
        writer.writerow(
            [
                f"{prefix} {number:06d}",
                countries[number % 8],
                "twin_city",
                1950 + number % 70,
                number,
            ]
        )
    return stream.getvalue().encode()


def upload(client, data, name="large.csv"):
    response = client.post(
        reverse("admin:partnerships_partner_import"),
        {"import_file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 302
    return response["Location"]


def follow(client, page_url, leaving, timeout, worker):
    """Ask for the progress as the page's script does, until the run leaves the `leaving`
    states; return every progress seen."""
    token = page_url.rstrip("/").rsplit("/", 1)[-1]
    url = reverse("admin:partnerships_partner_import_progress", args=[token])
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        progress = client.get(url).json()
        seen.append(progress)
        if progress["state"] not in leaving:
            return seen
        worker.check_alive()
        time.sleep(0.3)
    raise AssertionError(f"still {seen[-1]} after {timeout} s")


def confirm(client, page_url):
    page = client.get(page_url)
    assert "token" in page.context, ImportRun.objects.values("state", "message", "preview")[0]
    token = page.context["token"]
    response = client.post(reverse("admin:partnerships_partner_process_import"), {"token": token})
    assert response["Location"] == page_url


def counts_rising(seen, state):
    rows = [progress["rows"] for progress in seen if progress["state"] == state]
    assert rows == sorted(rows), "progress never goes back"
    return rows


def test_200000_rows_are_checked_previewed_and_written_in_the_background(worker, editor):
    count = 200_000
    page_url = upload(editor, rows_file(count))

    seen = follow(editor, page_url, {State.QUEUED, State.CHECKING}, timeout=900, worker=worker)
    assert seen[-1]["state"] == State.PREVIEW, seen[-1]
    checked = counts_rising(seen, State.CHECKING)
    assert any(0 < rows < count for rows in checked), "the check's progress was shown"
    preview = editor.get(page_url)
    assert preview.context["report"].partners["new"] == count
    assert "Confirm import" in preview.content.decode()
    assert not Partner.objects.exists()  # the check wrote nothing

    confirm(editor, page_url)
    seen = follow(editor, page_url, {State.CONFIRMED, State.WRITING}, timeout=1200, worker=worker)
    assert seen[-1]["state"] == State.DONE, seen[-1]
    written = counts_rising(seen, State.WRITING)
    assert any(0 < rows < count for rows in written), "the write's progress was shown"
    writing = next(progress for progress in seen if progress["state"] == State.WRITING)
    assert writing["total"] == count

    run = ImportRun.objects.get()
    assert run.change_set.counts["partners"]["new"] == count
    assert Partner.objects.count() == count and Relationship.objects.count() == count
    assert "Import #" in editor.get(reverse("admin:transfer_importrun_changelist")).content.decode()


@pytest.mark.parametrize("phase", ["check", "write"])
def test_a_worker_killed_half_way_writes_nothing_and_the_run_says_so(
    worker, editor, settings, phase
):
    settings.IMPORT_LOST_AFTER = 2  # the SQLite way of telling: no progress for 2 s
    data = rows_file(40_000)
    page_url = upload(editor, data)
    busy = State.CHECKING
    if phase == "write":
        follow(editor, page_url, {State.QUEUED, State.CHECKING}, timeout=600, worker=worker)
        confirm(editor, page_url)
        busy = State.WRITING
    # Wait until the worker is well into the file, then kill it.
    token = page_url.rstrip("/").rsplit("/", 1)[-1]
    progress_url = reverse("admin:partnerships_partner_import_progress", args=[token])
    deadline = time.monotonic() + 300
    while True:
        progress = editor.get(progress_url).json()
        if progress["state"] == busy and progress["rows"] >= 2000:
            break
        assert progress["state"] in {State.QUEUED, State.CONFIRMED, busy}, progress
        assert time.monotonic() < deadline, progress
        worker.check_alive()
        time.sleep(0.1)
    worker.kill()
    time.sleep(3)

    page = editor.get(page_url).content.decode()

    run = ImportRun.objects.get()
    assert run.state == State.FAILED
    assert "Nothing of this file was written" in page
    assert not Partner.objects.exists() and not ChangeSet.objects.exists()
    assert bytes(run.data) == b""

    # A new worker takes the next file: the database was left in order.
    worker.start()
    page_url = upload(editor, rows_file(3, prefix="Neu"), name="small.csv")
    follow(editor, page_url, {State.QUEUED, State.CHECKING}, timeout=120, worker=worker)
    confirm(editor, page_url)
    assert (
        follow(editor, page_url, {State.CONFIRMED, State.WRITING}, timeout=120, worker=worker)[-1][
            "state"
        ]
        == State.DONE
    )
    assert Partner.objects.count() == 3


def test_a_save_that_waited_too_long_for_the_database_says_why(client, django_user_model):
    """SQLite: an editor's save behind a large import's write lock gives up after its timeout."""
    client.force_login(django_user_model.objects.create_superuser("editor"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.raise_request_exception = False

    with mock.patch(
        "django.contrib.admin.options.ModelAdmin.changeform_view",
        side_effect=OperationalError("database is locked"),
    ):
        response = client.post(reverse("admin:partnerships_partner_add"), {})

    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Nothing of what you sent was saved" in response.content.decode()


def test_two_editors_confirming_at_once_never_overwrite_each_other_unseen(django_user_model):
    """Both previews show the population as it was; both editors confirm at the same moment.
    The writes go one after the other, and the second, planned on what the first wrote, no
    longer matches its editor's preview: it is shown again instead of written."""
    make_partner(slug="testort", name_de="Testort", population=100)
    editors = []
    for name, population in (("anna", 5), ("ben", 7)):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(django_user_model.objects.create_superuser(name))
        data = f"slug,population\ntestort,{population}\n".encode()
        page_url = upload(client, data, name=f"{name}.csv")
        token = client.get(page_url).context["token"]
        editors.append((client, token))
    start = threading.Barrier(len(editors))

    def confirm_now(client, token):
        start.wait()
        client.post(reverse("admin:partnerships_partner_process_import"), {"token": token})
        connection.close()  # this thread's own connection

    threads = [threading.Thread(target=confirm_now, args=editor) for editor in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    states = sorted(ImportRun.objects.values_list("state", flat=True))
    assert states == [State.DONE, State.PREVIEW]
    written = ImportRun.objects.get(state=State.DONE)
    shown_again = ImportRun.objects.get(state=State.PREVIEW)
    assert "changed since your preview" in shown_again.message
    # The new preview shows the first editor's value as the one it would replace.
    (change,) = shown_again.preview["outcomes"][0][3]
    assert change[3] == (5 if written.file_name == "anna.csv" else 7)
    assert Partner.objects.get(slug="testort").population == (
        5 if written.file_name == "anna.csv" else 7
    )
    assert ChangeSet.objects.count() == 1
