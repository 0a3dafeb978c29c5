"""One measured step of benchmarks/images.py, in a process of its own (its peak memory is
the process's high-water mark, which only a fresh process measures alone).

    python benchmarks/_image_upload.py CODE_ROOT setup
    python benchmarks/_image_upload.py CODE_ROOT request IMAGE_FILE
    python benchmarks/_image_upload.py CODE_ROOT worker

CODE_ROOT is the checkout whose code is measured (this one, or an older revision's copy);
MEDIA_ROOT and DATABASE_URL come from the environment. Prints one line of JSON: wall time,
CPU time (what the step costs on an idle machine: shared cores stretch the wall time), and
the peak memory.
"""

import json
import os
import resource
import sys
import time
from pathlib import Path


def peak_mb():
    """The process's peak resident memory. Not ru_maxrss: a child started from a big parent
    reports the parent's peak there; VmHWM belongs to this program's own memory."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: KiB


def main():
    code_root, step, *args = sys.argv[1:]
    sys.path.insert(0, code_root)
    os.chdir(code_root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    if step == "setup":
        call_command("migrate", verbosity=0)
        get_user_model().objects.create_superuser("bench", "bench@example.org", "bench-pass-1")
        print(json.dumps({}))
        return

    if step == "worker":
        started, cpu = time.perf_counter(), time.process_time()
        call_command("db_worker", batch=True, verbosity=0)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak_mb()}))
        return

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    path = Path(args[0])
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    add = "/admin/partnerships/partner/add/"
    assert client.get(add).status_code == 200  # templates, translations, admin: all loaded
    idle = peak_mb()
    content_type = "image/png" if path.suffix == ".png" else "image/jpeg"
    form = {
        "name_de": "Warschau",
        "slug": "warsaw",
        "kind": "city",
        "country": "PL",
        "is_published": "on",
        "image": SimpleUploadedFile(path.name, path.read_bytes(), content_type),
        "image_alt_de": "Die Altstadt",
        "image_credit": "Foto: Benchmark",
        "relationships-TOTAL_FORMS": "0",
        "relationships-INITIAL_FORMS": "0",
    }
    started, cpu = time.perf_counter(), time.process_time()
    response = client.post(add, form)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert response.status_code == 302, response.content.decode()[:2000]
    from partnerships.models import Partner

    partner = Partner.objects.get(slug="warsaw")
    media = os.environ["MEDIA_ROOT"]
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "peak_mb": peak_mb(),
                "idle_mb": idle,
                "stored": [partner.image_width, partner.image_height],
                "stored_kb": partner.image.size / 1024,
                "media_files": sum(len(files) for _d, _s, files in os.walk(media)),
            }
        )
    )


if __name__ == "__main__":
    main()
