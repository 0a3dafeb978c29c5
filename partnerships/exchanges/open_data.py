"""Associations, events and jubilees in the open data: a JSON file each, every language's text
in a column of its own (`title_de`, `title_en`...), written beside the partnerships' files
(partnerships/open_data/files.py) for the same content version."""

from django.conf import settings
from django.db.models import Prefetch
from modeltranslation.utils import build_localized_fieldname

from ..models import Relationship
from ..transfer.export import EXPORT_CHUNK, JsonListWriter, licence
from . import jubilees
from .calendar import event_uid
from .models import Association, Event


def envelope(version):
    name, url = licence()
    return {
        "licence": name,
        "licence_url": url,
        "last_change": version.isoformat() if version else None,
    }


def translations(obj, field):
    return {
        build_localized_fieldname(field, code): getattr(obj, build_localized_fieldname(field, code))
        or ""
        for code, _name in settings.LANGUAGES
    }


def partnership(relationship):
    return {"partner": relationship.partner.slug, "relationship": relationship.kind.code}


def association_row(association):
    return {
        "id": association.pk,
        **translations(association, "name"),
        "kind": association.kind,
        "website": association.website,
        "email": association.email,
        "contact_person": association.contact_person,
        **translations(association, "description"),
        "partnerships": [partnership(rel) for rel in association.relationships.all()],
    }


def event_row(event):
    ends = event.ends()
    return {
        "id": event.pk,
        "uid": event_uid(event),
        **partnership(event.relationship),
        "kind": event.kind,
        **translations(event, "title"),
        **translations(event, "summary"),
        **translations(event, "place"),
        "all_day": event.is_all_day,
        "start": event.starts().isoformat(),
        "end": ends.isoformat() if ends else None,
        "time_zone": settings.TIME_ZONE,
        "link": event.link,
        "association": event.association_id,
    }


def jubilee_row(jubilee):
    return {
        **partnership(jubilee.relationship),
        "since": jubilee.relationship.since,
        "year": jubilee.year,
        "years": jubilee.years,
    }


def write_associations(stream, version):
    published = Relationship.objects.filter(partner__is_published=True)
    associations = (
        Association.objects.published()
        .prefetch_related(
            # A partnership whose partner is not published is left out, as everywhere else.
            Prefetch("relationships", published.select_related("partner", "kind"))
        )
        .order_by("pk")
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    rows = JsonListWriter(
        stream, {**envelope(version), "associations": []}, "associations", indent=1
    )
    for association in associations:
        rows.append(association_row(association))
    rows.close()


def write_events(stream, version):
    events = (
        Event.objects.published()
        .select_related("relationship__partner", "relationship__kind")
        .order_by("start_date", "start_time", "pk")
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    rows = JsonListWriter(stream, {**envelope(version), "events": []}, "events", indent=1)
    for event in events:
        rows.append(event_row(event))
    rows.close()


def write_jubilees(stream, version):
    """Every jubilee, from the tenth year to the hundredth, of each active partnership."""
    relationships = (
        Relationship.objects.filter(partner__is_published=True, status=Relationship.Status.ACTIVE)
        .exclude(since="")
        .select_related("partner", "kind")
        .order_by("since", "pk")
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    document = {**envelope(version), "jubilee_years": list(jubilees.JUBILEE_YEARS), "jubilees": []}
    rows = JsonListWriter(stream, document, "jubilees", indent=1)
    for relationship in relationships:
        for jubilee in jubilees.every_jubilee(relationship):
            rows.append(jubilee_row(jubilee))
    rows.close()
