"""The admin's background import, end to end, as an editor meets it: upload through the admin,
the check by a real `manage.py db_worker` process (database task backend), the preview, confirm,
the write. Used by benchmarks/import.py as its "admin-background" variant, in a child process
whose DATABASE_URL names a fresh SQLite (or PostgreSQL) database.

The time counts from the upload's request to the moment the progress the page's script asks
for says "preview" (the check), and then to "done" (the write), polling as the page does.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLL_SECONDS = 0.25


def wait_for(client, url, leaving, worker, timeout=3600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        progress = client.get(url).json()
        if progress["state"] not in leaving:
            return progress
        if worker.poll() is not None:
            raise RuntimeError("the task worker stopped")
        time.sleep(POLL_SECONDS)
    raise RuntimeError(f"no end after {timeout} s: {progress}")


def run_admin_background(path):
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()  # the test client's host and the template context
    progress_dir = tempfile.mkdtemp(prefix="import-progress-")
    env = {
        **os.environ,
        "TASKS_BACKEND": "database",
        "IMPORT_PROGRESS_DIR": progress_dir,
    }
    os.environ["IMPORT_PROGRESS_DIR"] = progress_dir  # read by this process's settings too
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
        + ["--interval", "0.2", "-v0"],
        cwd=ROOT,
        env=env,
    )
    try:
        user = get_user_model().objects.create_superuser("benchmark")
        client = Client()
        client.force_login(user)
        data = Path(path).read_bytes()
        started = time.perf_counter()
        response = client.post(
            reverse("admin:partnerships_partner_import"),
            {"import_file": SimpleUploadedFile(Path(path).name, data)},
        )
        page_url = response["Location"]
        token = page_url.rstrip("/").rsplit("/", 1)[-1]
        progress_url = reverse("admin:partnerships_partner_import_progress", args=[token])
        progress = wait_for(client, progress_url, {"queued", "checking"}, worker)
        checked = time.perf_counter()
        if progress["state"] != "preview":
            raise RuntimeError(f"the check ended as {progress['state']}")
        response = client.post(
            reverse("admin:partnerships_partner_process_import"), {"token": token}
        )
        progress = wait_for(client, progress_url, {"confirmed", "writing"}, worker)
        written = time.perf_counter()
        if progress["state"] != "done":
            raise RuntimeError(f"the write ended as {progress['state']}")
        return {"check_seconds": checked - started, "write_seconds": written - checked}
    finally:
        worker.terminate()
        worker.wait(timeout=60)
