"""Server time of the public pages at 15, 2,000 and 50,000 partners, and the overview's weight.

    .venv/bin/python benchmarks/pages.py [--runs 30] [--sizes 15,2000,50000] [--pages overview,...]

Each page is timed twice: rendered by its view (the page cache off), and served from the page
cache (what readers get on every request after the first since the last edit).

Builds a throw-away test database (in-memory SQLite, or test_<name> on PostgreSQL when
DATABASE_URL is set), loads the demo content plus generated partners, and times each page
through Django's test client (the whole request/response cycle, no network). Prints the median
(and fastest) time per page at each size and the ratio of its median to the first size's; a
ratio near 1 means the page does not grow with the number of partners (the target: under 2).
The weight is the overview's HTML plus every stylesheet and script it loads, uncompressed, at
each size (the target: under 100 KB); images (the map's land outline) are listed apart.

The overview and the directory read the published content's figures (partnerships per kind,
partners per country), which are worked out once per content version, after the change that made
it (partnerships/figures.py): that work, what the first reader after a change would pay if it came
before the change's process had stored them, is timed apart at each size.

The pages of events, associations and anniversaries are timed with an event per generated
partner; the calendar feed lists every event of the last year and to come, so it grows with
them by design (and is served from the page cache).

The sitemap's index is timed; its section pages hold up to 10,000 addresses each, so they grow
with the partners by design (and are served from the page cache): the first page of partners
is timed once at each size, apart.

After generating the partners the database is vacuumed and its statistics refreshed (VACUUM
ANALYZE on PostgreSQL), as autovacuum does soon after a large import: without statistics the
planner takes the new tables for empty ones, and without the visibility map no index alone can
answer a count.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from partnerships import figures  # noqa: E402
from partnerships.models import Partner  # noqa: E402
from tests.bulk import add_events, add_partners  # noqa: E402

PAGES = {
    "overview": "/en/",
    "directory": "/en/partners/",
    "directory (filtered)": "/en/partners/?q=war&kind=twin_city&sort=-year",
    "partner page": "/en/partners/chongqing/",
    "accessibility": "/en/accessibility/",
    "events": "/en/events/",
    "events archive": "/en/events/archive/",
    "archive (filtered)": "/en/events/archive/?partner=warsaw&kind=exchange_visit",
    "associations": "/en/associations/",
    "anniversaries": "/en/anniversaries/",
    "events.ics (calendar)": "/en/events/calendar/",
    "office page": "/en/pages/exchange-funding/",
    "DCAT-AP.de catalogue": "/data/catalog.rdf",
    "sitemap.xml (index)": "/sitemap.xml",
}
SITEMAP_PAGE = "/sitemap-partners.xml"
WEIGHT_LIMIT = 100 * 1024


def timings_ms(client, path, runs):
    for _ in range(3):  # warm caches (templates, translations) before measuring
        assert client.get(path).status_code == 200, path
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, path
    return statistics.median(timings) * 1000, min(timings) * 1000


MODES = {
    "rendered by the view (page cache off)": False,
    "served from the page cache": True,
}


def measure(client, runs, pages):
    results = {}
    for mode, cached in MODES.items():
        settings.PUBLIC_PAGE_CACHE = cached
        results[mode] = {name: timings_ms(client, PAGES[name], runs) for name in pages}
    return results


def sitemap_page_ms(client):
    settings.PUBLIC_PAGE_CACHE = False
    start = time.perf_counter()
    response = client.get(SITEMAP_PAGE)
    assert response.status_code == 200
    return (time.perf_counter() - start) * 1000, len(response.content)


def figures_ms(runs):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        figures.work_out()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, min(timings) * 1000


def refresh_statistics():
    """Statistics for the planner, and the visibility map that lets an index alone answer a count.

    What autovacuum gives a database after a large insert (PostgreSQL 13+ vacuums after inserts
    too); measured right after a bulk insert without it, every index-only scan reads the table.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def static_size(url):
    path = finders.find(url.removeprefix(settings.STATIC_URL).lstrip("/"))
    return Path(path).stat().st_size


def overview_weight(client):
    html = client.get(PAGES["overview"]).content
    text = html.decode()
    static = "/" + settings.STATIC_URL.strip("/") + "/"
    css = re.findall(rf'<link rel="stylesheet" href="{static}([^"]+)"', text)
    js = re.findall(rf'<script[^>]* src="{static}([^"]+)"', text)
    images = re.findall(rf'<(?:img|image)[^>]* (?:src|href)="{static}([^"]+)"', text)
    return {
        "html": len(html),
        "css": sum(static_size(url) for url in css),
        "js": sum(static_size(url) for url in js),
        "images": {url: static_size(url) for url in images},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="requests per page and size")
    parser.add_argument(
        "--sizes", default="15,2000,50000", help="numbers of partners, the first the reference"
    )
    parser.add_argument(
        "--pages",
        default=",".join(PAGES),
        help="the pages to time, by the names printed (the calendar feed takes minutes at 50,000)",
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    pages = [name.strip() for name in args.pages.split(",")]
    unknown = set(pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}; known: {', '.join(PAGES)}")

    # No setup_test_environment(): its template instrumentation would be timed too.
    settings.DEBUG = False
    old_name = connection.creation.create_test_db(verbosity=0)
    results, weights, sitemap_pages, figures_work = {}, {}, {}, {}
    try:
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
        client = Client()
        for size in sizes:
            add_partners(size - Partner.objects.count(), prefix=f"bench-{size}")
            # An event a partner, as many to come as past (the calendar lists every one).
            add_events(prefix=f"bench-{size}")
            refresh_statistics()
            weights[size] = overview_weight(client)
            results[size] = measure(client, args.runs, pages)
            sitemap_pages[size] = sitemap_page_ms(client)
            figures_work[size] = figures_ms(args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    reference = sizes[0]
    print(f"Database: {connection.vendor}; {args.runs} requests per page and size")
    print("Median (and fastest) server time; the fastest is the least disturbed by other load.")
    print(f"Ratio: the median's to the one at {reference} partners.")
    for mode in MODES:
        print(f"\n{mode}")
        print(f"{'page':<22}" + "".join(f"{f'{size:,} partners':>31}" for size in sizes))
        for name in pages:
            row = f"{name:<22}"
            for size in sizes:
                median, best = results[size][mode][name]
                ratio = median / results[reference][mode][name][0]
                row += f"{median:>10.1f} ms ({best:>6.1f}) x{ratio:>6.2f}"
            print(row)
    print("\nThe figures of the published content, worked out once per content version:")
    for size in sizes:
        median, best = figures_work[size]
        print(f"  {size:>7,} partners: {median:>9.1f} ms ({best:>6.1f})")
    addresses = settings.SITEMAP_PAGE_ADDRESSES
    print(f"\n{SITEMAP_PAGE}, its first page (up to {addresses:,} addresses), rendered once:")
    for size in sizes:
        ms, length = sitemap_pages[size]
        print(f"  {size:>7,} partners: {ms:>9.1f} ms, {length:>12,} B")
    print()
    print("Overview weight (uncompressed, without images):")
    over = False
    for size in sizes:
        weight = weights[size]
        total = weight["html"] + weight["css"] + weight["js"]
        verdict = "under" if total < WEIGHT_LIMIT else "OVER"
        over = over or total >= WEIGHT_LIMIT
        print(
            f"  {size:>7,} partners: HTML {weight['html']:,} B + CSS {weight['css']:,} B"
            f" + JS {weight['js']:,} B = {total:,} B ({total / 1024:.1f} KB), {verdict} 100 KB"
        )
    for url, size in weights[reference]["images"].items():
        print(f"  image, cached across pages: {url} {size:,} B")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
