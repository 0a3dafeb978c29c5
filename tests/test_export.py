"""Export writes what import reads: export, wipe, import gives back the same content."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from partnerships.models import Partner, Relationship
from partnerships.transfer.columns import escape_formula, unescape_formula
from partnerships.transfer.engine import import_table
from partnerships.transfer.reading import open_table

TRANSLATED = ["name_de", "name_en", "name_he", "description_de", "description_en"]


def snapshot():
    partners = sorted(
        (
            p.slug,
            p.wikidata_id,
            p.country.code,
            p.kind,
            p.region,
            p.latitude,
            p.longitude,
            p.website,
            p.population,
            p.image_credit,
            p.image_licence,
            p.is_published,
            *[getattr(p, field) or "" for field in TRANSLATED],
        )
        for p in Partner.objects.all()
    )
    relationships = sorted(
        (r.partner.slug, r.kind.code, r.status, r.since, r.until, r.summary_de or "")
        for r in Relationship.objects.select_related("partner", "kind")
    )
    return partners, relationships


def export(fmt, tmp_path):
    path = tmp_path / f"export.{fmt}"
    call_command("export_partnerships", "--format", fmt, "--output", str(path))
    return path


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_wipe_import_gives_the_same_content(demo, tmp_path, fmt):
    Partner.objects.filter(slug="warsaw").update(
        name_de="=SUMME(1;2)", image_credit="-Foto: Jan", description_en="<b>bold</b>"
    )
    before = snapshot()
    path = export(fmt, tmp_path)

    Partner.objects.all().delete()
    with path.open("rb") as source:
        report = import_table(open_table(source))

    assert report.ok, report.errors
    assert snapshot() == before

    with path.open("rb") as source:
        again = import_table(open_table(source))
    assert again.partners["new"] == again.partners["update"] == 0
    assert again.relationships["new"] == again.relationships["update"] == 0


def test_unpublished_stays_unpublished(demo, tmp_path):
    Partner.objects.filter(slug="haifa").update(is_published=False)
    path = export("csv", tmp_path)
    Partner.objects.all().delete()

    with path.open("rb") as source:
        assert import_table(open_table(source)).ok
    assert not Partner.objects.get(slug="haifa").is_published
    assert Partner.objects.get(slug="warsaw").is_published


def test_partner_without_relationships_is_exported_and_comes_back(demo, tmp_path):
    Partner.objects.create(name_de="Ohne", slug="ohne", country="FR")
    path = export("csv", tmp_path)
    Partner.objects.all().delete()

    with path.open("rb") as source:
        assert import_table(open_table(source)).ok
    assert Partner.objects.get(slug="ohne").relationships.count() == 0


def test_csv_escapes_formulas_but_not_numbers(demo, tmp_path):
    Partner.objects.filter(slug="warsaw").update(name_de="=1+1", name_en="@SUM(A1)")
    rows = list(csv.DictReader(io.StringIO(export("csv", tmp_path).read_text("utf-8-sig"))))

    warsaw = next(row for row in rows if row["slug"] == "warsaw")
    assert warsaw["name_de"] == "'=1+1"
    assert warsaw["name_en"] == "'@SUM(A1)"
    belo = next(row for row in rows if row["slug"] == "belo-horizonte")
    assert belo["latitude"].startswith("-19.9")


def test_xlsx_has_text_where_a_formula_would_be_and_numbers_as_numbers(demo, tmp_path):
    Partner.objects.filter(slug="warsaw").update(name_de="=1+1")
    sheet = load_workbook(export("xlsx", tmp_path)).active
    headers = [cell.value for cell in sheet[1]]
    rows = [dict(zip(headers, (c for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]

    warsaw = next(row for row in rows if row["slug"].value == "warsaw")
    assert warsaw["name_de"].data_type == "s"
    assert warsaw["name_de"].value == "'=1+1"
    assert warsaw["latitude"].data_type == "n"


def test_escape_is_reversible():
    for value in ["=1", "'=1", "''+x", "-5", "plain", "'quoted", "@a", ""]:
        assert unescape_formula(escape_formula(value)) == value


def test_json_export_has_licence_and_last_change(demo, tmp_path):
    document = json.loads(export("json", tmp_path).read_text("utf-8"))

    assert document["licence"].startswith("Datenlizenz")
    assert document["last_change"]
    assert len(document["partnerships"]) == Relationship.objects.count()


def test_admin_export_escapes_formulas(demo, admin_client):
    Partner.objects.filter(slug="warsaw").update(name_de="=1+1")

    response = admin_client.post(
        reverse("admin:partnerships_partner_export"), {"format": "0", "resource": "0"}
    )

    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "'=1+1" in text
    assert text.splitlines()[0].startswith("slug,wikidata_id,name_de")
