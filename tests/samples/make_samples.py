"""Write the sample files the import tests read: `python tests/samples/make_samples.py`.

The files are committed; this script says how each was made (German Excel's quirks included),
and makes the XLSX, which is binary.

The files LibreOffice writes itself are made by `python tests/samples/make_samples.py
--libreoffice` (Debian: `apt-get install libreoffice-calc-nogui`, which brings python3-uno; made
with LibreOffice 7.4.7.2), which writes the CSVs and the two-sheet XLSX named below into a
scratch folder and runs, from there, with CSV='--infilter=CSV:44,34,76,1,,1033' and
OUT='--outdir tests/samples' (and a profile of its own, so that a LibreOffice already open is
left alone):

    soffice --headless $CSV --convert-to ods $OUT libreoffice.csv
    soffice --headless $CSV --convert-to 'xlsx:Calc MS Excel 2007 XML' $OUT libreoffice.csv
    soffice --headless $CSV --convert-to ods $OUT formula.csv
    soffice --headless $CSV --convert-to 'xlsx:Calc MS Excel 2007 XML' $OUT formula.csv
    soffice --headless $CSV --convert-to ods $OUT formula_error.csv
    soffice --headless $CSV --convert-to 'xlsx:Calc MS Excel 2007 XML' $OUT formula_error.csv
    soffice --headless --infilter=CSV:59,34,76,1,,1031 --convert-to ods $OUT german_headers.csv
    (the same to 'xlsx:Calc MS Excel 2007 XML', and both for office_list.csv)
    soffice --headless --convert-to ods $OUT two_sheets.xlsx
    soffice --headless --convert-to ods $OUT sheets.xlsx
    soffice --headless --convert-to 'xlsx:Calc MS Excel 2007 XML' $OUT sheets.xlsx
    soffice --headless --convert-to 'csv:Text - txt - csv (StarCalc):59,34,76,1,,1031' \
        $OUT german_libreoffice.ods

What an editor does in Calc's menus (merge cells, hide rows, columns and sheets, save with a
password, save as .xls, format dates the German way) is done through LibreOffice's own API
(`uno_samples`, run by Debian's /usr/bin/python3 with python3-uno): each file is the one Calc
saves after those steps. See `uno_samples` for what each holds.

LibreOffice stamps each file with the time it was made and an encrypted file with a random key:
running it again changes every file.
"""

import datetime
import json
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent

HEADER = [
    "name_de",
    "name_en",
    "country",
    "relationship",
    "since",
    "until",
    "latitude",
    "longitude",
    "population",
    "status",
    "description_de",
]
# Four relationships of three partners, written the way each file format writes them.
ROWS = [
    [
        "Warschau",
        "Warsaw",
        "Polen",
        "Städtepartnerschaft",
        "1989",
        "",
        "52,2297",
        "21,0122",
        "1.861.975",
        "Active",
        "Hauptstadt Polens.",
    ],
    [
        "Haifa",
        "Haifa",
        "IL",
        "twin city",
        "22.07.2004",
        "",
        "32,794",
        "34,9896",
        "",
        "",
        "Hafenstadt; „Partnerstadt“ seit 2004.",
    ],
    ["Chongqing", "Chongqing", "China", "twin_city", "2004", "", "29,5630", "106,5516", "", "", ""],
    [
        "Chongqing",
        "Chongqing",
        "China",
        "agenda21_partnership",
        "2010",
        "2020",
        "29,5630",
        "106,5516",
        "",
        "ended",
        "",
    ],
]


def dot(value):
    return value.replace(".", "").replace(",", ".") if "," in value else value


def english(row):
    """The same rows as an English-locale tool writes them: dots, ISO dates."""
    row = list(row)
    row[4] = "2004-07-22" if row[4] == "22.07.2004" else row[4]
    row[6], row[7] = dot(row[6]), dot(row[7])
    row[8] = row[8].replace(".", ",")
    return row


def csv_text(rows, delimiter, quote_all=False):
    import csv
    import io

    out = io.StringIO()
    csv.writer(
        out,
        delimiter=delimiter,
        lineterminator="\r\n",
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    ).writerows(rows)
    return out.getvalue()


def write(name, data):
    (HERE / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def main():
    # German Excel "CSV (Trennzeichen-getrennt)": semicolons, Windows-1252, decimal comma,
    # dd.mm.yyyy, and the empty trailing rows and columns Excel leaves behind.
    german = [h + [""] * 0 for h in [HEADER]] + ROWS
    text = csv_text([[*r, "", ""] for r in german], ";") + ";;;;;;;;;;;;\r\n;;;;;;;;;;;;\r\n"
    write("german_excel_cp1252.csv", text.encode("cp1252"))
    # German Excel "CSV UTF-8": the same with a byte-order mark.
    write("german_excel_utf8_bom.csv", "\ufeff" + csv_text(german, ";"))
    # An English tool: commas, UTF-8 without BOM, every value quoted, headers in odd case/spaces.
    header = [" Name_DE ", "NAME_EN", "Country", "relationship ", *HEADER[4:]]
    write("comma_utf8.csv", csv_text([header, *[english(r) for r in ROWS]], ",", True))
    # Tab-separated, as copied out of a spreadsheet.
    write("tab_utf8.tsv", csv_text([HEADER, *[english(r) for r in ROWS]], "\t"))
    # XLSX with real date and number cells and empty rows at the end.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Partnerschaften"
    sheet.append(HEADER)
    for row in ROWS:
        row = english(row)
        since = datetime.datetime(2004, 7, 22) if row[4] == "2004-07-22" else int(row[4])
        sheet.append(
            [
                row[0],
                row[1],
                row[2],
                row[3],
                since,
                int(row[5]) if row[5] else None,
                float(row[6]),
                float(row[7]),
                int(row[8].replace(",", "")) if row[8] else None,
                row[9],
                row[10],
            ]
        )
    sheet.append([None] * len(HEADER))
    sheet.append([None] * len(HEADER))
    book.properties.modified = book.properties.created = datetime.datetime(2026, 1, 1)
    book.save(HERE / "excel.xlsx")
    # The same with formulas, as a program writes them: openpyxl saves a formula without its
    # value (Excel or Calc computes it on opening), so a reader of values finds the cell empty.
    sheet["I2"] = "=1800000+61975"
    sheet["B3"] = "=A3"
    book.save(HERE / "formula_not_computed.xlsx")
    # The open-data JSON.
    write(
        "open_data.json",
        json.dumps(
            {
                "licence": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
                "partnerships": [dict(zip(HEADER, english(r), strict=True)) for r in ROWS],
            },
            ensure_ascii=False,
            indent=1,
        ),
    )

    # --- bad files ---
    write(
        "bad_headers.csv",
        "name_de;Bemerkung;country;country;relationship\nWarschau;PL;PL;PL;twin_city\n",
    )
    write(
        "bad_values.csv",
        csv_text(
            [
                ["name_de", "name_en", "country", "relationship", "since", "latitude", "region"],
                ["Warschau", "Warsaw", "PL", "twin_city", "1989", "52,2", "Masowien"],
                ["", "", "PL", "twin_city", "1990", "", ""],
                ["Atlantis", "", "Atlantis", "twin_city", "", "", ""],
                ["Gotham", "", "US", "best friends", "", "", ""],
                ["Springfield", "", "US", "twin_city", "19889", "", ""],
                ["Nordpol", "", "NO", "twin_city", "", "91", ""],
                ["Langstadt", "", "DE", "twin_city", "", "", "x" * 201],
                ["Bald", "", "DE", "twin_city", "31.02.2004", "", ""],
            ],
            ";",
        ),
    )
    write(
        "bad_unclosed_quote.csv",
        "name_de;country;relationship;description_de\n"
        'Warschau;PL;twin_city;"Hauptstadt\n'
        "Haifa;IL;twin_city;Hafen\n"
        "Chongqing;CN;twin_city;Groß\n",
    )
    write(
        "bad_quote_closed_late.csv",
        "name_de;country;relationship;description_de\n"
        'Warschau;PL;twin_city;"Hauptstadt\n'
        'Haifa;IL;twin_city;Hafen"\n'
        "Chongqing;CN;twin_city;Groß\n",
    )
    write("not_a_spreadsheet.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n\x00\x00")
    write("old_excel.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    write("empty.csv", b"")
    write("only_blank_lines.csv", b"\r\n\r\n  \r\n")
    write("header_only.csv", "name_de;country;relationship\r\n")
    write("broken.xlsx", b"PK\x03\x04 this is not really a zip file")
    write("no_header_value.csv", "name_de;country;;relationship\nWarschau;PL;oops;twin_city\n")
    # Text stored as given: a formula-looking name, a negative coordinate, markup.
    write(
        "formula_and_html.csv",
        csv_text(
            [
                ["name_de", "name_en", "country", "latitude", "longitude", "description_de"],
                [
                    '=HYPERLINK("http://evil.example";"klick")',
                    "+Plus",
                    "BR",
                    "-19,92083",
                    "-43,93778",
                    "<script>alert(1)</script><b>fett</b>",
                ],
                ["@Mention", "-Minus", "AR", "-34.6", "-58.4", "'=already escaped"],
            ],
            ";",
        ),
    )


# LibreOffice's CSV import filter: comma (44), double quote (34), UTF-8 (76), from line 1,
# read in English (1033), so that 52.2297 is a number and 2004-07-22 a date cell.
CSV_FILTER = "CSV:44,34,76,1,,1033"
# German Calc's: semicolon (59), double quote, UTF-8, from line 1, read in German (1031).
GERMAN_CSV_FILTER = "CSV:59,34,76,1,,1031"


def soffice(source, target_format, folder, profile, csv_filter=CSV_FILTER):
    command = [
        "soffice",
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        f"--infilter={csv_filter}",
        "--convert-to",
        target_format,
        "--outdir",
        str(folder),
        str(source),
    ]
    if source.suffix != ".csv":
        command.remove(f"--infilter={csv_filter}")
    print(shlex.join(command))
    subprocess.run(command, check=True, capture_output=True)


def libreoffice_samples():
    """Spreadsheets as LibreOffice Calc saves them: number, date and formula cells, repeated
    cells (LibreOffice writes two equal neighbours as one cell repeated), and two sheets."""
    from openpyxl import Workbook

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        profile = scratch / "profile"
        # The same content as comma_utf8.csv, converted by LibreOffice to ODS and to XLSX.
        shutil.copy(HERE / "comma_utf8.csv", scratch / "libreoffice.csv")
        soffice(scratch / "libreoffice.csv", "ods", HERE, profile)
        soffice(scratch / "libreoffice.csv", "xlsx:Calc MS Excel 2007 XML", HERE, profile)
        # Formulas: LibreOffice's CSV import turns a cell "=…" into a formula and saves the value
        # it computed beside it: a number (population) and a text (Haifa's English name).
        rows = (HERE / "comma_utf8.csv").read_text("utf-8").splitlines()
        rows[1] = rows[1].replace('"1,861,975"', '"=1800000+61975"')
        rows[2] = rows[2].replace('"Haifa","Haifa"', '"Haifa","=A3"')
        (scratch / "formula.csv").write_text("\r\n".join(rows) + "\r\n", "utf-8")
        soffice(scratch / "formula.csv", "ods", HERE, profile)
        soffice(scratch / "formula.csv", "xlsx:Calc MS Excel 2007 XML", HERE, profile)
        # A formula that fails: LibreOffice saves #DIV/0! with an empty value.
        rows[3] = rows[3].replace('"29.5630"', '"=1/0"', 1)
        (scratch / "formula_error.csv").write_text("\r\n".join(rows) + "\r\n", "utf-8")
        soffice(scratch / "formula_error.csv", "ods", HERE, profile)
        soffice(scratch / "formula_error.csv", "xlsx:Calc MS Excel 2007 XML", HERE, profile)
        # An office's own list, typed into German Calc (semicolon CSV read as German, so
        # 52,2297 is a number and 22.07.2004 a date cell): the admin's German labels as headers
        # (german_headers), and headers of the office's own words that need a mapping
        # (office_list: Stadt, Staat, Beziehung, seit, Bemerkung).
        german = [
            "Name (Deutsch);Name (Englisch);Land;Art der Beziehung;Seit;Breitengrad;"
            "Längengrad;Einwohnerzahl",
            "Krakau;Kraków;Polen;Städtepartnerschaft;1991;50,0614;19,9366;800.653",
            "Lyon;Lyon;Frankreich;Städtefreundschaft;22.07.2004;45,764;4,8357;522.250",
        ]
        (scratch / "german_headers.csv").write_text("\r\n".join(german) + "\r\n", "utf-8")
        own = [
            "Stadt;Staat;Beziehung;seit;Bemerkung",
            "Krakau;PL;Städtepartnerschaft;1991;seit dem Besuch 1990",
            "Lyon;FR;twin_city;2004;",
            "Gent;BE;Städtefreundschaft;;Kontakt über die IHK",
        ]
        (scratch / "office_list.csv").write_text("\r\n".join(own) + "\r\n", "utf-8")
        for stem in ("german_headers", "office_list"):
            soffice(scratch / f"{stem}.csv", "ods", HERE, profile, GERMAN_CSV_FILTER)
            soffice(
                scratch / f"{stem}.csv",
                "xlsx:Calc MS Excel 2007 XML",
                HERE,
                profile,
                GERMAN_CSV_FILTER,
            )
        # Two sheets: openpyxl writes a workbook with the partners first and notes second;
        # LibreOffice converts it to ODS.
        book = Workbook()
        sheet = book.active
        sheet.title = "Partnerschaften"
        with open(HERE / "comma_utf8.csv", encoding="utf-8", newline="") as source:
            import csv

            for row in csv.reader(source):
                sheet.append([convert_cell(value) for value in row])
        notes = book.create_sheet("Notizen")
        notes.append(["Stand", "Bearbeitet von"])
        notes.append([datetime.date(2026, 1, 1), "Referat Internationales"])
        book.save(scratch / "two_sheets.xlsx")
        soffice(scratch / "two_sheets.xlsx", "ods", HERE, profile)
        # Five sheets: the partners on the third, "Partnerschaften", after a hidden sheet "Alt"
        # with an old list and an empty "Tabelle1", and followed by "Erläuterungen" (text) and a
        # hidden "Listen" (the relationship kinds), as a template keeps its explanations and
        # the lists its drop-downs draw on. openpyxl writes them and LibreOffice converts them:
        # Calc without a window (headless) saves no sheet as the one shown, and then saves the
        # first sheet of an XLSX as shown, not hidden, so the sheets are not made through its API.
        del book["Notizen"]
        old = book.create_sheet("Alt", 0)
        old.append(["name_de", "country"])
        old.append(["Atlantis", "Atlantis"])  # not a country: it would be an error, if read
        old.sheet_state = "hidden"
        book.create_sheet("Tabelle1", 1)
        # What the import refuses in the sheet it reads is no concern on the others: a title
        # merged across columns, a hidden row, a formula's error.
        explanations = book.create_sheet("Erläuterungen")
        explanations.append(["Eine Zeile je Beziehung."])
        explanations.append(["Spalte country: Ländercode (PL) oder Name (Polen)."])
        explanations.append(["Nur für das Referat."])
        explanations.merge_cells("A1:D1")
        explanations.row_dimensions[3].hidden = True
        lists = book.create_sheet("Listen")
        for value in ("relationship", "twin_city", "agenda21_partnership", "=1/0"):
            lists.append([value])
        lists.sheet_state = "hidden"
        book.active = 2
        book.save(scratch / "sheets.xlsx")
        soffice(scratch / "sheets.xlsx", "ods", HERE, profile)
        soffice(scratch / "sheets.xlsx", "xlsx:Calc MS Excel 2007 XML", HERE, profile)
        # German Excel's rows (semicolons, 22.07.2004, 52,2297), for the German-locale files.
        (scratch / "german.csv").write_text(csv_text([HEADER, *ROWS], ";"), "utf-8")
        # What an editor does in Calc's menus, through LibreOffice's API (see uno_samples).
        command = [UNO_PYTHON, __file__, "--uno", str(scratch)]
        print(shlex.join(command))
        subprocess.run(command, check=True)
        # The German-locale CSV: the ODS with German short dates saved as "Text CSV" in German
        # (semicolon, UTF-8, German 1031), the cells as shown: 22.07.04, 52,2297.
        shutil.copy(HERE / "german_libreoffice.ods", scratch / "german_libreoffice.ods")
        soffice(
            scratch / "german_libreoffice.ods",
            "csv:Text - txt - csv (StarCalc):59,34,76,1,,1031",
            HERE,
            profile,
        )
        written = (HERE / "german_libreoffice.csv").read_text("utf-8")
        for shown in (";22.07.04;", ";52,2297;", ";1.861.975;"):
            assert shown in written, f"LibreOffice wrote {shown} otherwise: {written}"


# Debian's Python, which has LibreOffice's UNO bridge (python3-uno); the project's .venv has not.
UNO_PYTHON = "/usr/bin/python3"
PASSWORD = "geheim"  # noqa: S105 (the samples' password, in the tests too)


def uno_samples(scratch):
    """Make the files an editor makes in Calc's menus, with LibreOffice's API (run by
    UNO_PYTHON). Each starts as libreoffice.csv read as Calc reads it (the same cells as
    libreoffice.ods: name_de in A, name_en B, country C, …, description_de K; Warsaw in row 2,
    Haifa 3, Chongqing 4 and 5):

    - merged.ods, merged.xlsx: Chongqing's name, country and coordinates typed once and merged
      down over its two rows (A4:A5, B4:B5, C4:C5, G4:G5, H4:H5), as lists group a partner's
      relationships;
    - merged_across.ods, merged_across.xlsx: Haifa's two equal names as one cell merged across
      A3:B3;
    - hidden_rows.ods, hidden_rows.xlsx: Haifa's row 3 hidden (Format > Rows > Hide);
    - hidden_column.ods, hidden_column.xlsx: column K (description_de) hidden;
    - password.ods, password.xlsx: saved with the password "geheim" (File > Save As > Save with
      password); the XLSX is encrypted the way Excel does (an OLE2 container), the ODS the ODF
      way;
    - libreoffice.xls: saved as "Excel 97–2003";
    - german_libreoffice.ods: German Excel's rows (german.csv) read in German, the date cells
      formatted as German short dates (TT.MM.JJ), from which the German-locale CSV is made.
    """
    import os
    import time

    import uno
    from com.sun.star.beans import NamedValue, PropertyValue

    def props(**values):
        return tuple(PropertyValue(Name=name, Value=value) for name, value in values.items())

    scratch = Path(scratch)
    pipe = f"make_samples_{os.getpid()}"
    office = subprocess.Popen(
        [
            str(Path(shutil.which("soffice")).resolve().parent / "soffice.bin"),
            f"-env:UserInstallation={(scratch / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;",
        ]
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        for _attempt in range(120):
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001 (NoConnectException until LibreOffice listens)
                time.sleep(0.5)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )

        def load(name, options="44,34,76,1,,1033"):
            document = desktop.loadComponentFromURL(
                (scratch / name).as_uri(),
                "_blank",
                0,
                props(Hidden=True, FilterName="Text - txt - csv (StarCalc)", FilterOptions=options),
            )
            document.Sheets.getByIndex(0).Name = "Partnerschaften"
            return document

        def save(document, name, **options):
            filters = {
                ".ods": "calc8",
                ".xlsx": "Calc MS Excel 2007 XML",
                ".xls": "MS Excel 97",
            }
            arguments = props(FilterName=filters[Path(name).suffix], Overwrite=True, **options)
            print(f"  {name}")
            uno.invoke(
                document,
                "storeToURL",
                ((HERE / name).as_uri(), uno.Any("[]com.sun.star.beans.PropertyValue", arguments)),
            )

        def save_both(document, stem):
            save(document, f"{stem}.ods")
            save(document, f"{stem}.xlsx")
            document.close(True)

        document = load("libreoffice.csv")
        sheet = document.Sheets.getByIndex(0)
        for column in "ABCGH":
            sheet.getCellRangeByName(f"{column}5").clearContents(1 | 2 | 4 | 16)
            sheet.getCellRangeByName(f"{column}4:{column}5").merge(True)
        save_both(document, "merged")

        document = load("libreoffice.csv")
        sheet = document.Sheets.getByIndex(0)
        sheet.getCellRangeByName("B3").clearContents(1 | 2 | 4 | 16)
        sheet.getCellRangeByName("A3:B3").merge(True)
        save_both(document, "merged_across")

        document = load("libreoffice.csv")
        document.Sheets.getByIndex(0).Rows.getByIndex(2).IsVisible = False
        save_both(document, "hidden_rows")

        document = load("libreoffice.csv")
        document.Sheets.getByIndex(0).Columns.getByIndex(10).IsVisible = False
        save_both(document, "hidden_column")

        document = load("libreoffice.csv")
        save(document, "password.ods", Password=PASSWORD)
        # Calc's "Save with password" for XLSX: LibreOffice 7.4 encrypts with "Standard"
        # (ECMA-376) encryption when asked by the API.
        encryption = uno.Any(
            "[]com.sun.star.beans.NamedValue",
            (NamedValue("CryptoType", "Standard"), NamedValue("OOXPassword", PASSWORD)),
        )
        save(document, "password.xlsx", EncryptionData=encryption)
        save(document, "libreoffice.xls")
        document.close(True)

        # The cells as a German Calc formats them: German short dates, decimal commas and, in
        # the population, thousands dots (this profile's own locale is English).
        document = load("german.csv", "59,34,76,1,,1031")
        german = uno.createUnoStruct("com.sun.star.lang.Locale", "de", "DE", "")
        document.CharLocale = german
        sheet = document.Sheets.getByIndex(0)
        formats = document.NumberFormats
        date, number = 2, 16  # com.sun.star.util.NumberFormat.DATE, .NUMBER
        thousands = formats.queryKey("#.##0", german, False)
        if thousands == -1:
            thousands = formats.addNew("#.##0", german)
        for row in range(1, len(ROWS) + 1):
            for column in range(len(HEADER)):
                cell = sheet.getCellByPosition(column, row)
                if cell.Type.value != "VALUE":
                    continue
                if formats.getByKey(cell.NumberFormat).Type & date:
                    cell.NumberFormat = formats.getStandardFormat(date, german)  # TT.MM.JJ
                elif HEADER[column] == "population":
                    cell.NumberFormat = thousands
                else:
                    cell.NumberFormat = formats.getStandardFormat(number, german)
        save(document, "german_libreoffice.ods")
        document.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 (LibreOffice ends the connection as it quits)
            pass
        try:
            office.wait(30)
        except subprocess.TimeoutExpired:
            office.kill()


def convert_cell(value):
    """A CSV value as the cell a person types: numbers and ISO dates as such."""
    for parse in (int, float):
        try:
            return parse(value.replace(",", ""))
        except ValueError:
            pass
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return value


if __name__ == "__main__":
    if "--uno" in sys.argv:
        uno_samples(sys.argv[sys.argv.index("--uno") + 1])
    elif "--libreoffice" in sys.argv:
        libreoffice_samples()
    else:
        main()
