"""Small builders for test data. Bulk helpers keep large fixtures fast."""

from itertools import count

from partnerships.models import ContentChange, Partner, Relationship, RelationshipKind

_numbers = count(1)

# The seed page's partners, by their English names.
SEED_PARTNERS_EN = [
    "Reading",
    "Haifa",
    "Warsaw",
    "Moscow",
    "Chongqing",
    "Chemnitz",
    "Palma de Mallorca",
    "Toulouse",
    "Shenyang",
    "Guangzhou",
    "Chiba Prefecture",
    "Belo Horizonte",
    "Mbombela",
]


def make_kind(code="twin_city", **values):
    values.setdefault("name_de", code.replace("_", " ").title())
    kind, _created = RelationshipKind.objects.get_or_create(code=code, defaults=values)
    return kind


def make_partner(**values):
    number = next(_numbers)
    values.setdefault("name_de", f"Stadt {number}")
    values.setdefault("slug", f"stadt-{number}")
    values.setdefault("country", "PL")
    return Partner.objects.create(**values)


def make_relationship(partner=None, kind=None, **values):
    return Relationship.objects.create(
        partner=partner or make_partner(), kind=kind or make_kind(), **values
    )


def bulk_partners(number, kind, prefix="bulk"):
    """Create `number` published partners, each with one relationship of `kind`."""
    partners = Partner.objects.bulk_create(
        Partner(
            name_de=f"{prefix} Stadt {i}",
            name_en=f"{prefix} town {i}",
            slug=f"{prefix}-{i}",
            country="FR",
            latitude=45,
            longitude=2,
        )
        for i in range(number)
    )
    Relationship.objects.bulk_create(
        Relationship(partner=partner, kind=kind, since=str(1950 + i % 70))
        for i, partner in enumerate(partners)
    )
    ContentChange.touch()  # bulk writes bypass the signals, as the import does
    return partners
