#!/usr/bin/env python
"""Add generated partners (2,000 by default), each with one relationship, for load tests.

    python benchmarks/make_partners.py [COUNT]

Uses the database the settings point at (DATABASE_URL). Running it again replaces the
generated partners (slugs bench-0001...) and leaves every other partner alone.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from partnerships.models import (  # noqa: E402
    ContentChange,
    Partner,
    Relationship,
    RelationshipKind,
)

COUNTRIES = ["PL", "FR", "GB", "CN", "JP", "IL", "ES", "RU", "ZA", "US", "BR", "IN", "TR", "IT"]


@transaction.atomic
def make_partners(count):
    kinds = list(RelationshipKind.objects.all())
    if not kinds:
        raise SystemExit("No relationship kinds: run `python manage.py load_demo` first.")
    Partner.objects.filter(slug__startswith="bench-").delete()
    partners = Partner.objects.bulk_create(
        Partner(
            name_de=f"Beispielstadt {number:04d}",
            name_en=f"Sample City {number:04d}",
            slug=f"bench-{number:04d}",
            country=COUNTRIES[number % len(COUNTRIES)],
            description_de=f"Eine erzeugte Partnerstadt für Lasttests (Nr. {number}).",
            description_en=f"A generated partner city for load tests (no. {number}).",
        )
        for number in range(1, count + 1)
    )
    Relationship.objects.bulk_create(
        Relationship(
            partner=partner,
            kind=kinds[number % len(kinds)],
            since=str(1950 + number % 70),
            summary_de="Erzeugt.",
        )
        for number, partner in enumerate(partners)
    )
    # Written in bulk, without save(): record the change as an import does.
    ContentChange.touch()
    return len(partners)


if __name__ == "__main__":
    created = make_partners(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
    print(f"{created} generated partners with one relationship each.")
