"""Server time of the directory's searches and sorts at 15 and at 50,000 partners.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/search.py
        [--runs 20] [--partners 50000]

Builds a throw-away test database (test_<name> on PostgreSQL when DATABASE_URL is set, else
in-memory SQLite, which is not what production runs), loads the demo content plus generated
partners (tests/bulk.py), and times the directory, rendered by its view (the page cache off; a
search is never cached anyway), through Django's test client. Prints the median (and fastest)
time per address at both sizes and the ratio of the medians, then PostgreSQL's plan for a
search at the larger size, to show which indexes it reads.
"""

import argparse
import os
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
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from partnerships import search  # noqa: E402
from partnerships.models import Partner, Relationship  # noqa: E402
from tests.bulk import add_partners  # noqa: E402

ADDRESSES = {
    "directory, by name (de)": "/de/partners/",
    "directory, by name (en)": "/en/partners/",
    "directory, by year": "/en/partners/?sort=year",
    "search: Warschau": "/de/partners/?q=Warschau",
    "search: Varsovie": "/en/partners/?q=Varsovie",
    "search: warsawa (typo)": "/en/partners/?q=warsawa",
    "search: dusseldorf": "/de/partners/?q=dusseldorf",
    "search: Atlantis (none)": "/en/partners/?q=Atlantis",
    "search: stadt (thousands)": "/de/partners/?q=stadt",
}


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


def measure(client, runs):
    return {name: timings_ms(client, path, runs) for name, path in ADDRESSES.items()}


def analyze():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            tables = [Partner._meta.db_table, Relationship._meta.db_table]
            cursor.execute(f"ANALYZE {', '.join(tables)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="requests per address and size")
    parser.add_argument("--partners", type=int, default=50_000, help="the larger size")
    args = parser.parse_args()

    # No setup_test_environment(): its template instrumentation would be timed too.
    settings.DEBUG = False
    settings.PUBLIC_PAGE_CACHE = False
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
        client = Client()
        add_partners(15 - Partner.objects.count(), prefix="bench")
        analyze()
        small = measure(client, args.runs)
        add_partners(args.partners - Partner.objects.count(), prefix="bench-more")
        analyze()
        large = measure(client, args.runs)
        relationships = Relationship.objects.filter(partner__is_published=True)
        plan = search.search(relationships, "warsawa", via="partner__").explain(analyze=True)
        count = Relationship.objects.count()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"Database: {connection.vendor}; {args.runs} requests per address and size")
    print("Median (and fastest) server time; the fastest is the least disturbed by other load.")
    header = f"{args.partners:,} partners"
    print(f"\n{'address':<28}{'15 partners':>20}{header:>22}{'ratio':>8}")
    for name in ADDRESSES:
        (median_small, best_small) = small[name]
        (median_large, best_large) = large[name]
        print(
            f"{name:<28}{median_small:>9.1f} ms ({best_small:>5.1f})"
            f"{median_large:>11.1f} ms ({best_large:>6.1f})"
            f"{median_large / median_small:>8.2f}"
        )
    print(f"\nPlan of the search for “warsawa” at {args.partners:,} partners ({count:,} rows):")
    print(plan)
    return 0


if __name__ == "__main__":
    sys.exit(main())
