"""Load the seed page's demo content into a fresh database, or restore it with --reset.

`scripts/run` calls this on every start, so by default it writes only into a database that has
never held content: an editor's changes, deletions included, survive the next start. A database
counts as fresh when no content row exists and no content change was ever recorded
(ContentChange is touched by every save and delete), so a database whose editor deleted every
demo object is not filled again either.
"""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

import reversion
from django.core.management.base import BaseCommand
from django.db import transaction

from partnerships.demo import content
from partnerships.exchanges.models import Association, Event
from partnerships.models import (
    AccessibilityStatement,
    Contact,
    ContentChange,
    Imprint,
    InaccessiblePart,
    Milestone,
    Office,
    OfficePage,
    Page,
    Partner,
    Relationship,
    RelationshipKind,
)
from partnerships.signals import CONTENT_MODELS

FACTS_FILE = Path(content.__file__).with_name("partner-facts.csv")
SUMMARY_FIELDS = ("summary_de", "summary_en", "summary_he")


def sync(model, lookup, values):
    """Create the object, or update it only where a value differs from the demo's."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), "created"
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if not changed:
        return obj, "unchanged"
    for field in changed:
        setattr(obj, field, values[field])
    obj.save()
    return obj, "updated"


def is_fresh():
    """Nothing was ever written here: no content, and no record of a change (a deletion too)."""
    return not ContentChange.objects.exists() and not any(
        model.objects.exists() for model in CONTENT_MODELS
    )


class Command(BaseCommand):
    help = (
        "Load the seed page's content (partners, relationships, contacts, page texts) into a "
        "database that has never held content; --reset writes it back over an existing one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Write the demo content back: demo objects get their demo values again and "
            "deleted ones come back. Objects that are not part of the demo are kept.",
        )

    @transaction.atomic
    def handle(self, *args, reset=False, **options):
        if not reset and not is_fresh():
            self.stdout.write(
                "Demo content: not loaded, the database has content already (an editor's "
                "changes are kept). `load_demo --reset` writes the demo content back."
            )
            return
        if reset:
            # One revision, so that each object the reset rewrote shows it in its History, right
            # after the editor's own version from the admin, which can be restored from there.
            with reversion.create_revision():
                reversion.set_comment("Demo content restored (load_demo --reset)")
                counts = self.load()
        else:
            counts = self.load()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo content: {created} created, {updated} updated, {unchanged} unchanged.".format(
                    **counts
                )
            )
        )

    def load(self):
        counts = {"created": 0, "updated": 0, "unchanged": 0}

        def count(result):
            counts[result[1]] += 1
            return result[0]

        kinds = {}
        for data in content.KINDS:
            data = dict(data)
            code = data.pop("code")
            kinds[code] = count(sync(RelationshipKind, {"code": code}, data))

        office = count(sync(Office, {"pk": 1}, content.OFFICE))
        for person in content.CONTACTS:
            person = dict(person)
            count(sync(Contact, {"office": office, "name": person.pop("name")}, person))

        for page in content.PAGES:
            page = dict(page)
            count(sync(Page, {"key": page.pop("key")}, page))
        statement = count(
            sync(AccessibilityStatement, {"pk": 1}, demo_dates(content.ACCESSIBILITY_STATEMENT))
        )
        for part in content.INACCESSIBLE_PARTS:
            part = dict(part)
            lookup = {"statement": statement, "description_de": part.pop("description_de")}
            count(sync(InaccessiblePart, lookup, part))
        count(sync(Imprint, {"pk": 1}, content.IMPRINT))

        for page in content.OFFICE_PAGES:
            page = dict(page)
            count(sync(OfficePage, {"slug": page.pop("slug")}, page))

        with FACTS_FILE.open(encoding="utf-8") as facts_file:
            facts = [
                row for row in csv.DictReader(facts_file) if row["name_en"] in content.PARTNERS
            ]

        partners = {}
        relationships = []
        by_name = {}
        for row in facts:
            name_en = row["name_en"]
            extra = dict(content.PARTNERS[name_en])
            slug = extra.pop("slug")
            values = {
                "name_de": extra.pop("name_de", row["name_de"]),
                "name_en": name_en,
                "kind": row["kind"],
                "country": row["country_code"],
                "latitude": decimal_or_none(row["latitude"]),
                "longitude": decimal_or_none(row["longitude"]),
                "population": int(row["population"]) if row["population"] else None,
                **extra,
            }
            partners[name_en] = count(sync(Partner, {"slug": slug}, values))
            relationships.append(
                {
                    "partner": name_en,
                    "kind": content.KIND_OVERRIDES.get(name_en, row["relationship_type"]),
                    "since": row["since_year"],
                    "status": row["status"] or Relationship.Status.ACTIVE,
                }
            )

        for rel in relationships + content.EXTRA_RELATIONSHIPS:
            key = (rel["partner"], rel["kind"])
            summary = {}
            if key in content.SUMMARIES:
                summary = dict(zip(SUMMARY_FIELDS, content.SUMMARIES[key], strict=True))
            relationship = count(
                sync(
                    Relationship,
                    {"partner": partners[rel["partner"]], "kind": kinds[rel["kind"]]},
                    {"since": rel["since"], "status": rel["status"], **summary},
                )
            )
            by_name[(rel["partner"], rel["kind"])] = relationship
            for date, note_de, note_en, note_he, *sets_status in content.MILESTONES.get(
                (rel["partner"], rel["kind"]), []
            ):
                count(
                    sync(
                        Milestone,
                        {"relationship": relationship, "date": date, "note_de": note_de},
                        {
                            "note_en": note_en,
                            "note_he": note_he,
                            "sets_status": "".join(sets_status),
                        },
                    )
                )

        associations = {}
        for data in content.ASSOCIATIONS:
            data = dict(data)
            served = [by_name[key] for key in data.pop("relationships")]
            association = count(sync(Association, {"name_de": data.pop("name_de")}, data))
            if set(association.relationships.all()) != set(served):
                association.relationships.set(served)
            associations[association.name_de] = association
        for data in content.EVENTS:
            data = dict(data)
            relationship = by_name[data.pop("relationship")]
            association = associations.get(data.pop("association", None))
            values = {
                **data,
                "association": association,
                **{
                    field: parse(data[field])
                    for field, parse in EVENT_PARSERS.items()
                    if data.get(field)
                },
            }
            count(
                sync(
                    Event,
                    {"relationship": relationship, "title_de": values.pop("title_de")},
                    values,
                )
            )
        return counts


EVENT_PARSERS = {
    "start_date": datetime.date.fromisoformat,
    "end_date": datetime.date.fromisoformat,
    "start_time": datetime.time.fromisoformat,
    "end_time": datetime.time.fromisoformat,
}


def demo_dates(values):
    """The demo's ISO dates as dates, so that `sync` compares them with the stored ones."""
    return {
        field: datetime.date.fromisoformat(value) if field.endswith("_on") else value
        for field, value in values.items()
    }


def decimal_or_none(value):
    return Decimal(value).quantize(Decimal("0.00001")) if value else None
