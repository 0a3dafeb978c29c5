"""Write the sample files the import tests read: `python tests/samples/make_samples.py`.

The files are committed; this script says how each was made (German Excel's quirks included),
and makes the XLSX, which is binary.

The files LibreOffice writes itself (libreoffice.ods, libreoffice.xlsx, two_sheets.ods,
formula.ods, formula_error.ods) are made by `python tests/samples/make_samples.py --libreoffice`
(Debian: `apt-get install libreoffice-calc-nogui`; made with LibreOffice 7.4.7.2), which writes
the CSVs and the two-sheet XLSX named below into a scratch folder and runs, from there, with
CSV='--infilter=CSV:44,34,76,1,,1033' and OUT='--outdir tests/samples':

    soffice --headless $CSV --convert-to ods $OUT libreoffice.csv
    soffice --headless $CSV --convert-to 'xlsx:Calc MS Excel 2007 XML' $OUT libreoffice.csv
    soffice --headless $CSV --convert-to ods $OUT formula.csv
    soffice --headless $CSV --convert-to ods $OUT formula_error.csv
    soffice --headless --convert-to ods $OUT two_sheets.xlsx

LibreOffice stamps each file with the time it was made: running it again changes every file.
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
        "name_de;Land;country;country;relationship\nWarschau;PL;PL;PL;twin_city\n",
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


def soffice(source, target_format, folder):
    command = [
        "soffice",
        "--headless",
        f"--infilter={CSV_FILTER}",
        "--convert-to",
        target_format,
        "--outdir",
        str(folder),
        str(source),
    ]
    if source.suffix != ".csv":
        command.remove(f"--infilter={CSV_FILTER}")
    print(shlex.join(command))
    subprocess.run(command, check=True, capture_output=True)


def libreoffice_samples():
    """Spreadsheets as LibreOffice Calc saves them: number, date and formula cells, repeated
    cells (LibreOffice writes two equal neighbours as one cell repeated), and two sheets."""
    from openpyxl import Workbook

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        # The same content as comma_utf8.csv, converted by LibreOffice to ODS and to XLSX.
        shutil.copy(HERE / "comma_utf8.csv", scratch / "libreoffice.csv")
        soffice(scratch / "libreoffice.csv", "ods", HERE)
        soffice(scratch / "libreoffice.csv", "xlsx:Calc MS Excel 2007 XML", HERE)
        # Formulas: LibreOffice's CSV import turns a cell "=…" into a formula and saves the value
        # it computed beside it: a number (population) and a text (Haifa's English name).
        rows = (HERE / "comma_utf8.csv").read_text("utf-8").splitlines()
        rows[1] = rows[1].replace('"1,861,975"', '"=1800000+61975"')
        rows[2] = rows[2].replace('"Haifa","Haifa"', '"Haifa","=A3"')
        (scratch / "formula.csv").write_text("\r\n".join(rows) + "\r\n", "utf-8")
        soffice(scratch / "formula.csv", "ods", HERE)
        # A formula that fails: LibreOffice saves #DIV/0! with an empty value.
        rows[3] = rows[3].replace('"29.5630"', '"=1/0"', 1)
        (scratch / "formula_error.csv").write_text("\r\n".join(rows) + "\r\n", "utf-8")
        soffice(scratch / "formula_error.csv", "ods", HERE)
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
        soffice(scratch / "two_sheets.xlsx", "ods", HERE)


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
    if "--libreoffice" in sys.argv:
        libreoffice_samples()
    else:
        main()
