"""Many partners, fast: for pinning query counts and for the benchmark."""

from django_countries import countries

from partnerships.models import ContentChange, Partner, Relationship, RelationshipKind

COUNTRY_CODES = [code for code, _name in list(countries)[:60]]
STATUSES = [choice for choice, _label in Relationship.Status.choices]


def add_partners(count, prefix="bulk"):
    """Create `count` published partners, each with one or two relationships, in a few queries.

    Uses the kinds that exist (load_demo's), so call it after the demo content is loaded.
    """
    kinds = list(RelationshipKind.objects.order_by("order"))
    partners = Partner.objects.bulk_create(
        Partner(
            slug=f"{prefix}-{number}",
            name_de=f"Partnerstadt {prefix} {number}",
            name_en=f"Partner city {prefix} {number}",
            country=COUNTRY_CODES[number % len(COUNTRY_CODES)],
            latitude=(number * 7) % 140 - 55,
            longitude=(number * 13) % 360 - 180,
            description_de=f"Beschreibung {number}",
        )
        for number in range(count)
    )
    relationships = []
    for number, partner in enumerate(partners):
        first = kinds[number % len(kinds)]
        relationships.append(
            Relationship(
                partner=partner,
                kind=first,
                status=STATUSES[number % len(STATUSES)],
                since=str(1950 + number % 70),
            )
        )
        if number % 3 == 0:
            second = kinds[(number + 1) % len(kinds)]
            relationships.append(Relationship(partner=partner, kind=second, since="2001"))
    Relationship.objects.bulk_create(relationships)
    ContentChange.touch()  # bulk writes bypass the signals, as the import does
    return partners
