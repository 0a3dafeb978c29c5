#!/usr/bin/env python
"""Edit a partner every few seconds while the load test runs, and time how soon each edit shows.

    python benchmarks/edit_during_load.py PAGE_URL [INTERVAL]

Every INTERVAL seconds (default 5) saves the partner of PAGE_URL (https://…/de/partners/<slug>/)
with a new German description, through the ORM: what an editor's save sets off (signals, the
content version and its publication to Redis). After each save it asks for the page, as a reader
would, until the new description is there, and notes how long that took. On SIGTERM it prints
one line: the number of edits, and the median and slowest time until an edit showed.

Uses the database and cache the settings point at (DATABASE_URL, CACHE_URL), as the site does.
"""

import os
import signal
import ssl
import statistics
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from partnerships.models import Partner  # noqa: E402

# The load test's nginx has a self-signed certificate.
UNVERIFIED = ssl._create_unverified_context()  # nosec B323
GIVE_UP_SECONDS = 60


def page_shows(url, text):
    try:
        with urllib.request.urlopen(url, context=UNVERIFIED, timeout=GIVE_UP_SECONDS) as response:
            return text in response.read().decode()
    except (OSError, urllib.error.HTTPError):  # a timeout, a 502/504: not shown (yet)
        return False


def edit_and_wait(url, slug, number):
    text = f"Bearbeitung {number} während der Last."
    partner = Partner.objects.get(slug=slug)
    partner.description_de = text
    saved = time.monotonic()
    partner.save()
    while time.monotonic() - saved < GIVE_UP_SECONDS:
        if page_shows(url, text):
            return time.monotonic() - saved
        time.sleep(0.05)
    return None


def main(url, interval):
    slug = urlsplit(url).path.rstrip("/").rsplit("/", 1)[1]
    delays, not_shown = [], 0

    def report(*_signal):
        shown = (
            f"median {statistics.median(delays):.2f} s, slowest {max(delays):.2f} s"
            if delays
            else "never"
        )
        print(
            f"EDITS {len(delays) + not_shown} made, shown after: {shown}; "
            f"not shown within {GIVE_UP_SECONDS} s: {not_shown}"
        )
        sys.exit(0)

    signal.signal(signal.SIGTERM, report)
    signal.signal(signal.SIGINT, report)
    start = time.monotonic()
    for number in range(1, 1_000_000):
        # On the clock, so that an edit that shows late does not thin out the edits.
        time.sleep(max(0.0, start + number * interval - time.monotonic()))
        delay = edit_and_wait(url, slug, number)
        if delay is None:
            not_shown += 1
        else:
            delays.append(delay)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 5.0)
