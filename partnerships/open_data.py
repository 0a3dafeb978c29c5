"""Open data: every published partnership as CSV, JSON and GeoJSON, in the import's columns.

The views; the documents and files are written by `transfer/export.py`, as for every export.
"""

import io
import json

from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from .models import ContentChange, Partner
from .transfer.export import (
    PartnershipResource,
    geojson_document,
    json_document,
    licence,
    write_csv,
)


def published_partners():
    return Partner.objects.published()


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


@require_safe
def partnerships_csv(request):
    resource = PartnershipResource()
    last_change = ContentChange.last()
    stream = io.StringIO()
    headers = resource.get_export_headers()
    write_csv(headers, resource.iter_export_rows(published_partners()), stream)
    return data_response(
        stream.getvalue(), "text/csv; charset=utf-8", "partnerships.csv", last_change
    )


@require_safe
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


@require_safe
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
