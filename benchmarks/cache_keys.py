"""What 10,000 requests with random query strings and cookies add to the page cache.

    .venv/bin/python benchmarks/cache_keys.py [--requests 10000] [--partners 200]
    CACHE_URL=redis://127.0.0.1:6379/7 .venv/bin/python benchmarks/cache_keys.py

The requests are those of tests/random_requests.py: the public pages with parameters no page
reads (utm_*, cache-busters), the directory's own parameters in equivalent forms, searches,
invalid filter values, page numbers past the end, OPTIONS/TRACE/POST, and random cookies
(session cookies of any form included). The canonical pages are requested once first; then the
figures: entries in the cache and their size before and after, and how the requests were
answered. With CACHE_URL (Redis) also the server's used memory; the script's keys get a prefix
of their own and are deleted at the end, so give it a database number nobody else flushes.

Builds a throw-away test database (in-memory SQLite, or test_<name> on PostgreSQL when
DATABASE_URL is set) with the demo content plus generated partners.
"""

import argparse
import collections
import logging
import os
import random
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

from partnerships.models import Partner  # noqa: E402
from tests.bulk import add_partners  # noqa: E402
from tests.random_requests import PAGES, random_request  # noqa: E402

REDIS = bool(settings.CACHE_URL)
# Before the cache is first used: this run's keys alone are counted, and deleted at the end.
PREFIX = f"bench-cache-keys-{os.getpid()}"
settings.CACHES["default"]["KEY_PREFIX"] = PREFIX

from django.core.cache import caches  # noqa: E402


def redis_client():
    from django_redis import get_redis_connection

    return get_redis_connection("default")


def entries():
    """(number of cached pages, their bytes in the cache)."""
    if REDIS:
        client = redis_client()
        keys = [key for key in client.scan_iter(f"{PREFIX}:*") if b":page:" in key]
        return len(keys), sum(client.memory_usage(key) or 0 for key in keys)
    store = caches["default"]._cache  # local memory: pickled values
    keys = [key for key in store if ":page:" in key]
    return len(keys), sum(len(store[key]) for key in keys)


def used_memory():
    return redis_client().info("memory")["used_memory"] if REDIS else None


def answer(response):
    if response.status_code != 200:
        return f"{response.status_code}"
    return f"200 {response.get('X-Page-Cache', 'not cached')}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--partners", type=int, default=200)
    args = parser.parse_args()

    settings.DEBUG = False
    logging.getLogger("django.request").setLevel(logging.ERROR)  # a warning for every 404/405
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
        add_partners(args.partners - Partner.objects.count(), prefix="bench")
        client = Client()
        for path in PAGES:
            assert client.get(path).status_code == 200, path
        count_before, size_before = entries()
        memory_before = used_memory()

        rng = random.Random(20261201)
        answers = collections.Counter()
        start = time.perf_counter()
        for _request in range(args.requests):
            response, kind = random_request(client, rng)
            answers[(kind, answer(response))] += 1
        seconds = time.perf_counter() - start

        count_after, size_after = entries()
        memory_after = used_memory()
    finally:
        if REDIS:
            client = redis_client()
            for key in client.scan_iter(f"{PREFIX}:*"):
                client.delete(key)
        connection.creation.destroy_test_db(old_name, verbosity=0)

    backend = "Redis" if REDIS else "local memory"
    print(f"Cache: {backend}; database: {connection.vendor}; {args.partners} partners")
    print(f"{args.requests:,} random requests in {seconds:.1f} s")
    rows = [
        ("cached pages", count_before, count_after),
        ("their size (bytes)", size_before, size_after),
    ]
    if REDIS:
        rows.append(("Redis used_memory (bytes)", memory_before, memory_after))
    print(f"{'':<28}{'before':>14}{'after':>14}{'added':>14}")
    for label, before, after in rows:
        print(f"{label:<28}{before:>14,}{after:>14,}{after - before:>14,}")
    if REDIS:
        print("(used_memory is the whole server's: other databases' traffic counts too)")
    print("\nHow they were answered")
    for (kind, how), number in sorted(answers.items()):
        print(f"  {kind:<11} {how:<16} {number:>7,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
