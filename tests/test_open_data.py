"""Open data at /data/: every published partnership, every language, importable again."""

import csv
import io
import json

import pytest

from partnerships.models import ContentChange, Partner, Relationship
from partnerships.transfer.engine import import_table
from partnerships.transfer.export import PartnershipResource
from partnerships.transfer.reading import open_table


@pytest.fixture
def many(demo):
    """Enough extra partners that a per-row query would show in the count."""
    kind = Relationship.objects.first().kind
    for number in range(30):
        partner = Partner.objects.create(
            name_de=f"Ort {number}",
            slug=f"ort-{number}",
            country="FR",
            latitude=number,
            longitude=number,
        )
        Relationship.objects.create(partner=partner, kind=kind, since="2000")


@pytest.mark.parametrize(
    "url", ["/data/partnerships.csv", "/data/partnerships.json", "/data/partners.geojson"]
)
@pytest.mark.parametrize("fixture", ["demo", "many"])
def test_fixed_number_of_queries(
    client, django_assert_num_queries, request, url, fixture, settings
):
    request.getfixturevalue(fixture)
    settings.PUBLIC_PAGE_CACHE = False  # the view's own queries; a cache hit costs one
    # The content change, the partners, their relationships, the relationships' kinds.
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.status_code == 200


def test_csv_has_every_language_and_imports_again(demo, client):
    Partner.objects.filter(slug="haifa").update(is_published=False)
    response = client.get("/data/partnerships.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'rel="license"' in response["Link"]
    assert response["Last-Modified"]
    text = response.content.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == PartnershipResource().get_export_headers()
    assert {"name_de", "name_en", "name_he", "image_credit", "image_licence"} <= set(rows[0])
    assert "haifa" not in {row["slug"] for row in rows}
    warsaw = next(row for row in rows if row["slug"] == "warsaw")
    assert warsaw["name_de"] == "Warschau"

    Partner.objects.all().delete()
    report = import_table(open_table(response.content))
    assert report.ok, report.errors
    assert Partner.objects.filter(slug="warsaw").exists()
    assert not Partner.objects.filter(slug="haifa").exists()


def test_csv_escapes_formula_cells(demo, client):
    Partner.objects.filter(slug="warsaw").update(name_en='=HYPERLINK("x")')

    text = client.get("/data/partnerships.csv").content.decode("utf-8")

    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text


def test_json_has_licence_line_and_last_change(demo, client):
    document = json.loads(client.get("/data/partnerships.json").content)

    assert document["licence"].startswith("Datenlizenz Deutschland")
    assert document["licence_url"].startswith("https://")
    assert document["last_change"] == ContentChange.last().isoformat()
    assert len(document["partnerships"]) == Relationship.objects.count()
    assert {"name_de", "name_en", "name_he"} <= set(document["partnerships"][0])


def test_json_imports_again(demo, client):
    content = client.get("/data/partnerships.json").content
    Partner.objects.all().delete()

    report = import_table(open_table(content))

    assert report.ok, report.errors
    assert Relationship.objects.count() == 15


def test_geojson_points_with_every_language(demo, client):
    response = client.get("/data/partners.geojson")

    assert response["Content-Type"] == "application/geo+json"
    document = json.loads(response.content)
    assert document["type"] == "FeatureCollection"
    assert document["licence"]
    warsaw = next(f for f in document["features"] if f["id"] == "warsaw")
    lon, lat = warsaw["geometry"]["coordinates"]
    assert 20 < lon < 22 and 52 < lat < 53
    assert warsaw["properties"]["name_de"] == "Warschau"
    assert warsaw["properties"]["relationships"][0]["relationship"] == "twin_city"


def test_only_get(client, db):
    assert client.post("/data/partnerships.csv").status_code == 405
