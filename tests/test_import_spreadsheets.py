"""Spreadsheets as offices keep them: several sheets, formulas, merged cells, hidden rows and
columns, passwords, old Excel, German-locale CSV, and headers as the admin (and lists) name them.

Most samples are made by LibreOffice itself (tests/samples/make_samples.py --libreoffice); the
rest are written here with openpyxl or as ODS XML, where a case needs a detail no sample shows.
"""

import io
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from partnerships.demo import content
from partnerships.models import Partner, Relationship, RelationshipKind
from partnerships.transfer.columns import LANGUAGE_CODES, OTHER_NAMES, Headers, build_columns
from partnerships.transfer.reading import OLE_MAGIC, open_table

from .test_import import (
    ODS_TEXT_CELL,
    SAMPLES,
    csv_bytes,
    imported,
    ods_bytes_with,
    problem,
    run,
    upload,
)


@pytest.fixture(autouse=True)
def english(client):
    """Messages are read in English, as in test_import.py."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def kinds(db):
    for data in content.KINDS:
        RelationshipKind.objects.create(**data)


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


# The four relationships of three partners every sample holds, as the CSV gives them.
REFERENCE = "comma_utf8.csv"


@pytest.fixture
def reference(kinds):
    """What the reference CSV imports as (partners and relationships, without ids)."""
    _report, made = imported((SAMPLES / REFERENCE).read_bytes())
    return made


def xlsx_bytes(book):
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def sheet_of(rows, title="Partnerschaften"):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return book, sheet


def rewritten(data, member, change):
    """A ZIP (XLSX) with one member's text changed by `change`."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == member:
                content = change(content.decode()).encode()
            target.writestr(item, content)
    return output.getvalue()


def nothing_written():
    return Partner.objects.count() == 0 and Relationship.objects.count() == 0


ROWS = [
    ["name_de", "country", "relationship"],
    ["Haifa", "IL", "twin_city"],
    ["Eilat", "IL", "twin_city"],
]


# --- which sheet is read ---


@pytest.mark.parametrize("sample", ["sheets.ods", "sheets.xlsx"])
def test_the_first_sheet_shown_with_data_is_read_and_the_preview_says_why(reference, sample):
    # Sheets: "Alt" (hidden, with a row that would be an error), "Tabelle1" (empty), the
    # partners, "Erläuterungen" (a title merged across columns, a hidden row) and a hidden
    # "Listen" with a formula's error: none of the others is read, nor makes a problem.
    report, made = imported((SAMPLES / sample).read_bytes())

    assert made == reference
    assert report.notes == [
        "The sheet “Partnerschaften” was read: it is the first sheet that is shown and holds "
        "data (“Alt” is hidden; “Tabelle1” is empty). No other sheet was read."
    ]


def test_a_template_with_explanations_and_lists_after_the_data_reads_the_data_sheet(kinds):
    book, _sheet = sheet_of(ROWS)
    explanations = book.create_sheet("Erläuterungen")
    explanations.append(["So füllen Sie die Tabelle aus", None, None])
    explanations.merge_cells("A1:C1")
    explanations.append(["name_de", "Name auf Deutsch"])
    lists = book.create_sheet("Listen")
    lists.append(["relationship"])
    lists.append(["=Partnerschaften!C2"])  # a formula without its value, as openpyxl writes it
    lists.row_dimensions[2].hidden = True
    lists.sheet_state = "hidden"

    report = run(xlsx_bytes(book))

    assert report.ok, report.errors
    assert report.partners == {"new": 2}
    assert report.notes == ["Only the first sheet, “Partnerschaften”, was read."]


def test_a_workbook_whose_only_data_is_on_a_hidden_sheet_says_how_to_show_it(kinds):
    book, sheet = sheet_of([], title="Tabelle1")
    old = book.create_sheet("Partner")
    for row in ROWS:
        old.append(row)
    old.sheet_state = "hidden"

    assert problem(xlsx_bytes(book)) == (
        "The only sheet with data, “Partner”, is hidden. Show it (in Excel: right-click a "
        "sheet's tab > Unhide; in LibreOffice: “Sheet > Show Sheet”), save the file and import "
        "it again."
    )
    assert nothing_written()


def test_a_workbook_without_data_on_any_sheet_is_empty(kinds):
    book, _sheet = sheet_of([], title="Tabelle1")
    book.create_sheet("Tabelle2")

    assert problem(xlsx_bytes(book)) == "The file is empty."


def test_the_one_sheet_of_a_file_is_read_without_a_note(kinds):
    assert run("libreoffice.xlsx").notes == []
    assert run("libreoffice.ods").notes == []


# --- formulas: the computed value, never the formula's text ---


def test_an_xlsx_saved_by_libreoffice_gives_the_values_of_its_formulas(reference):
    with zipfile.ZipFile(SAMPLES / "formula.xlsx") as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert '<f aca="false">1800000+61975</f><v>1861975</v>' in sheet
    assert '<f aca="false">A3</f><v>Haifa</v>' in sheet

    _report, made = imported((SAMPLES / "formula.xlsx").read_bytes())

    assert made == reference


def test_an_xlsx_whose_formulas_were_never_computed_is_refused_not_read_empty(kinds):
    # openpyxl writes a formula without its value: read for values, I2 would be empty.
    with zipfile.ZipFile(SAMPLES / "formula_not_computed.xlsx") as archive:
        assert "<f>1800000+61975</f><v />" in archive.read("xl/worksheets/sheet1.xml").decode()

    assert problem("formula_not_computed.xlsx") == (
        "Line 2: The cell I2 holds a formula whose value was never computed: the file was "
        "written by a program, not saved by Excel or LibreOffice, so the import would read the "
        "cell as empty. Open the file in Excel or LibreOffice Calc and save it, so that the "
        "values are computed, then import it again."
    )
    assert nothing_written()


def test_an_xlsx_that_asks_to_be_computed_on_opening_is_refused_though_it_holds_values(kinds):
    # XlsxWriter writes 0 as every formula's value and asks Excel to compute them on opening
    # (fullCalcOnLoad): that 0 is no value anyone computed.
    data = rewritten(
        (SAMPLES / "formula_not_computed.xlsx").read_bytes(),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace("<v />", "<v>0</v>"),
    )

    assert "The cell I2 holds a formula whose value was never computed" in problem(data)


def test_an_xlsx_formula_whose_text_result_is_empty_is_read_as_empty(kinds):
    # =IF(…;"";…) computed to "": a text result (t="str") with an empty value is a value.
    data = rewritten(
        (SAMPLES / "formula.xlsx").read_bytes(),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace('<f aca="false">A3</f><v>Haifa</v>', '<f aca="false">""</f><v/>'),
    )

    report = run(data)

    assert report.ok, report.errors
    assert Partner.objects.get(slug="haifa").name_en is None


def test_an_xlsx_formula_whose_result_is_an_error_is_refused_naming_the_cell(kinds):
    # openpyxl gives the error's text, "#DIV/0!", which would become the latitude's value.
    assert problem("formula_error.xlsx") == (
        "Line 4: The cell G4 holds a formula whose result is an error (#DIV/0!). Correct the "
        "formula or replace it by its value, then import the file again."
    )
    assert nothing_written()


def test_an_ods_formula_without_its_value_is_refused(kinds):
    data = ods_bytes_with(
        "<table:table-row>"
        + ODS_TEXT_CELL.format("name_de")
        + ODS_TEXT_CELL.format("country")
        + "</table:table-row><table:table-row>"
        + ODS_TEXT_CELL.format("Haifa")
        + '<table:table-cell table:formula="of:=&quot;IL&quot;"/>'
        + "</table:table-row>"
    )

    assert problem(data).startswith(
        "Line 2: The cell B2 holds a formula whose value was never computed"
    )


# --- merged cells ---


@pytest.mark.parametrize("sample", ["merged.ods", "merged.xlsx"])
def test_cells_merged_down_a_column_count_for_each_row_and_the_preview_says_so(reference, sample):
    # Chongqing's name, country and coordinates typed once over its two relationships' rows.
    report, made = imported((SAMPLES / sample).read_bytes())

    assert made == reference
    assert report.notes == [
        "Merged cells were read as they are shown: a cell merged down a column counts for "
        "each of its rows (A4:A5, B4:B5, C4:C5, G4:G5, H4:H5)."
    ]


@pytest.mark.parametrize("sample", ["merged_across.ods", "merged_across.xlsx"])
def test_cells_merged_across_columns_are_refused_naming_them(kinds, sample):
    assert problem(sample) == (
        "Line 3: The cells A3:B3 are merged into one. A cell merged down a column is read for "
        "each of its rows, but one merged across columns or with the header cannot be read: its "
        "value would belong to one column only. Unmerge it (in Excel “Home > Merge & Center”, in "
        "LibreOffice “Format > Merge and Unmerge Cells > Unmerge Cells”), give each cell its own "
        "value, save the file and import it again."
    )
    assert nothing_written()


def test_a_merged_header_is_refused(kinds):
    book, sheet = sheet_of([["Name", None, "country"], ["Haifa", "Haifa", "IL"]])
    sheet.merge_cells("A1:B1")

    assert problem(xlsx_bytes(book)).startswith("Line 1: The cells A1:B1 are merged into one.")


def test_a_merged_cell_leaves_a_row_that_holds_nothing_else_empty(kinds):
    book, sheet = sheet_of(
        [
            ["name_de", "country", "relationship"],
            ["Haifa", "IL", "twin_city"],
            [None, "IL", "city_friendship"],
            [None, None, None],  # a spacer under the merged name, not a row
            ["Eilat", "IL", "twin_city"],
        ]
    )
    sheet.merge_cells("A2:A4")

    report = run(xlsx_bytes(book))

    assert report.ok, report.errors
    assert report.rows_read == 3
    kinds_of_haifa = Partner.objects.get(name_de="Haifa").relationships.values_list("kind__code")
    assert sorted(kinds_of_haifa) == [("city_friendship",), ("twin_city",)]


def test_an_empty_merge_across_columns_is_only_formatting(kinds):
    book, sheet = sheet_of([*ROWS, [None, None, None, None], [None, None, None, None]])
    sheet.merge_cells("A5:D5")

    assert run(xlsx_bytes(book)).ok


# --- hidden rows and columns ---


@pytest.mark.parametrize("sample", ["hidden_rows.ods", "hidden_rows.xlsx"])
def test_hidden_rows_with_values_are_refused_naming_them(kinds, sample):
    assert problem(sample) == (
        "Row 3 is hidden (by hand or by a filter) and holds values: it would be imported "
        "without being seen. Show it (select the rows around it, then in Excel “Home > Format > "
        "Hide & Unhide > Unhide Rows”, in LibreOffice “Format > Rows > Show”; or remove the "
        "filter) or delete it, save the file and import it again."
    )
    assert nothing_written()


def test_rows_hidden_by_a_filter_are_named_as_lines(kinds):
    book, sheet = sheet_of([*ROWS, *[[f"Ort {n}", "IL", "twin_city"] for n in range(4, 9)]])
    for line in (3, 5, 6, 7):
        sheet.row_dimensions[line].hidden = True
    sheet.auto_filter.ref = "A1:C8"

    assert problem(xlsx_bytes(book)).startswith(
        "Rows 3, 5–7 are hidden (by hand or by a filter) and hold values"
    )


def test_an_ods_row_filtered_out_is_refused(kinds):
    def row(*values, visibility=None):
        attribute = f' table:visibility="{visibility}"' if visibility else ""
        cells = "".join(ODS_TEXT_CELL.format(value) for value in values)
        return f"<table:table-row{attribute}>{cells}</table:table-row>"

    data = ods_bytes_with(
        row("name_de", "country")
        + row("Haifa", "IL")
        + row("Eilat", "IL", visibility="filter")
        + '<table:table-row table:visibility="collapse" table:number-rows-repeated="9">'
        "<table:table-cell/></table:table-row>"  # hidden, but empty: no concern
    )

    assert problem(data).startswith("Row 3 is hidden (by hand or by a filter)")


def test_hidden_rows_without_values_are_no_concern(kinds):
    book, sheet = sheet_of([*ROWS, [None], [None]])
    sheet.row_dimensions[4].hidden = True
    sheet.row_dimensions[5].hidden = True

    assert run(xlsx_bytes(book)).ok


@pytest.mark.parametrize("sample", ["hidden_column.ods", "hidden_column.xlsx"])
def test_a_hidden_column_is_read_and_the_preview_names_it(reference, sample):
    report, made = imported((SAMPLES / sample).read_bytes())

    assert made == reference
    assert report.notes == ["A hidden column was read too: K “description_de”."]


def test_columns_hidden_after_the_table_are_not_named(kinds):
    book, sheet = sheet_of(ROWS)
    sheet.column_dimensions.group("E", "Z", hidden=True)

    assert run(xlsx_bytes(book)).notes == []


# --- passwords and old Excel ---


def test_an_xlsx_protected_by_a_password_in_libreoffice_says_so(kinds):
    data = (SAMPLES / "password.xlsx").read_bytes()
    assert data.startswith(OLE_MAGIC)  # an OLE2 container, as Excel writes one too
    assert "EncryptedPackage".encode("utf-16-le") in data

    assert problem(data) == (
        "This spreadsheet is protected by a password, so it cannot be read here. Save it "
        "without one and import that file: in Excel “File > Info > Protect Workbook > Encrypt "
        "with Password”, delete the password, then save; in LibreOffice “File > Save As”, "
        "without “Save with password”."
    )
    assert nothing_written()


def test_an_ods_protected_by_a_password_in_libreoffice_says_so(kinds):
    with zipfile.ZipFile(SAMPLES / "password.ods") as archive:
        assert b"manifest:encryption-data" in archive.read("META-INF/manifest.xml")

    assert problem("password.ods") == (
        "This spreadsheet is protected by a password. Save it without one (in LibreOffice "
        "“File > Save As”, without “Save with password”) and import that file."
    )


def test_an_xls_saved_by_libreoffice_says_how_to_save_it_in_both_programs(kinds):
    message = problem("libreoffice.xls")

    assert message.startswith("This is an old Excel file (.xls, Excel 97–2003), which cannot")
    assert "password" not in message
    assert "in Excel “File > Save As > Excel Workbook (*.xlsx)”" in message
    assert (
        "in LibreOffice “File > Save As > File type: ODF Spreadsheet (.ods) or Excel 2007–365 "
        "(.xlsx)”"
    ) in message


def test_an_ole2_file_that_names_no_known_stream_keeps_the_message_for_all_cases(kinds):
    # Only the container's signature: an .xls, a Word file, or one protected by a password.
    message = problem("old_excel.xls")

    assert "a Word file or a file protected by a password" in message
    with translation.override("de"):
        message = problem("old_excel.xls")
    assert "Datei > Speichern unter > Excel-Arbeitsmappe (*.xlsx)" in message


def test_an_old_word_file_is_not_a_spreadsheet(kinds):
    data = OLE_MAGIC + b"\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "WordDocument\x00".encode("utf-16-le")

    assert problem(data).startswith("This file is not a spreadsheet.")


# --- German-locale CSV by LibreOffice ---


@pytest.mark.parametrize("sample", ["german_libreoffice.csv", "german_libreoffice.ods"])
def test_libreoffice_in_german_with_two_digit_years_imports_the_same(reference, sample):
    if sample.endswith(".csv"):
        text = (SAMPLES / sample).read_text("utf-8")
        assert ";22.07.04;" in text  # "Text CSV" with cells as shown: German short dates
        assert ";52,2297;21,0122;1.861.975;" in text

    _report, made = imported((SAMPLES / sample).read_bytes())

    assert made == reference
    assert Partner.objects.count() == 0  # `imported` clears up; the dates were compared above


def test_the_german_csv_reads_a_two_digit_year_as_this_century(kinds):
    assert run("german_libreoffice.csv").ok
    assert Relationship.objects.get(partner__slug="haifa").since == "2004-07-22"


# --- headers as the admin (and lists) name them ---


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_column_reads_back_by_its_label_in_every_language(language):
    columns = build_columns()
    headers = Headers(columns)
    with translation.override(language):
        for column in columns:
            label = headers.label(column)
            assert headers.resolve(label) is column, label
            assert headers.resolve(label.upper()) is column, label


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Beziehungsart", "relationship"),
        ("Art der Beziehung", "relationship"),
        ("Relationship kind", "relationship"),
        ("Bevölkerung", "population"),
        ("Einwohnerzahl", "population"),
        ("Einwohner", "population"),
        ("Breitengrad", "latitude"),
        ("Längengrad", "longitude"),
        ("Land", "country"),
        ("Seit", "since"),
        ("Name (Deutsch)", "name_de"),
    ],
)
def test_german_headers_name_their_columns(header, column):
    assert Headers(build_columns()).resolve(header).column_name == column


def test_a_german_sheet_imports_by_its_headers(kinds):
    rows = [
        ["Name (Deutsch)", "Land", "Beziehungsart", "Seit", "Breitengrad", "Längengrad"]
        + ["Bevölkerung"],
        ["Haifa", "Israel", "Städtepartnerschaft", "22.07.04", "32,794", "34,9896", "285.316"],
    ]

    with translation.override("de"):
        report = run(csv_bytes(rows))

    assert report.ok, report.errors
    haifa = Partner.objects.get()
    assert (haifa.name_de, haifa.country.code, haifa.population) == ("Haifa", "IL", 285316)
    assert (str(haifa.latitude), str(haifa.longitude)) == ("32.79400", "34.98960")
    relationship = haifa.relationships.get()
    assert (relationship.kind.code, relationship.since) == ("twin_city", "2004-07-22")
    assert "Beziehungsart → relationship, Seit → since" in " ".join(report.notes)


def test_other_names_name_no_other_column():
    headers = Headers(build_columns())
    for column, names in OTHER_NAMES.items():
        for name in names:
            assert headers.resolve(name).column_name == column


# --- the preview and the command say what was done ---


def test_admin_preview_names_merged_cells_and_writes_nothing(kinds, importer):
    page = upload(importer, "merged.xlsx").content.decode()

    assert page.count('<tr class="new">') == 4
    assert "Merged cells were read as they are shown" in page
    assert "A4:A5, B4:B5, C4:C5, G4:G5, H4:H5" in page
    assert nothing_written()


def test_admin_refuses_hidden_rows_with_the_message(kinds, importer):
    page = upload(importer, "hidden_rows.xlsx").content.decode()

    assert re.search(r"Row 3 is hidden \(by hand or by a filter\)", page)
    assert nothing_written()


def test_command_says_which_sheet_it_read(kinds, capsys):
    call_command("import_partnerships", str(SAMPLES / "sheets.xlsx"), "--dry-run")

    assert "The sheet “Partnerschaften” was read" in capsys.readouterr().out


def test_command_refuses_an_encrypted_xlsx(kinds):
    with pytest.raises(CommandError, match="protected by a password"):
        call_command("import_partnerships", str(SAMPLES / "password.xlsx"))
    assert nothing_written()


def test_open_table_reads_lines_after_merged_rows_with_their_numbers(kinds):
    table = open_table((SAMPLES / "merged.ods").read_bytes())

    assert [line for line, _values in table.rows][:4] == [2, 3, 4, 5]


# --- the sheet's XML, as other programs write it ---


def test_an_xlsx_with_prefixed_tags_and_unnamed_cells_is_looked_at_the_same():
    from partnerships.transfer.reading import inspect_xlsx

    sheet = (
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:cols><x:col min="2" max="2" hidden="1"/></x:cols><x:sheetData>'
        '<x:row><x:c t="inlineStr"><x:is><x:t>name_de</x:t></x:is></x:c></x:row>'
        '<x:row hidden="true"><x:c/><x:c t="inlineStr"><x:is><x:t>Haifa</x:t></x:is></x:c>'
        "</x:row>"
        "<x:row><x:c/><x:c/><x:c><x:f>1+1</x:f></x:c></x:row>"
        '</x:sheetData><x:mergeCells><x:mergeCell ref="A5:A6"/></x:mergeCells></x:worksheet>'
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("sheet.xml", sheet)

    with zipfile.ZipFile(output) as archive:
        layout = inspect_xlsx(archive, "sheet.xml", recalculate=False)

    assert layout.hidden_columns == {1}
    assert layout.hidden_rows == [2]
    assert str(layout.problem) == (
        "Line 3: The cell C3 holds a formula whose value was never computed: the file was "
        "written by a program, not saved by Excel or LibreOffice, so the import would read the "
        "cell as empty. Open the file in Excel or LibreOffice Calc and save it, so that the "
        "values are computed, then import it again."
    )


def test_an_ods_merge_after_repeated_cells_is_named_by_its_column(kinds):
    data = ods_bytes_with(
        "<table:table-row>"
        + "".join(
            ODS_TEXT_CELL.format(name)
            for name in ("name_de", "country", "region", "status", "website")
        )
        + "</table:table-row><table:table-row>"
        + ODS_TEXT_CELL.format("Haifa")
        + '<table:table-cell table:number-columns-repeated="2"/>'
        + '<table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="1" '
        'office:value-type="string"><text:p>x</text:p></table:table-cell>'
        + "<table:covered-table-cell/></table:table-row>"
    )

    assert problem(data).startswith("Line 2: The cells D2:E2 are merged into one.")


# --- an office's own lists, typed into German LibreOffice Calc and saved by it ---


@pytest.mark.parametrize("sample", ["german_headers.ods", "german_headers.xlsx"])
def test_a_list_with_the_admins_german_labels_as_headers_imports_as_it_is(kinds, importer, sample):
    response = upload(importer, sample)

    report = response.context["report"]
    assert report.ok, report.errors
    assert "mapping_form" not in response.context  # every header is known: no mapping step
    importer.post(
        reverse("admin:partnerships_partner_process_import"), {"token": response.context["token"]}
    )
    krakow = Partner.objects.get(name_de="Krakau")
    assert (krakow.name_en, krakow.country.code, krakow.population) == ("Kraków", "PL", 800653)
    assert float(krakow.latitude) == 50.0614
    lyon = Relationship.objects.get(partner__name_de="Lyon")
    assert lyon.kind.code == "city_friendship" and lyon.since == "2004-07-22"


@pytest.mark.parametrize("sample", ["office_list.ods", "office_list.xlsx"])
def test_a_list_in_the_offices_own_headers_is_mapped_previewed_and_imported(
    kinds, importer, sample
):
    response = upload(importer, sample)
    form = response.context["mapping_form"]
    assert [field.label for field, _values in form.columns()] == [
        "Stadt",
        "Staat",
        "Beziehung",
        "Bemerkung",
    ]
    choices = {
        name: code
        for name, code in zip(form.fields, ["name_de", "country", "relationship", "-"], strict=True)
    }

    response = importer.post(
        reverse("admin:partnerships_partner_map_columns"),
        {"token": response.context["token"], **choices},
        follow=True,
    )

    report = response.context["report"]
    assert report.ok, report.errors
    assert report.partners["new"] == 3 and report.relationships["new"] == 3
    assert not Partner.objects.exists()  # previewed, not written
    importer.post(
        reverse("admin:partnerships_partner_process_import"), {"token": response.context["token"]}
    )
    assert sorted(Partner.objects.values_list("name_de", flat=True)) == ["Gent", "Krakau", "Lyon"]
    assert Relationship.objects.get(partner__name_de="Krakau").since == "1991"


def test_the_command_maps_the_offices_own_headers_too(kinds):
    out = io.StringIO()
    call_command(
        "import_partnerships",
        str(SAMPLES / "office_list.xlsx"),
        "--map",
        "Stadt=name_de,Staat=country,Beziehung=relationship,Bemerkung=",
        stdout=out,
    )
    assert Partner.objects.count() == 3 and Relationship.objects.count() == 3
