"""Server time of the public pages at 15 and at 2,000 partners, and the overview's weight.

    .venv/bin/python benchmarks/pages.py [--runs 30]

Each page is timed twice: rendered by its view (the page cache off), and served from the page
cache (what readers get on every request after the first since the last edit).

Builds a throw-away test database (in-memory SQLite, or test_<name> on PostgreSQL when
DATABASE_URL is set), loads the demo content plus generated partners, and times each page
through Django's test client (the whole request/response cycle, no network). Prints the median
(and fastest) time per page at both sizes and the ratio of the medians; a ratio near 1 means
the page does not grow with the number of partners. The weight is the overview's HTML plus
every stylesheet and script it loads, uncompressed, measured with the demo content; images
(the map's land outline) are listed apart.
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

from partnerships.models import Partner  # noqa: E402
from tests.bulk import add_partners  # noqa: E402

PAGES = {
    "overview": "/en/",
    "directory": "/en/partners/",
    "directory (filtered)": "/en/partners/?q=war&kind=twin_city&sort=-year",
    "partner page": "/en/partners/chongqing/",
    "accessibility": "/en/accessibility/",
    "sitemap.xml": "/sitemap.xml",
}
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


def measure(client, runs):
    results = {}
    for mode, cached in MODES.items():
        settings.PUBLIC_PAGE_CACHE = cached
        results[mode] = {name: timings_ms(client, path, runs) for name, path in PAGES.items()}
    return results


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
    args = parser.parse_args()

    # No setup_test_environment(): its template instrumentation would be timed too.
    settings.DEBUG = False
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
        client = Client()
        add_partners(15 - Partner.objects.count(), prefix="bench")
        weight = overview_weight(client)
        small = measure(client, args.runs)
        add_partners(2000 - Partner.objects.count(), prefix="bench-more")
        large = measure(client, args.runs)
        weight_2000 = overview_weight(client)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"Database: {connection.vendor}; {args.runs} requests per page and size")
    print("Median (and fastest) server time; the fastest is the least disturbed by other load.")
    for mode in MODES:
        print(f"\n{mode}")
        print(f"{'page':<22}{'15 partners':>20}{'2000 partners':>22}{'ratio':>8}")
        for name in PAGES:
            (median_small, best_small) = small[mode][name]
            (median_large, best_large) = large[mode][name]
            print(
                f"{name:<22}{median_small:>9.1f} ms ({best_small:>5.1f})"
                f"{median_large:>11.1f} ms ({best_large:>6.1f})"
                f"{median_large / median_small:>8.2f}"
            )
    total = weight["html"] + weight["css"] + weight["js"]
    print()
    print("Overview weight with the demo content (uncompressed, without images):")
    print(f"  HTML {weight['html']:,} B + CSS {weight['css']:,} B + JS {weight['js']:,} B")
    verdict = "under" if total < WEIGHT_LIMIT else "OVER"
    print(f"  = {total:,} B ({total / 1024:.1f} KB), {verdict} the 100 KB limit")
    for url, size in weight["images"].items():
        print(f"  image, cached across pages: {url} {size:,} B")
    print(f"  (with 2,000 partners the overview's HTML is {weight_2000['html']:,} B)")
    return 0 if total < WEIGHT_LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
