"""The open data at national scale: files written once per change against rendering per request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python benchmarks/open_data.py
        [--partners 50000] [--runs 5]

Builds a throw-away test database (test_<name> on PostgreSQL when DATABASE_URL is set, else
in-memory SQLite), loads the demo content plus generated partners (tests/bulk.py), and measures:

- writing: `files.write_current()`, the three files in one pass, streamed to disk; its time, and
  its peak of Python memory (tracemalloc, in a second run, since tracing slows it down);
- the old way, each document rendered in memory as the views did before (every partner
  prefetched at once, the whole document built and dumped to one string): time and peak;
- serving: a GET of each file through Django's test client (every middleware, the file read to
  its end), a revalidation answered 304, and the old view's render for comparison (called
  directly, without the middleware, which favours the old way a little).

Prints the figures; the file sizes stand for what the old way kept in the shared cache.
"""

import argparse
import io
import json
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from partnerships.models import ContentChange, Partner, Relationship  # noqa: E402
from partnerships.open_data import files  # noqa: E402
from partnerships.transfer.export import (  # noqa: E402
    PartnershipResource,
    geojson_document,
    json_document,
    write_csv,
)
from tests.bulk import add_partners  # noqa: E402


def all_partners_prefetched():
    """As the old views read them: every published partner and relationship in memory at once."""
    return list(
        Partner.objects.published().prefetch_related("relationships__kind").order_by("slug")
    )


def old_rows(resource, partners):
    columns = resource.export_columns()
    for partner in partners:
        yield from resource.partner_rows(partner, columns)


def old_csv():
    resource = PartnershipResource()
    stream = io.StringIO()
    write_csv(resource.get_export_headers(), old_rows(resource, all_partners_prefetched()), stream)
    return stream.getvalue().encode()


def old_json():
    resource = PartnershipResource()
    headers = resource.get_export_headers()
    rows = old_rows(resource, all_partners_prefetched())
    document = json_document(headers, rows, ContentChange.last())
    document["csv"] = reverse("open-data-csv")
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def old_geojson():
    document = geojson_document(all_partners_prefetched(), ContentChange.last())
    return json.dumps(document, ensure_ascii=False).encode()


OLD = {"partnerships.csv": old_csv, "partnerships.json": old_json, "partners.geojson": old_geojson}
URLS = {
    "partnerships.csv": "/data/partnerships.csv",
    "partnerships.json": "/data/partnerships.json",
    "partners.geojson": "/data/partners.geojson",
}


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def traced_peak(function):
    """Peak Python memory while `function` runs, above what was allocated before (bytes)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    before, _peak = tracemalloc.get_traced_memory()
    function()
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak - before


def force_write():
    return files.write_current(force=True)


def serve_ms(client, url, runs, headers=None):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, headers=headers or {})
        if response.status_code == 200:
            for _chunk in response.streaming_content:
                pass
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, response


def mb(size):
    return f"{size / 1024 / 1024:.1f} MB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5, help="requests per file for serving")
    args = parser.parse_args()

    settings.DEBUG = False
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        with TemporaryDirectory() as folder:
            settings.OPEN_DATA_ROOT = Path(folder)
            call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
            add_partners(args.partners - Partner.objects.count(), prefix="bench")
            partners, relationships = Partner.objects.count(), Relationship.objects.count()

            write_seconds, edition = timed(files.write_current)
            write_peak = traced_peak(force_write)
            edition = files.current_edition()
            sizes = {name: (edition.path / name).stat().st_size for name in OLD}

            old = {}
            for name, render in OLD.items():
                seconds, content = timed(render)
                written = (edition.path / name).read_bytes()
                assert content == written, f"{name}: the file differs from the old rendering"
                del content, written
                old[name] = (seconds, traced_peak(render))

            client = Client()
            serving = {}
            for name, url in URLS.items():
                served_ms, response = serve_ms(client, url, args.runs)
                revalidated_ms, not_modified = serve_ms(
                    client, url, args.runs, headers={"If-None-Match": response["ETag"]}
                )
                assert not_modified.status_code == 304
                serving[name] = (served_ms, revalidated_ms)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"Database: {connection.vendor}; {partners:,} partners, {relationships:,} relationships")
    print("Peak memory is Python's own allocations (tracemalloc), above what was there before.")
    print()
    print(
        f"Writing the three files (one pass, streamed): {write_seconds:.1f} s, "
        f"peak {mb(write_peak)}"
    )
    print()
    print(f"{'file':<20}{'size':>10}{'old render':>13}{'old peak':>12}{'GET file':>12}{'304':>10}")
    for name in OLD:
        seconds, peak = old[name]
        served_ms, revalidated_ms = serving[name]
        print(
            f"{name:<20}{mb(sizes[name]):>10}{seconds:>11.1f} s{mb(peak):>12}"
            f"{served_ms:>9.0f} ms{revalidated_ms:>7.1f} ms"
        )
    total_old = sum(seconds for seconds, _peak in old.values())
    print()
    print(f"Old way, all three rendered once: {total_old:.1f} s (on every request after a change).")
    print(f"(GET and 304: median of {args.runs} requests through the test client.)")


if __name__ == "__main__":
    main()
