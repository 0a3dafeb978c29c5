#!/usr/bin/env python
"""Add generated partners (2,000 by default), with one or two relationships each, for load tests.

    python benchmarks/make_partners.py [COUNT]

Uses the database the settings point at (DATABASE_URL). Running it again replaces the
generated partners (slugs bench-0, bench-1...) and leaves every other partner alone. Then
PostgreSQL's planner statistics are renewed, as after a large import: 50,000 partners planned as
the demo's dozen made pages take seconds.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from partnerships.models import Partner, RelationshipKind  # noqa: E402
from partnerships.transfer.engine import refresh_statistics  # noqa: E402
from tests.bulk import add_partners  # noqa: E402


@transaction.atomic
def make_partners(count):
    if not RelationshipKind.objects.exists():
        raise SystemExit("No relationship kinds: run `.venv/bin/python manage.py load_demo` first.")
    Partner.objects.filter(slug__startswith="bench-").delete()
    # The same generator the query-count tests use; it records the content change.
    return len(add_partners(count, prefix="bench"))


if __name__ == "__main__":
    created = make_partners(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
    analysed = refresh_statistics(created)
    print(f"{created} generated partners{'; statistics renewed' if analysed else ''}.")
