"""Open data: every published partnership as CSV, JSON and GeoJSON, in the import's columns.

The files are written from the same columns as the import reads (`resources.py`), so a download
imports again unchanged. Cells a spreadsheet would run as a formula (= + - @) get an apostrophe in
front in CSV and XLSX; the import takes it off again. django-import-export's own
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is not used: it deletes the leading "=" (the value is
lost, not escaped), turns every cell into text and leaves + - @ alone.
"""

import csv
import io
import json
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from .models import ContentChange, Partner
from .resources import LANGUAGE_CODES, PartnershipResource, escape_formula


def licence():
    """The open data's licence: its name and address (settings OPEN_DATA_LICENCE[_URL])."""
    return settings.OPEN_DATA_LICENCE, settings.OPEN_DATA_LICENCE_URL


def published_partners():
    return Partner.objects.published()


# --- writers, shared by the views, the export command and the admin's export ---


def write_csv(headers, rows, stream, *, delimiter=",", escape=True):
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([escape_formula(v) if escape else v for v in row])


def xlsx_bytes(headers, rows):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet("partnerships")
    sheet.append(headers)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str):
                # XLSX cannot hold control characters; an escaped formula starts with "'".
                value = ILLEGAL_CHARACTERS_RE.sub("", escape_formula(value))
            cells.append(value)
        sheet.append(cells)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def json_document(headers, rows, last_change):
    name, url = licence()
    return {
        "licence": name,
        "licence_url": url,
        "last_change": last_change.isoformat() if last_change else None,
        "columns": headers,
        "partnerships": [
            {header: json_value(value) for header, value in zip(headers, row, strict=True)}
            for row in rows
        ],
    }


def geojson_document(partners, last_change, request=None):
    name, url = licence()
    features = []
    for partner in partners:
        if not partner.has_position:
            continue
        properties = {
            "slug": partner.slug,
            "wikidata_id": partner.wikidata_id,
            **{f"name_{code}": getattr(partner, f"name_{code}") for code in LANGUAGE_CODES},
            "country": partner.country.code,
            "partner_kind": partner.kind,
            "relationships": [
                {
                    "relationship": relationship.kind.code,
                    "status": relationship.status,
                    "since": relationship.since,
                    "until": relationship.until,
                }
                for relationship in partner.relationships.all()
            ],
        }
        features.append(
            {
                "type": "Feature",
                "id": partner.slug,
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(partner.longitude), float(partner.latitude)],
                },
                "properties": properties,
            }
        )
    return {
        "type": "FeatureCollection",
        "licence": name,
        "licence_url": url,
        "last_change": last_change.isoformat() if last_change else None,
        "features": features,
    }


# --- views ---


def data_response(content, content_type, filename, last_change):
    response = HttpResponse(content, content_type=content_type)
    _name, url = licence()
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Link"] = f'<{url}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"
    if last_change:
        response["Last-Modified"] = http_date(last_change.timestamp())
    return response


@require_GET
def partnerships_csv(request):
    resource = PartnershipResource()
    last_change = ContentChange.last()
    stream = io.StringIO()
    headers = resource.get_export_headers()
    write_csv(headers, resource.iter_export_rows(published_partners()), stream)
    return data_response(
        stream.getvalue(), "text/csv; charset=utf-8", "partnerships.csv", last_change
    )


@require_GET
def partnerships_json(request):
    resource = PartnershipResource()
    last_change = ContentChange.last()
    document = json_document(
        resource.get_export_headers(),
        resource.iter_export_rows(published_partners()),
        last_change,
    )
    document["csv"] = request.build_absolute_uri(reverse("open-data-csv"))
    return data_response(
        json.dumps(document, ensure_ascii=False, indent=1),
        "application/json",
        "partnerships.json",
        last_change,
    )


@require_GET
def partners_geojson(request):
    last_change = ContentChange.last()
    partners = published_partners().prefetch_related("relationships__kind").order_by("slug")
    document = geojson_document(partners, last_change)
    return data_response(
        json.dumps(document, ensure_ascii=False),
        "application/geo+json",
        "partners.geojson",
        last_change,
    )
