"""The import template: downloaded from the import page, filled in, saved, imported unchanged."""

import csv
import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string
from python_calamine import CalamineWorkbook

from partnerships.demo import content
from partnerships.models import Partner, Relationship, RelationshipKind
from partnerships.transfer.columns import build_columns
from partnerships.transfer.engine import import_table
from partnerships.transfer.reading import open_table
from partnerships.transfer.template import template_columns, template_ods, template_xlsx

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
FORMATS = ["xlsx", "ods"]
BUILDERS = {"xlsx": template_xlsx, "ods": template_ods}
CODES = [column.column_name for column in build_columns()]
DROP_DOWNS = ["country", "partner_kind", "published", "relationship", "status"]
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


@pytest.fixture
def kinds(db):
    for data in content.KINDS:
        RelationshipKind.objects.create(**data)


@pytest.fixture
def editor_client(client):
    user = User.objects.create_user("redaktion", password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name="Partnership editors"))
    client.force_login(user)
    return client


def template_url(file_format, model="partner"):
    return reverse(f"admin:partnerships_{model}_import_template", args=[file_format])


def built(file_format, language):
    with translation.override(language):
        return BUILDERS[file_format]()


def headers_of(data):
    return [str(header) for header in open_table(data).headers]


def import_report(data, **kwargs):
    return import_table(open_table(data), **kwargs)


# --- the drop-downs as Excel and Calc see them: the column's header -> the list's values ---


def xlsx_drop_downs(data):
    """{header: (validation, values)} of the first sheet, each list read where it points."""
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    found = {}
    for validation in sheet.data_validations.dataValidation:
        letter = str(validation.sqref).split(":")[0].rstrip("0123456789")
        ((title, cells),) = book.defined_names[validation.formula1].destinations
        values = [cell.value for row in book[title][cells.replace("$", "")] for cell in row]
        found[headers[letter]] = (validation, values)
    return found


RANGE_RE = re.compile(
    r"\$'?(?P<sheet>.+?)'?\.\$(?P<column>[A-Z]+)\$(?P<first>\d+):\.\$[A-Z]+\$(?P<last>\d+)"
)


def ods_cells(row):
    """A row's cells, repeated ones expanded."""
    for cell in row:
        if cell.tag in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
            yield from [cell] * int(cell.get(f"{TABLE}number-columns-repeated", 1))


def ods_drop_downs(data):
    """{header: (content-validation element, values)}: the validation of each cell of the first
    row under the header, its list read from the range it names (directly, or by a named range
    as LibreOffice writes a validation it read from an XLSX)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    validations = {v.get(f"{TABLE}name"): v for v in root.iter(f"{TABLE}content-validation")}
    named = {
        r.get(f"{TABLE}name"): r.get(f"{TABLE}cell-range-address")
        for r in root.iter(f"{TABLE}named-range")
    }
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    header_row, first_row, *_rest = next(root.iter(f"{TABLE}table")).iter(f"{TABLE}table-row")
    headers = ["".join(cell.itertext()) for cell in ods_cells(header_row)]
    found = {}
    for header, cell in zip(headers, ods_cells(first_row), strict=False):
        name = cell.get(f"{TABLE}content-validation-name")
        if not name:
            continue
        validation = validations[name]
        source = re.fullmatch(
            r"of:cell-content-is-in-list\(\[?(.+?)\]?\)", validation.get(f"{TABLE}condition")
        )[1]
        where = RANGE_RE.fullmatch(named.get(source, source))
        sheet = book.get_sheet_by_name(where["sheet"].replace("''", "'")).to_python()
        column = column_index_from_string(where["column"]) - 1
        rows = sheet[int(where["first"]) - 1 : int(where["last"])]
        found[header] = (validation, [row[column] for row in rows])
    return found


def drop_downs(data, file_format):
    return (xlsx_drop_downs if file_format == "xlsx" else ods_drop_downs)(data)


# --- the download ---


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("user", ["superuser", "editor"])
def test_superusers_and_editors_download_the_template(
    kinds, admin_client, editor_client, user, file_format
):
    client = admin_client if user == "superuser" else editor_client

    response = client.get(template_url(file_format))

    assert response.status_code == 200
    assert (
        response["Content-Type"]
        == {
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "ods": "application/vnd.oasis.opendocument.spreadsheet",
        }[file_format]
    )
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith(f'.{file_format}"')
    assert len(headers_of(response.content)) == len(CODES)


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_relationship_list_offers_the_same_template(kinds, editor_client, file_format):
    response = editor_client.get(template_url(file_format, model="relationship"))
    assert response.status_code == 200


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_user_without_the_import_permission_gets_403(kinds, client, file_format):
    user = User.objects.create_user("viewer", password="pw-for-tests-only", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_partner"))
    client.force_login(user)

    assert client.get(template_url(file_format)).status_code == 403


def test_another_format_is_not_found(kinds, admin_client):
    url = template_url("xlsx").replace("template.xlsx", "template.csv")
    assert admin_client.get(url).status_code == 404


def test_the_import_page_links_both_templates(kinds, editor_client):
    page = editor_client.get(reverse("admin:partnerships_partner_import")).content.decode()

    assert f'href="{template_url("xlsx")}"' in page
    assert f'href="{template_url("ods")}"' in page
    assert "Excel (XLSX)" in page
    assert "LibreOffice (ODS)" in page


# --- the headers ---


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize(
    "language, expected",
    [
        ("de", ["Kurzname (URL)", "Name (Deutsch)", "Land", "Art der Beziehung", "Seit"]),
        ("en", ["Slug", "Name (German)", "Country", "Kind of relationship", "Since"]),
    ],
)
def test_the_header_row_is_in_the_editors_language(
    kinds, editor_client, file_format, language, expected
):
    response = editor_client.get(template_url(file_format), HTTP_ACCEPT_LANGUAGE=language)

    headers = headers_of(response.content)

    assert set(expected) <= set(headers)
    assert headers[0] == expected[0]


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_headers_are_read_back_in_every_configured_language(kinds, file_format, language):
    data = built(file_format, language)

    with translation.override("en"):
        report = import_report(data, dry_run=True)

    assert report.headers == CODES  # every header named its column, in the import's order
    assert [error.message for error in report.errors] == ["The file has a header but no rows."]


# --- the drop-downs ---


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_drop_downs_are_filled_from_the_database(kinds, file_format):
    RelationshipKind.objects.create(code="sister_region", name_de="Partnerregion", order=99)

    found = drop_downs(built(file_format, "de"), file_format)

    assert set(found) == {"Land", "Art des Ortes", "Veröffentlicht", "Art der Beziehung", "Status"}
    assert found["Art der Beziehung"][1] == [
        *(kind["name_de"] for kind in content.KINDS),
        "Partnerregion",
    ]
    assert found["Status"][1] == ["Aktiv", "Ausgesetzt", "Beendet"]
    assert found["Art des Ortes"][1][:3] == ["Stadt", "Gemeinde", "Region"]
    countries = found["Land"][1]
    assert len(countries) > 240
    assert {"Polen", "Frankreich", "Vereinigtes Königreich"} <= set(countries)


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_drop_downs_are_in_the_editors_language(kinds, file_format):
    found = drop_downs(built(file_format, "en"), file_format)

    assert found["Kind of relationship"][1][0] == "Twin city"
    assert found["Status"][1] == ["Active", "Suspended", "Ended"]
    assert "Poland" in found["Country"][1]


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_value_a_drop_down_offers_is_read_back_as_its_own(kinds, language):
    columns = {column.column_name: column for column in build_columns()}
    with translation.override(language):
        offered = {column.code: column.choices for column in template_columns()}
    for code in DROP_DOWNS:
        widget = columns[code].widget
        values = [widget.clean(value) for value in offered[code]]
        assert len(set(values)) == len(values), (code, offered[code])  # each one a value
    assert len(offered["relationship"]) == len(content.KINDS)
    assert len(offered["status"]) == len(Relationship.Status.choices)
    assert len(offered["partner_kind"]) == len(Partner.Kind.choices)


@pytest.mark.parametrize("file_format", FORMATS)
def test_without_any_kind_of_relationship_that_column_has_no_drop_down(db, file_format):
    data = built(file_format, "en")

    assert set(drop_downs(data, file_format)) == {"Country", "Kind of place", "Published", "Status"}
    assert len(headers_of(data)) == len(CODES)


def test_a_name_two_values_share_is_offered_by_its_code(kinds):
    # Hebrew has one word for prefecture and county: "מחוז" would be read as prefecture.
    with translation.override("he"):
        kinds_of_place = next(c for c in template_columns() if c.code == "partner_kind").choices
    assert "מחוז" in kinds_of_place
    assert "county" in kinds_of_place


def test_a_kind_whose_name_looks_like_a_formula_is_offered_by_its_code(kinds):
    RelationshipKind.objects.create(code="sums", name_de="=SUMME(1;2)", order=99)

    found = xlsx_drop_downs(built("xlsx", "de"))

    assert found["Art der Beziehung"][1][-1] == "sums"
    book = load_workbook(io.BytesIO(built("xlsx", "de")))
    assert not [c for s in book for row in s.iter_rows() for c in row if c.data_type == "f"]


def test_free_text_gets_a_warning_in_excel(kinds):
    for validation, _values in xlsx_drop_downs(built("xlsx", "en")).values():
        assert validation.type == "list"
        assert validation.allow_blank
        assert validation.showErrorMessage
        assert validation.errorStyle == "warning"
        assert "not in the list" in validation.error
        assert re.fullmatch(r"(?P<column>[A-Z]+)2:(?P=column)1001", str(validation.sqref))


def test_free_text_gets_a_warning_in_calc(kinds):
    for validation, _values in ods_drop_downs(built("ods", "en")).values():
        assert validation.get(f"{TABLE}allow-empty-cell") == "true"
        (message,) = validation.iter(f"{TABLE}error-message")
        assert message.get(f"{TABLE}display") == "true"
        assert message.get(f"{TABLE}message-type") == "warning"
        assert "not in the list" in "".join(message.itertext())


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_lists_sheet_is_hidden_and_last(kinds, file_format):
    data = built(file_format, "en")
    if file_format == "xlsx":
        book = load_workbook(io.BytesIO(data))
        assert [(s.title, s.sheet_state) for s in book.worksheets] == [
            ("Partnerships", "visible"),
            ("Explanation", "visible"),
            ("Lists", "hidden"),
        ]
        assert book.worksheets[0].freeze_panes == "A2"
    else:
        content_xml = zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode()
        assert CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names == [
            "Partnerships",
            "Explanation",
            "Lists",
        ]
        assert '<table:table table:name="Lists" table:style-name="hidden">' in content_xml


# --- the explanation sheet ---


def explanation(data):
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(1).to_python()
    start = next(number for number, row in enumerate(rows) if row[1] == "Code")
    return rows[start], {row[1]: row for row in rows[start + 1 :] if row[1]}


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_explanation_sheet_explains_every_column(kinds, file_format):
    data = built(file_format, "en")

    headings, rows = explanation(data)

    assert headings == ["Column", "Code", "Meaning", "Required", "Example", "Accepted values"]
    assert list(rows) == CODES
    assert [rows[code][0] for code in CODES] == headers_of(data)
    for code, (_header, _code, meaning, required, _example, accepted) in rows.items():
        assert meaning and required and accepted, code
    assert rows["country"][3] == "yes, for a new partner"
    assert rows["country"][4] == "Poland"
    assert "Twin city, Domestic partnership" in rows["relationship"][5]
    assert rows["status"][5] == "a value from the drop-down list: Active, Suspended, Ended"


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_explanations_examples_import(kinds, language):
    with translation.override(language):
        columns = template_columns()
    row = [[column.header for column in columns], [column.example for column in columns]]

    report = import_table(open_table(csv_bytes(row)))

    assert report.ok, report.errors
    warsaw = Partner.objects.get()
    assert (warsaw.slug, warsaw.country.code, warsaw.kind) == ("warsaw", "PL", "city")
    assert warsaw.latitude == Decimal("52.22970")
    assert warsaw.relationships.get().kind.code == "twin_city"


def csv_bytes(rows):
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    return out.getvalue().encode("utf-8")


# --- filled in and imported ---


def fill_xlsx(data, rows):
    """The template with `rows` ({column code: value}) typed in, saved as Excel would."""
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    with translation.override("de"):
        labels = {column.header: column.code for column in template_columns()}
    position = {labels[cell.value]: cell.column for cell in sheet[1]}
    for number, row in enumerate(rows, start=2):
        for code, value in row.items():
            sheet.cell(row=number, column=position[code], value=value)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def upload_and_confirm(client, name, data):
    response = client.post(
        reverse("admin:partnerships_partner_import"),
        {"import_file": SimpleUploadedFile(name, data)},
        follow=True,  # to the file's page (tasks run at once in tests: checked already)
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert report.ok, report.errors
    token = response.context["token"]
    response = client.post(reverse("admin:partnerships_partner_process_import"), {"token": token})
    assert response.status_code == 302
    return report


def test_a_filled_template_imports_through_the_admin(kinds, editor_client):
    data = editor_client.get(template_url("xlsx"), HTTP_ACCEPT_LANGUAGE="de").content
    filled = fill_xlsx(
        data,
        [
            {
                "name_de": "Krakau",
                "country": "Polen",
                "relationship": "Städtepartnerschaft",
                "status": "Aktiv",
                "since": 1991,
            },
            {"name_de": "Krakau", "country": "Polen", "relationship": "Städtefreundschaft"},
        ],
    )

    report = upload_and_confirm(editor_client, "Vorlage.xlsx", filled)

    assert report.partners == {"new": 1}
    krakau = Partner.objects.get()
    assert (krakau.name_de, krakau.country.code, krakau.slug) == ("Krakau", "PL", "krakau")
    assert sorted(krakau.relationships.values_list("kind__code", "since")) == [
        ("city_friendship", ""),
        ("twin_city", "1991"),
    ]


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_template_libreoffice_saved_imports_exactly_the_filled_rows(kinds, file_format):
    data = (SAMPLES / f"template_filled_libreoffice.{file_format}").read_bytes()

    with translation.override("en"):
        report = import_report(data)

    assert report.ok, report.errors
    assert report.partners == {"new": 2}
    assert report.relationships == {"new": 2}
    assert report.notes[0] == "Only the first sheet, “Partnerships”, was read."
    krakau = Partner.objects.get(slug="krakow")
    assert (krakau.name_de, krakau.name_en, krakau.country.code) == ("Krakau", "Kraków", "PL")
    assert (krakau.latitude, krakau.longitude) == (Decimal("50.06143"), Decimal("19.93658"))
    assert (krakau.population, krakau.is_published, krakau.kind) == (800653, True, "city")
    assert krakau.description_de == "Alte Königsstadt an der Weichsel."
    nice = Partner.objects.get(slug="nice")
    assert nice.country.code == "FR"
    assert sorted(
        Relationship.objects.values_list("partner__slug", "kind__code", "status", "since", "until")
    ) == [
        ("krakow", "city_friendship", "active", "1991", ""),
        ("nice", "business_partnership", "suspended", "2004-07-22", "2020-03-01"),
    ]
    assert nice.relationships.get().summary_de == "Zusammenarbeit der Häfen."


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_template_libreoffice_saved_imports_through_the_admin(
    kinds, editor_client, file_format
):
    data = (SAMPLES / f"template_filled_libreoffice.{file_format}").read_bytes()

    report = upload_and_confirm(editor_client, f"Vorlage.{file_format}", data)

    assert report.partners == {"new": 2}
    assert Relationship.objects.count() == 2


@pytest.mark.parametrize("file_format", FORMATS)
def test_libreoffice_keeps_the_drop_downs_when_it_saves_the_template(kinds, file_format):
    data = (SAMPLES / f"template_filled_libreoffice.{file_format}").read_bytes()

    found = drop_downs(data, file_format)

    assert set(found) == {"Land", "Art des Ortes", "Veröffentlicht", "Art der Beziehung", "Status"}
    assert "Städtepartnerschaft" in found["Art der Beziehung"][1]
    assert "Polen" in found["Land"][1]


def test_free_text_in_a_drop_down_column_is_a_row_error_and_nothing_is_written(kinds):
    book = load_workbook(SAMPLES / "template_filled_libreoffice.xlsx")
    sheet = book.worksheets[0]
    column = next(cell.column for cell in sheet[1] if cell.value == "Art der Beziehung")
    sheet.cell(row=3, column=column, value="Patenschaft")  # typed over the drop-down
    output = io.BytesIO()
    book.save(output)

    with translation.override("en"):
        report = import_report(output.getvalue())

    assert not report.ok
    ((line, column_name, value, message),) = [
        (error.line, error.column, error.value, error.message) for error in report.errors
    ]
    assert (line, column_name, value) == (3, "relationship", "Patenschaft")
    assert message.startswith("is not a kind of relationship; known: ")
    for kind in content.KINDS:
        assert kind["code"] in message
    assert Partner.objects.count() == 0
    assert Relationship.objects.count() == 0


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_reads_the_ods_template_with_its_drop_downs(kinds, tmp_path):
    """Calc opens the hand-written ODS: saved as XLSX, its drop-downs point at the lists."""
    source = tmp_path / "template.ods"
    source.write_bytes(built("ods", "de"))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    book = load_workbook(tmp_path / "template.xlsx")
    assert [sheet.sheet_state for sheet in book.worksheets] == ["visible", "visible", "hidden"]
    validations = book.worksheets[0].data_validations.dataValidation
    lists = book.worksheets[2].title
    assert sorted(str(v.formula1) for v in validations) == [
        f"{lists}!$A$2:$A${len(drop_downs(built('ods', 'de'), 'ods')['Land'][1]) + 1}",
        f"{lists}!$B$2:$B$7",
        f"{lists}!$C$2:$C$3",
        f"{lists}!$D$2:$D${len(content.KINDS) + 1}",
        f"{lists}!$E$2:$E$4",
    ]
    assert {v.errorStyle for v in validations} == {"warning"}
