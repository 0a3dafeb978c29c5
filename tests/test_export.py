"""Export writes what import reads: export, wipe, import gives back the same content."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

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
            p.other_names,
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


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods", "json"])
def test_export_wipe_import_gives_the_same_content(demo, tmp_path, fmt):
    Partner.objects.filter(slug="warsaw").update(
        name_de="=SUMME(1;2)",
        image_credit="-Foto: Jan",
        description_en="<p>bold</p>\n<p>two  spaces</p>",
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


def test_ods_has_text_where_a_formula_would_be_and_numbers_as_numbers(demo, tmp_path):
    Partner.objects.filter(slug="warsaw").update(name_de="=1+1")
    path = export("ods", tmp_path)

    with zipfile.ZipFile(path) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        content = archive.read("content.xml").decode()
    assert "table:formula" not in content
    assert '<table:table-cell office:value-type="string"><text:p>\'=1+1</text:p>' in content
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    headers = sheet[0]
    rows = [dict(zip(headers, row, strict=True)) for row in sheet[1:]]
    warsaw = next(row for row in rows if row["slug"] == "warsaw")
    assert warsaw["name_de"] == "'=1+1"
    stored = Partner.objects.get(slug="warsaw")
    assert warsaw["latitude"] == float(stored.latitude)
    assert warsaw["population"] == stored.population


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_binary_formats_need_a_file_to_write(demo, fmt):
    # Commands speak the active language; an earlier test may have left another one active.
    with translation.override("de"):
        with pytest.raises(CommandError, match=f"{fmt.upper()} ist ein Binärformat: Geben Sie"):
            call_command("export_partnerships", "--format", fmt)


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


def test_admin_exports_ods_that_imports_again(demo, admin_client):
    before = snapshot()

    response = admin_client.post(
        reverse("admin:partnerships_partner_export"), {"format": "2", "resource": "0"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert response["Content-Disposition"].endswith('.ods"')
    Partner.objects.all().delete()
    report = import_table(open_table(response.content))
    assert report.ok, report.errors
    assert snapshot() == before
