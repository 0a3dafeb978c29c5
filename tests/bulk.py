"""Many partners, fast: for pinning query counts and for the benchmark."""

from django.db import connection
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


def add_events(per_partner=1, prefix="bulk", around=None, per_association=10):
    """Give every partner whose slug starts with `prefix` `per_partner` events, spread over the
    years before and after `around` (a date; today by default), half with an association.

    Every other partnership is carried by an association, `per_association` partnerships to
    each, as a directory's Partnerschaftsvereine carry one partnership or a few.
    """
    import datetime

    from partnerships.exchanges.models import Association, Event

    around = around or datetime.date.today()
    relationships = list(
        Relationship.objects.filter(partner__slug__startswith=f"{prefix}-").order_by("pk")
    )
    carried = relationships[::2]
    associations = Association.objects.bulk_create(
        Association(name_de=f"Verein {prefix} {number}")
        for number in range(max(1, -(-len(carried) // per_association)))
    )
    through = Association.relationships.through
    through.objects.bulk_create(
        through(association=associations[number // per_association], relationship=relationship)
        for number, relationship in enumerate(carried)
    )
    Event.objects.bulk_create(
        Event(
            relationship=relationship,
            title_de=f"Austausch {prefix} {number}-{copy}",
            kind=Event.Kind.values[number % len(Event.Kind.values)],
            start_date=around + datetime.timedelta(days=(number * 37 + copy * 11) % 1460 - 730),
            association=associations[number // 2 // per_association] if number % 2 else None,
        )
        for number, relationship in enumerate(relationships)
        for copy in range(per_partner)
    )
    ContentChange.touch()


def copy_partners(count, prefix="copy"):
    """Create `count` published partners without relationships, in one INSERT ... SELECT.

    For tens of thousands of rows (a sitemap of more than 50,000 addresses), which bulk_create
    takes seconds to build in Python. Each is a copy of the first, but for its slug and names.
    """
    first = Partner.objects.create(
        slug=f"{prefix}-0", name_de=f"Kopie {prefix} 0", name_en=f"Copy {prefix} 0", country="FR"
    )
    quote = connection.ops.quote_name
    numbered = {
        "slug": f"'{prefix}-' || n",
        "name_de": f"'Kopie {prefix} ' || n",
        "name_en": f"'Copy {prefix} ' || n",
    }
    fields = [field for field in Partner._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(quote(field.column) for field in fields)
    values = ", ".join(numbered.get(field.column, quote(field.column)) for field in fields)
    table, key = quote(Partner._meta.db_table), quote(Partner._meta.pk.column)
    # The names come from the code above, the numbers from the database: nothing from outside.
    sql = (
        "WITH RECURSIVE numbers(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM numbers WHERE n < %s) "
        f"INSERT INTO {table} ({columns}) SELECT {values} FROM numbers, {table} "  # nosec B608
        f"WHERE {key} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [count - 1, first.pk])
    ContentChange.touch()
