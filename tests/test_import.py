"""Bulk import: every format German Excel and others write, every bad input, all or nothing."""

import csv
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from partnerships.demo import content
from partnerships.models import ContentChange, Partner, Relationship, RelationshipKind
from partnerships.transfer.engine import import_table
from partnerships.transfer.models import ImportRun
from partnerships.transfer.reading import FileProblem, open_table

from .test_export import snapshot

SAMPLES = Path(__file__).parent / "samples"
GOOD_SAMPLES = [
    "german_excel_cp1252.csv",
    "german_excel_utf8_bom.csv",
    "comma_utf8.csv",
    "tab_utf8.tsv",
    "excel.xlsx",
    "open_data.json",
    # Made by LibreOffice itself (make_samples.py --libreoffice): number, date and formula cells.
    "libreoffice.ods",
    "libreoffice.xlsx",
    "formula.ods",
    "two_sheets.ods",
]


@pytest.fixture(autouse=True)
def english(client):
    """Messages are read in English here; German ones in the command and admin tests below."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def kinds(db):
    for data in content.KINDS:
        RelationshipKind.objects.create(**data)


def run(data, **kwargs):
    """Import bytes (or a sample's name) the way the command does; return the report."""
    if isinstance(data, str):
        data = (SAMPLES / data).read_bytes()
    table = open_table(data)
    return import_table(table, **kwargs)


def problem(data):
    with pytest.raises(FileProblem) as info:
        report = run(data)
        # A problem found while reading rows is reported, not raised.
        assert not report.ok
        raise FileProblem(str(report.errors[0]))
    return str(info.value)


def csv_bytes(rows, delimiter=";"):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("sample", GOOD_SAMPLES)
def test_every_format_gives_the_same_partners(kinds, sample):
    report = run(sample)

    assert report.ok, report.errors
    assert report.partners == {"new": 3}
    assert report.relationships == {"new": 4}
    warsaw = Partner.objects.get(name_en="Warsaw")
    assert warsaw.name_de == "Warschau"
    assert warsaw.country.code == "PL"
    assert warsaw.slug == "warsaw"
    assert warsaw.latitude == Decimal("52.22970")
    assert warsaw.longitude == Decimal("21.01220")
    assert warsaw.population == 1861975
    assert warsaw.description_de == "Hauptstadt Polens."
    haifa = Partner.objects.get(slug="haifa")
    assert haifa.description_de == "Hafenstadt; „Partnerstadt“ seit 2004."
    assert haifa.relationships.get().since == "2004-07-22"
    chongqing = Partner.objects.get(slug="chongqing")
    assert chongqing.country.code == "CN"
    ended = chongqing.relationships.get(kind__code="agenda21_partnership")
    assert (ended.since, ended.until, ended.status) == ("2010", "2020", "ended")
    assert chongqing.relationships.get(kind__code="twin_city").status == "active"
    assert "Windows-1252" in report.description or sample != "german_excel_cp1252.csv"


def test_second_import_changes_nothing_not_even_updated(kinds):
    run("german_excel_cp1252.csv")
    before = list(Partner.objects.values_list("pk", "updated"))
    relationships_before = list(Relationship.objects.values_list("pk", "updated"))
    changed_at = ContentChange.last()

    with CaptureQueriesContext(connection) as queries:
        report = run("excel.xlsx")

    assert report.ok
    assert report.partners == {"skip": 3}
    assert report.relationships == {"skip": 4}
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert list(Partner.objects.values_list("pk", "updated")) == before
    assert list(Relationship.objects.values_list("pk", "updated")) == relationships_before
    assert ContentChange.last() == changed_at


def test_real_import_touches_content_change_once_and_dry_run_never(kinds):
    ContentChange.objects.all().delete()
    run("comma_utf8.csv", dry_run=True)
    assert ContentChange.last() is None
    assert Partner.objects.count() == 0

    with CaptureQueriesContext(connection) as queries:
        run("comma_utf8.csv")
    assert ContentChange.last() is not None
    assert Partner.objects.count() == 3
    touches = [q for q in queries if "partnerships_contentchange" in q["sql"]]
    assert 1 <= len(touches) <= 3  # one touch: the locked select, then an update or insert


def test_absent_column_leaves_field_and_import_never_deletes(kinds):
    run("comma_utf8.csv")
    Partner.objects.filter(slug="warsaw").update(name_he="ורשה", region="Masowien")
    Partner.objects.create(name_de="Moskau", slug="moscow", country="RU")

    report = run(csv_bytes([["slug", "population"], ["warsaw", "1.900.000"]]))

    assert report.ok, report.errors
    assert report.partners == {"update": 1}
    warsaw = Partner.objects.get(slug="warsaw")
    assert (warsaw.population, warsaw.name_he, warsaw.region) == (1900000, "ורשה", "Masowien")
    assert warsaw.name_de == "Warschau"
    assert Partner.objects.filter(slug="moscow").exists()
    assert Relationship.objects.count() == 4


def test_partner_found_by_wikidata_id_then_slug_then_name_and_country(kinds):
    a = Partner.objects.create(name_de="Warschau", slug="warsaw", country="PL", wikidata_id="Q270")
    b = Partner.objects.create(name_de="Haifa", slug="haifa", country="IL")
    c = Partner.objects.create(name_de="Chongqing", slug="chongqing", country="CN")

    report = run(
        csv_bytes(
            [
                ["wikidata_id", "slug", "name_de", "country", "region"],
                ["q270", "", "Anders", "PL", "Masowien"],
                ["", "haifa", "Haifa", "IL", "Nord"],
                ["", "", "  CHONGQING ", "cn", "Sichuan"],
                ["", "", "Chongqing", "US", "Elsewhere"],
            ]
        )
    )

    assert report.ok, report.errors
    assert report.partners == {"update": 3, "new": 1}
    assert Partner.objects.get(pk=a.pk).region == "Masowien"
    assert Partner.objects.get(pk=a.pk).name_de == "Anders"
    assert Partner.objects.get(pk=b.pk).region == "Nord"
    assert Partner.objects.get(pk=c.pk).region == "Sichuan"
    assert Partner.objects.get(country="US").slug == "chongqing-2"


def test_an_unknown_slug_without_a_country_makes_no_partner(kinds):
    report = run(csv_bytes([["slug", "name_de"], ["nowhere", "Nirgendwo"]]))

    assert [(e.line, e.column, e.value) for e in report.errors] == [(2, "slug", "nowhere")]
    assert Partner.objects.count() == 0


def test_rows_of_one_partner_make_one_partner_across_chunks(kinds):
    rows = [["name_de", "country", "relationship"]]
    rows += [["Haifa", "IL", kind["code"]] for kind in content.KINDS]

    report = run(csv_bytes(rows), chunk_size=2)

    assert report.ok, report.errors
    assert report.partners == {"new": 1}
    assert Partner.objects.get().relationships.count() == 5


def test_duplicated_relationship_names_both_lines(kinds):
    rows = [["name_de", "country", "relationship"], ["Haifa", "IL", "twin_city"]]
    rows += [["Haifa", "IL", "Twin City"]]

    report = run(csv_bytes(rows), chunk_size=1)

    assert [(e.line, e.column) for e in report.errors] == [(3, "relationship")]
    assert "Line 2" in report.errors[0].message
    assert Partner.objects.count() == 0


def test_values_by_name_in_any_language(kinds):
    report = run(
        csv_bytes(
            [
                ["name_de", "country", "relationship", "partner_kind", "status"],
                ["Krakau", "Poland", "Städtefreundschaft", "REGION", "Suspended"],
                ["Chiba", "jp", "Business partnership", "prefecture", ""],
                ["Haifa", "ישראל", "twin_city", "", ""],
                ["Istanbul", "Türkei", "twin_city", "", ""],
            ]
        )
    )

    assert report.ok, report.errors
    krakow = Relationship.objects.get(partner__name_de="Krakau")
    assert (krakow.kind.code, krakow.status, krakow.partner.kind) == (
        "city_friendship",
        "suspended",
        "region",
    )
    assert krakow.partner.country.code == "PL"
    assert Partner.objects.get(name_de="Haifa").country.code == "IL"
    assert Partner.objects.get(name_de="Istanbul").country.code == "TR"
    chiba = Relationship.objects.get(partner__name_de="Chiba")
    assert (chiba.kind.code, chiba.status) == ("business_partnership", "active")


def test_text_is_stored_as_given_and_rich_text_as_the_admin_keeps_it(kinds):
    report = run("formula_and_html.csv")

    assert report.ok, report.errors
    formula = Partner.objects.get(country="BR")
    assert formula.name_de == '=HYPERLINK("http://evil.example";"klick")'
    assert formula.name_en == "+Plus"
    assert formula.latitude == Decimal("-19.92083")
    # Rich text goes through the admin's sanitiser: the script goes, the allowed markup stays.
    assert formula.description_de == "<b>fett</b>"
    mention = Partner.objects.get(country="AR")
    assert (mention.name_de, mention.name_en) == ("@Mention", "-Minus")
    assert mention.longitude == Decimal("-58.40000")
    # An apostrophe in front of a formula is the export's escape, taken off again.
    assert mention.description_de == "=already escaped"


BAD_VALUES = [
    (3, "name_*", ""),
    (4, "country", "Atlantis"),
    (5, "relationship", "best friends"),
    (6, "since", "19889"),
    (7, "latitude", "91"),
    (8, "region", "x" * 79 + "…"),
    (9, "since", "31.02.2004"),
]


def test_every_bad_value_is_named_and_nothing_is_written(kinds):
    report = run("bad_values.csv")

    assert [(e.line, e.column, e.value) for e in report.errors] == BAD_VALUES
    assert "201 characters" in report.errors[5].message
    assert "between -90 and 90" in report.errors[4].message
    # Line 2 is fine, and still nothing is written: all or nothing.
    assert Partner.objects.count() == 0


def test_rows_the_database_refuses_are_reported_not_raised(kinds, monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("value too long for type character varying(200)")

    monkeypatch.setattr(QuerySet, "bulk_create", refuse)
    report = run("comma_utf8.csv")
    assert not report.ok
    assert report.errors[0].line == 2  # the chunk's first data line
    assert "The database refused these rows: value too long" in report.errors[0].message
    assert Partner.objects.count() == 0


def test_unknown_and_duplicated_headers(kinds):
    report = run("bad_headers.csv")

    assert [(e.line, e.column) for e in report.errors] == [(1, "Bemerkung"), (1, "country")]
    assert "Unknown column" in report.errors[0].message
    assert "twice" in report.errors[1].message


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("bad_unclosed_quote.csv", "Line 2: A quote"),
        ("bad_quote_closed_late.csv", "Line 2: A quote"),
        ("not_a_spreadsheet.pdf", "not a spreadsheet"),
        ("old_excel.xls", "old Excel"),
        ("broken.xlsx", "damaged"),
        ("empty.csv", "The file is empty"),
        ("only_blank_lines.csv", "The file is empty"),
        ("header_only.csv", "header but no rows"),
        ("no_header_value.csv", "no column header"),
    ],
)
def test_unreadable_files_get_a_clear_message(kinds, sample, expected):
    assert expected in problem(sample)
    assert Partner.objects.count() == 0


def zip_bytes(members):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return output.getvalue()


NOT_A_SPREADSHEET = "This file is not a spreadsheet. Import a CSV, Excel (XLSX), LibreOffice (ODS)"
DAMAGED = "This file is not a spreadsheet that can be read: it is damaged or incomplete."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # A Word document (.docx) and a LibreOffice Writer one (.odt) are ZIPs too.
        (
            zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}),
            NOT_A_SPREADSHEET,
        ),
        (zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text"}), NOT_A_SPREADSHEET),
        (zip_bytes({"photo.jpg": b"\xff\xd8\xff"}), NOT_A_SPREADSHEET),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, NOT_A_SPREADSHEET),
        (b"\xff\xd8\xff\xe0JFIF", NOT_A_SPREADSHEET),
        (b"GIF89a\x01\x01", NOT_A_SPREADSHEET),
        # An XLSX without its sheets (openpyxl's KeyError) and an ODS without its content.
        (zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<x/>"}), DAMAGED),
        (zip_bytes({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), DAMAGED),
        (b"PK\x03\x04" + b"\x00" * 200, DAMAGED),
    ],
    ids=["docx", "odt", "zip", "png", "jpeg", "gif", "xlsx-without-sheets", "ods-empty", "bad-zip"],
)
def test_files_of_other_kinds_are_refused_in_plain_words(kinds, data, expected):
    message = problem(data)

    assert expected in message
    for name in ("Error", "KeyError", "BadZipFile", "Exception"):
        assert name not in message


def test_old_excel_says_how_to_save_as_xlsx_or_ods_in_both_programs(kinds):
    message = problem("old_excel.xls")
    assert "File > Save As > Excel Workbook (*.xlsx)" in message
    assert "File > Save As > File type: ODF Spreadsheet (.ods) or Excel 2007–365 (.xlsx)" in message

    with translation.override("de"):
        message = problem("old_excel.xls")
    assert "Datei > Speichern unter > Excel-Arbeitsmappe (*.xlsx)" in message
    libreoffice = "Datei > Speichern unter > Dateityp: ODF-Tabellendokument (.ods) oder Excel"
    assert f"{libreoffice} 2007–365 (.xlsx)" in message


def test_a_csv_line_that_is_not_csv_is_explained_without_the_libraries_words(kinds):
    message = problem(b'name_de;country\n"Haifa"x;IL\n')

    assert message.startswith("Line 2: This line is not valid CSV: check its quotes.")
    assert "expected" not in message


def test_a_formula_is_read_as_the_value_libreoffice_computed(kinds):
    with zipfile.ZipFile(SAMPLES / "formula.ods") as archive:
        content = archive.read("content.xml").decode()
    assert 'table:formula="of:=1800000+61975"' in content
    assert 'table:formula="of:=[.A3]"' in content

    assert run("formula.ods").ok
    assert Partner.objects.get(slug="warsaw").population == 1861975
    assert Partner.objects.get(slug="haifa").name_en == "Haifa"


def test_a_formula_that_failed_is_refused_not_read_as_an_empty_cell(kinds):
    # LibreOffice saves #DIV/0! with an empty value: read as such, it would empty the latitude.
    assert problem("formula_error.ods") == (
        "Line 4: The cell G4 holds a formula whose result is an error (#DIV/0!). Correct the "
        "formula or replace it by its value, then import the file again."
    )


def test_an_ods_protected_by_a_password_says_to_save_it_without(kinds):
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry>'
        "</manifest:manifest>"
    )
    data = zip_bytes(
        {
            "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
            "META-INF/manifest.xml": manifest,
            "content.xml": b"\x8f\x12 encrypted",
        }
    )

    assert "protected by a password. Save it without one" in problem(data)


def test_an_ods_whose_sheet_reaches_too_far_says_what_to_delete(kinds):
    # A header, a value in the sheet's last column (XFD) and one a million rows further down.
    data = ods_bytes_with(
        "<table:table-row>"
        + ODS_TEXT_CELL.format("name_de")
        + '<table:table-cell table:number-columns-repeated="16382"/>'
        + ODS_TEXT_CELL.format("x")
        + "</table:table-row>"
        + ods_row("", repeat=1_000_000)
        + ods_row("y")
    )

    assert "The first sheet reaches too far to be read" in problem(data)


def test_only_the_first_sheet_is_read_and_the_report_says_so(kinds):
    report = run("two_sheets.ods")

    assert report.notes == ["Only the first sheet, “Partnerschaften”, was read."]
    assert run("libreoffice.ods").notes == []


def ods_bytes_with(rows_xml):
    """An ODS as LibreOffice writes it: rows and cells repeated rather than written out."""
    from partnerships.transfer import export

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", export.ODS_MIMETYPE)
        archive.writestr("META-INF/manifest.xml", export.ODS_MANIFEST)
        archive.writestr(
            "content.xml", export.ODS_CONTENT_START + rows_xml + export.ODS_CONTENT_END
        )
    return output.getvalue()


ODS_TEXT_CELL = (
    '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
)


def ods_row(*values, repeat=1):
    """None stands for two empty cells, written as one repeated cell."""
    empty = '<table:table-cell table:number-columns-repeated="2"/>'
    cells = "".join(empty if value is None else ODS_TEXT_CELL.format(value) for value in values)
    return f'<table:table-row table:number-rows-repeated="{repeat}">{cells}</table:table-row>'


def test_ods_keeps_line_numbers_over_repeated_rows_and_cells(kinds):
    def sheet(last_country):
        return ods_bytes_with(
            ods_row("", repeat=2)  # two empty lines before the header
            + ods_row("name_de", "region", "status", "country")
            + ods_row("Haifa", None, "IL")  # region and status: one repeated empty cell
            + ods_row("", repeat=3)
            + ods_row("Eilat", None, last_country)
            # What LibreOffice writes after a sheet whose rows were formatted to the end.
            + '<table:table-row table:number-rows-repeated="1048570">'
            '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
        )

    report = run(sheet("Atlantis"))
    assert [(error.line, error.column) for error in report.errors] == [(8, "country")]

    report = run(sheet("Israel"))
    assert report.ok, report.errors
    assert report.partners == {"new": 2}
    assert Partner.objects.get(name_de="Eilat").country.code == "IL"


def test_a_value_larger_than_the_csv_field_limit(kinds):
    data = csv_bytes([["name_de", "country"], ["Ok", "PL"], ["x" * 140_000, "PL"]])

    assert "Line 3: A value is longer than 131,072 characters" in problem(data)


def test_a_file_too_large(kinds):
    with pytest.raises(FileProblem, match="files up to 1 MB"):
        open_table(b"name_de;country\n" + b"Haifa;IL\n" * 200_000, max_bytes=1024 * 1024)


def test_windows_1252_that_is_not_text_says_how_to_save_as_utf8(kinds):
    # 0x81 is undefined in Windows-1252, and the bytes are not UTF-8 either.
    assert "CSV UTF-8" in problem(b"name_de;country\nK\x81ln;DE\n")


def test_until_before_since(kinds):
    report = run(
        csv_bytes(
            [
                ["name_de", "country", "relationship", "since", "until"],
                ["Haifa", "IL", "twin_city", "22.07.2004", "2003"],
            ]
        )
    )
    assert [(e.line, e.column) for e in report.errors] == [(2, "until")]


# --- the command ---


def test_command_prints_a_summary(kinds, capsys):
    call_command("import_partnerships", str(SAMPLES / "german_excel_cp1252.csv"))

    out = capsys.readouterr().out
    assert "Partners: 3 new, 0 updated, 0 unchanged" in out
    assert "Relationships: 4 new, 0 updated, 0 unchanged" in out


def test_command_dry_run_writes_nothing(kinds, capsys):
    call_command("import_partnerships", str(SAMPLES / "excel.xlsx"), "--dry-run")

    assert "Dry run" in capsys.readouterr().out
    assert Partner.objects.count() == 0


def test_command_errors_go_to_stderr_with_a_non_zero_exit(kinds, capsys):
    with pytest.raises(CommandError, match="7 errors in bad_values.csv; nothing was imported"):
        call_command("import_partnerships", str(SAMPLES / "bad_values.csv"))

    err = capsys.readouterr().err
    assert "Line 4, column “country”, value “Atlantis”: is not a country" in err


def test_command_encoding_and_delimiter_options(kinds, tmp_path):
    path = tmp_path / "pipe.csv"
    path.write_bytes("name_de|country\nKöln|DE\n".encode("cp1252"))

    call_command(
        "import_partnerships", str(path), "--delimiter", "|", "--encoding", "cp1252", verbosity=0
    )

    assert Partner.objects.get().name_de == "Köln"


def test_command_exit_status_in_a_real_process(kinds, tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "import_partnerships", str(SAMPLES / "empty.csv")],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    assert result.returncode == 1
    # The command speaks the site's language, German.
    assert "Die Datei ist leer." in result.stderr
    assert "Traceback" not in result.stderr


# --- the admin ---


@pytest.fixture
def importer(db, client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("importer", password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_partner", "import_partner", "add_partner", "change_partner"]
        )
    )
    client.force_login(user)
    return client


def upload(client, name, data=None, url="admin:partnerships_partner_import"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = (SAMPLES / name).read_bytes() if data is None else data
    return client.post(
        reverse(url),
        {"format": "0", "import_file": SimpleUploadedFile(name, data)},
        follow=True,  # to the file's page (tasks run at once in tests: checked already)
    )


def test_import_link_only_with_the_import_permission(db, client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_partner"))
    client.force_login(user)

    page = client.get(reverse("admin:partnerships_partner_changelist")).content.decode()
    assert reverse("admin:partnerships_partner_import") not in page
    assert reverse("admin:partnerships_partner_export") in page
    assert client.get(reverse("admin:partnerships_partner_import")).status_code == 403

    user.user_permissions.add(Permission.objects.get(codename="import_partner"))
    page = client.get(reverse("admin:partnerships_partner_changelist")).content.decode()
    assert reverse("admin:partnerships_partner_import") in page


def test_admin_previews_every_row_then_writes_on_confirm(kinds, importer):
    response = upload(importer, "german_excel_cp1252.csv")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Partners: 3 new, 0 updated, 0 unchanged." in page
    assert page.count('<tr class="new">') == 4
    assert "Warschau" in page
    assert Partner.objects.count() == 0

    token = response.context["token"]
    response = importer.post(reverse("admin:partnerships_partner_process_import"), {"token": token})
    assert response.status_code == 302
    assert Partner.objects.count() == 3
    assert Relationship.objects.count() == 4

    page = upload(importer, "german_excel_cp1252.csv").content.decode()
    assert page.count('<tr class="skip">') == 4
    assert "Unchanged" in page


def test_admin_shows_errors_as_a_table_and_offers_no_confirm(kinds, importer):
    response = upload(importer, "bad_values.csv")

    assert response.status_code == 200
    assert not response.context.get("token")
    page = response.content.decode()
    assert "<td>Atlantis</td>" in page
    assert "<td>country</td>" in page
    assert "The file has 7 errors" in page


@pytest.mark.parametrize(
    "sample",
    [
        "bad_unclosed_quote.csv",
        "not_a_spreadsheet.pdf",
        "empty.csv",
        "broken.xlsx",
        "bad_headers.csv",
        "old_excel.xls",
        "two_sheets.ods",
        "header_only.csv",
    ],
)
def test_admin_never_fails_on_a_bad_file(kinds, importer, sample):
    response = upload(importer, sample)

    assert response.status_code == 200
    assert "Traceback" not in response.content.decode()
    assert Partner.objects.count() == 0


def test_admin_refuses_a_file_too_large_before_reading_it(kinds, importer, monkeypatch):
    monkeypatch.setattr("partnerships.transfer.admin.MAX_BYTES", 100)

    importer.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = upload(importer, "comma_utf8.csv").content.decode()

    assert "files up to 100\xa0bytes can be imported here" in page
    assert Partner.objects.count() == 0
    assert not ImportRun.objects.exists()  # refused before it was kept


def test_admin_refuses_more_rows_than_it_takes(kinds, importer, monkeypatch):
    monkeypatch.setattr("partnerships.transfer.tasks.MAX_ROWS", 3)
    monkeypatch.setattr("partnerships.transfer.admin.MAX_ROWS", 3)

    response = upload(importer, "comma_utf8.csv")

    page = response.content.decode()
    assert "more than 3 rows" in page
    assert "Split it into files of at most 3 rows" in page
    assert Partner.objects.count() == 0
    assert ImportRun.objects.get().state == ImportRun.State.REFUSED


def test_imported_markup_and_formulas_render_as_text(kinds, client):
    run("formula_and_html.csv")
    partner = Partner.objects.get(country="BR")

    page = client.get(f"/de/partners/{partner.slug}/").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "HYPERLINK" in page


def test_relationship_list_offers_the_same_import_and_export(kinds, admin_client):
    page = admin_client.get(reverse("admin:partnerships_relationship_changelist")).content
    assert reverse("admin:partnerships_relationship_import").encode() in page

    response = upload(admin_client, "excel.xlsx", url="admin:partnerships_relationship_import")
    assert response.status_code == 200
    assert response.content.decode().count('<tr class="new">') == 4

    run("excel.xlsx")
    response = admin_client.post(
        reverse("admin:partnerships_relationship_export"), {"format": "0", "resource": "0"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 4
    assert {row["relationship"] for row in rows} == {"twin_city", "agenda21_partnership"}


def test_the_documented_example_file_imports(kinds):
    data = (Path(__file__).parent.parent / "docs" / "example-partnerships.csv").read_bytes()

    report = run(data)

    assert report.ok, report.errors
    assert report.partners == {"new": 4}
    assert report.relationships == {"new": 5}
    assert Partner.objects.get(wikidata_id="Q80011").kind == "prefecture"


def test_a_german_editor_reads_the_errors_in_german(kinds, importer):
    importer.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    with translation.override("de"):
        page = upload(importer, "bad_values.csv").content.decode()
    assert "Die Datei hat 7 Fehler. Es wurde nichts importiert" in page
    assert "ist kein Land" in page
    assert Partner.objects.count() == 0


# --- headers as the admin labels the columns, in every configured language ---

EXAMPLE = Path(__file__).parent.parent / "docs" / "example-partnerships.csv"
SAMPLE_ROWS = list(csv.reader(io.StringIO(EXAMPLE.read_text(encoding="utf-8-sig"))))


def with_headers(headers):
    codes = SAMPLE_ROWS[0]
    labels = dict(zip(codes, headers, strict=True))
    return csv_bytes([[labels[code] for code in codes], *SAMPLE_ROWS[1:]])


def imported(data, **kwargs):
    report = run(data, **kwargs)
    assert report.ok, report.errors
    made = snapshot()  # what the import made, without ids and timestamps
    Partner.objects.all().delete()
    return report, made


GERMAN = {
    "region": "Region oder Bundesland",
    "website": "Website",
    "description_en": "Beschreibung (Englisch)",
    "name_de": "Name (Deutsch)",
    "name_en": "Name (Englisch)",
    "country": "Land",
    "relationship": "Art der Beziehung",
    "since": "Seit",
    "until": "Bis",
    "latitude": "Breitengrad",
    "longitude": "Längengrad",
    "population": "Einwohnerzahl",
    "status": "Status",
    "description_de": "Beschreibung (Deutsch)",
    "slug": "Kurzname (URL)",
    "wikidata_id": "Wikidata-ID",
    "partner_kind": "Art des Ortes",
    "published": "Veröffentlicht",
}
ENGLISH = {
    "region": "Region or state",
    "website": "Website",
    "description_en": "Description (English)",
    "name_de": "Name (German)",
    "name_en": "Name (English)",
    "country": "Country",
    "relationship": "Kind of relationship",
    "since": "Since",
    "until": "Until",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "population": "Population",
    "status": "Status",
    "description_de": "Description (German)",
    "slug": "Slug",
    "wikidata_id": "Wikidata id",
    "partner_kind": "Kind of place",
    "published": "Published",
}
VARIED = {
    "region": "REGION",
    "website": "web site",
    "description_en": "Description (Englisch)",
    "name_de": "  NAME de ",
    "name_en": "name [EN]",
    "country": "LAND",
    "relationship": "art  der Beziehung",
    "since": "seit",
    "until": " BIS",
    "latitude": "Breiten grad",
    "longitude": "längengrad",
    "population": "EinwohnerZahl",
    "status": "STATUS",
    "description_de": "Beschreibung de",
    "slug": "SLUG",
    "wikidata_id": "wikidata ID",
    "partner_kind": "partner-kind",
    "published": "is_published",
}


@pytest.mark.parametrize("labels", [GERMAN, ENGLISH, VARIED], ids=["de", "en", "varied"])
def test_headers_as_the_admin_labels_them_import_the_same_partners(kinds, labels):
    assert set(labels) >= set(SAMPLE_ROWS[0]), "every column of the sample is renamed"
    _report, by_codes = imported(csv_bytes(SAMPLE_ROWS))

    report, by_labels = imported(with_headers([labels[code] for code in SAMPLE_ROWS[0]]))

    assert by_labels == by_codes
    assert report.partners == {"new": 4}
    assert report.headers == SAMPLE_ROWS[0]
    assert f"{labels['relationship'].strip()} → relationship" in " ".join(report.notes)


@pytest.mark.parametrize(
    "header",
    ["name_he", "Name (Hebräisch)", "Name (Hebrew)", "Name (עברית)", "Name (he)", "שם [he]"],
)
def test_a_translated_column_by_its_language_named_in_any_configured_language(kinds, header):
    report = run(csv_bytes([["name_de", header, "country"], ["Haifa", "חיפה", "IL"]]))

    assert report.ok, report.errors
    assert Partner.objects.get().name_he == "חיפה"


@pytest.mark.parametrize(
    ("header", "columns"),
    [
        ("Name", "name_de “Name (German)”, name_en “Name (English)”, name_he “Name (Hebrew)”"),
        ("kind", "partner_kind “Kind of place”, relationship “Kind of relationship”"),
        ("Beschreibung", "description_de “Description (German)”"),
    ],
)
def test_a_label_of_several_columns_is_an_error_that_lists_them(kinds, header, columns):
    report = run(csv_bytes([["name_de", header, "country"], ["Haifa", "x", "IL"]]))

    assert not report.ok
    (error,) = report.errors
    assert (error.line, error.column) == (1, header)
    assert f"“{header}” could be any of these columns: {columns}" in error.message
    assert Partner.objects.count() == 0


def test_two_headers_for_one_column_are_an_error(kinds):
    report = run(csv_bytes([["name_de", "Land", "Name (Deutsch)"], ["Haifa", "IL", "Haifa"]]))

    assert not report.ok
    (error,) = report.errors
    assert error.column == "Name (Deutsch)"
    assert "column 1 (“name_de”) are both name_de" in error.message
    assert Partner.objects.count() == 0


def test_an_unknown_header_lists_the_columns_by_code_and_label(kinds):
    report = run(csv_bytes([["name_de", "Bemerkung"], ["Haifa", "1"]]))

    (error,) = report.errors
    assert error.message.startswith("Unknown column. Name a column by its code or its label")
    assert "country “Country”, partner_kind “Kind of place”" in error.message
    with translation.override("de"):
        (error,) = run(csv_bytes([["name_de", "Bemerkung"], ["Haifa", "1"]])).errors
    assert "Unbekannte Spalte" in error.message
    assert "country “Land”, partner_kind “Art des Ortes”" in error.message


# --- the file's own headers, mapped to columns (--map) ---

OWN_HEADERS = [
    ["Stadt", "Staat", "Bemerkung", "Region, Land", "Partnerschaft"],
    ["Köln", "DE", "=nicht lesen", "Nordrhein-Westfalen", "twin_city"],
    ["Haifa", "IL", "", "Haifa District", "Städtepartnerschaft"],
]
OWN_MAP = "Stadt=name_de,Staat=Country,Bemerkung=,Region, Land=region,Partnerschaft=relationship"


def command(tmp_path, rows, *args, **kwargs):
    path = tmp_path / "eigene.csv"
    path.write_bytes(csv_bytes(rows))
    call_command("import_partnerships", str(path), *args, **kwargs)


def test_command_map_reads_the_files_own_headers_and_ignores_a_column(kinds, tmp_path, capsys):
    from partnerships.transfer.models import ChangeSet

    command(tmp_path, OWN_HEADERS, "--map", OWN_MAP)

    out = capsys.readouterr().out
    cologne = Partner.objects.get(name_de="Köln")
    assert (cologne.country.code, cologne.region) == ("DE", "Nordrhein-Westfalen")
    assert Relationship.objects.filter(kind__code="twin_city").count() == 2
    assert "Columns read by their names: Stadt → name_de, Staat → country," in out
    assert "Columns ignored: Bemerkung." in out
    assert ChangeSet.objects.get().file_name == "eigene.csv"  # recorded like any import


def test_command_map_dry_run_previews_and_writes_nothing(kinds, tmp_path, capsys):
    rest = OWN_MAP.removeprefix("Stadt=name_de,")
    command(tmp_path, OWN_HEADERS, "--dry-run", "--map", "Stadt=Name (Deutsch)", "--map", rest)

    out = capsys.readouterr().out
    assert "Line 2: New Köln" in out
    assert "    region: Nordrhein-Westfalen" in out
    assert "Dry run: nothing was written." in out
    assert Partner.objects.count() == 0


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        # No name column is left.
        ("Stadt=,Bemerkung=", "The file needs a name column"),
        # Two file columns for one field.
        ("Stadt=name_de,Bemerkung=name_de", "are both name_de"),
        # An unknown or ambiguous field.
        ("Stadt=city", "It is mapped to “city”: Unknown column."),
        ("Stadt=Name", "It is mapped to “Name”: “Name” could be any of these columns"),
        # A header the file does not have.
        ("Ort=name_de", "The mapping names a column the file does not have; it has: Stadt, Staat"),
    ],
)
def test_command_a_bad_mapping_is_a_clear_error_and_writes_nothing(
    kinds, tmp_path, capsys, mapping, message
):
    rows = [row[:3] for row in OWN_HEADERS]  # Stadt, Staat, Bemerkung
    with pytest.raises(CommandError, match="nothing was imported"):
        command(tmp_path, rows, "--map", mapping, "--map", "Staat=country")

    assert message in capsys.readouterr().err
    assert Partner.objects.count() == 0


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ("Stadt", "--map: “Stadt” has no “=”"),
        ("=name_de", "--map: “=name_de” names no header"),
        ("Stadt=name_de,Stadt=name_en", "--map: “Stadt” is mapped twice."),
    ],
)
def test_command_a_mapping_that_cannot_be_read_is_refused_before_the_file(
    kinds, tmp_path, mapping, message
):
    with pytest.raises(CommandError, match=re.escape(message)):
        command(tmp_path, OWN_HEADERS, "--map", mapping)
    assert Partner.objects.count() == 0


def test_a_mapping_is_a_parameter_of_the_import(kinds):
    """For the admin's mapping step too: headers in any case; a column to ignore is None."""
    data = csv_bytes([row[:3] for row in OWN_HEADERS])

    report = run(data, mapping={"STADT": "name_de", "staat": "country", "Bemerkung": None})

    assert report.ok, report.errors
    assert report.headers == ["name_de", "country"]
    assert Partner.objects.count() == 2


def test_admin_previews_an_ods_and_names_the_sheet_it_read(kinds, importer):
    importer.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    with translation.override("de"):
        page = upload(importer, "two_sheets.ods").content.decode()

    assert page.count('<tr class="new">') == 4
    assert "LibreOffice-Tabelle (ODS)" in page
    assert "Nur das erste Tabellenblatt, „Partnerschaften“, wurde gelesen." in page
    assert Partner.objects.count() == 0


def test_admin_refuses_an_old_excel_file_in_german_with_both_programs_menus(kinds, importer):
    importer.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    with translation.override("de"):
        page = upload(importer, "old_excel.xls").content.decode()

    assert "Datei &gt; Speichern unter &gt; Excel-Arbeitsmappe (*.xlsx)" in page
    assert "Dateityp: ODF-Tabellendokument (.ods) oder Excel 2007–365 (.xlsx)" in page
