"""Read the file an editor uploads into rows, each with the line it came from.

A spreadsheet made in German Excel arrives as a CSV with semicolons in Windows-1252, as UTF-8 with
or without a byte-order mark, or as XLSX; LibreOffice Calc keeps its sheets as ODS; the open-data
export adds JSON. This module turns any of them into a header and an iterator of (line, values),
and turns everything it cannot read into a FileProblem whose message says what to do, in words an
editor knows (never an exception's name). tablib's CSV reader is not used for reading because it
forgets line numbers and silently merges every row after an unclosed quote into one field; its ODS
reader drops repeated and empty cells (the columns after them shift) and empty rows, so ODS is read
with python-calamine (benchmarks/ods.py measures the readers).

A workbook is read as the editor sees it: its first sheet that is shown and holds data, merged
cells and hidden rows and columns as `sheet_table` says, a formula as the value the spreadsheet
computed (a value it never computed, or an error, is refused). A password-protected file and an
old .xls are told apart by what their OLE2 container holds (`ole_problem`).
"""

import codecs
import csv
import functools
import io
import itertools
import json
import re
import types
from dataclasses import dataclass, field
from typing import Any

from defusedxml.ElementTree import ParseError, iterparse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Excel writes at most 1,048,576 rows; a "CSV" larger than this is not an editor's sheet.
DEFAULT_MAX_BYTES = 200 * 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"  # XLSX, ODS, but also .docx, .odt and any ZIP archive
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls and .doc, and an XLSX protected by a password
# What editors upload by mistake: PDF, PNG, JPEG, GIF, WebP (RIFF), TIFF.
OTHER_MAGICS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"II*\x00", b"MM\x00*")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
DELIMITERS = [";", ",", "\t"]


class FileProblem(Exception):
    """The file as a whole cannot be read; the message tells the editor why and what to do."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self):
        if self.line:
            return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


@dataclass
class Table:
    """A readable file: its headers as written, and its data rows with their line numbers."""

    headers: list[str]
    rows: Any  # iterator of (line, list of values)
    description: str = ""
    notes: list[str] = field(default_factory=list)


def old_excel_message():
    return _(
        "This is an old Excel file (.xls, Excel 97–2003), a Word file or a file protected by a "
        "password, which cannot be read here. Save it as a current spreadsheet and import that "
        "file: in Excel “File > Save As > Excel Workbook (*.xlsx)”, in LibreOffice “File > Save "
        "As > File type: ODF Spreadsheet (.ods) or Excel 2007–365 (.xlsx)”."
    )


def not_a_spreadsheet():
    return FileProblem(
        _(
            "This file is not a spreadsheet. Import a CSV, Excel (XLSX), LibreOffice (ODS) or "
            "JSON file."
        )
    )


def damaged_spreadsheet():
    return FileProblem(
        _(
            "This file is not a spreadsheet that can be read: it is damaged or incomplete. Open "
            "it in Excel or LibreOffice Calc, save it again and import that file."
        )
    )


def describe_size(limit):
    return f"{limit // (1024 * 1024)} MB"


def open_table(source, *, filename="", encoding=None, delimiter=None, max_bytes=None):
    """Open a binary file-like object (seekable) or bytes as a Table."""
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    max_bytes = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(0)
    if size > max_bytes:
        raise FileProblem(
            _("The file is %(size)s; files up to %(limit)s can be imported here.")
            % {"size": describe_size(size), "limit": describe_size(max_bytes)}
        )
    head = source.read(4096)
    source.seek(0)
    if not head.strip():
        raise FileProblem(_("The file is empty."))
    if head.startswith(ZIP_MAGIC):
        return open_zip(source)
    if head.startswith(OLE_MAGIC):
        raise ole_problem(source)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = encoding or "utf-16"
    elif b"\x00" in head or head.startswith(OTHER_MAGICS):
        raise not_a_spreadsheet()
    encoding = encoding or detect_encoding(source)
    text = io.TextIOWrapper(source, encoding=encoding, newline="")
    try:
        first = text.read(1)
        while first in ("\ufeff", " ", "\r", "\n", "\t"):
            first = text.read(1)
    except (UnicodeDecodeError, LookupError) as error:
        raise encoding_problem(encoding) from error
    text.seek(0)
    if first in ("[", "{"):
        return open_json(text)
    return open_csv(text, encoding=encoding, delimiter=delimiter, filename=filename)


ENCODING_NAMES = {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "cp1252": "Windows-1252"}


def detect_encoding(source):
    """UTF-8 (with or without BOM) when the whole file decodes as such, else Windows-1252."""
    head = source.read(3)
    source.seek(0)
    if head == codecs.BOM_UTF8:
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := source.read(1024 * 1024):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    finally:
        source.seek(0)
    decoder = codecs.getincrementaldecoder("cp1252")()
    try:
        while chunk := source.read(1024 * 1024):
            decoder.decode(chunk)
    except UnicodeDecodeError as error:
        raise encoding_problem("cp1252") from error
    finally:
        source.seek(0)
    return "cp1252"


def encoding_problem(encoding):
    return FileProblem(
        _(
            "The file could not be read as text in %(encoding)s. In Excel, choose “Save as” "
            "and “CSV UTF-8 (comma delimited)”, then import that file."
        )
        % {"encoding": ENCODING_NAMES.get(encoding, encoding)}
    )


def open_csv(text, *, encoding, delimiter=None, filename=""):
    header_line = ""
    try:
        for raw in text:
            if raw.strip():
                header_line = raw
                break
    except UnicodeDecodeError as error:
        raise encoding_problem(encoding) from error
    text.seek(0)
    if delimiter is None:
        counts = {d: header_line.count(d) for d in DELIMITERS}
        delimiter = max(DELIMITERS, key=lambda d: counts[d])
        if counts[delimiter] == 0:
            delimiter = "\t" if filename.lower().endswith((".tsv", ".tab")) else ","
    elif delimiter in ("\\t", "tab", "TAB"):
        delimiter = "\t"
    if len(delimiter) != 1:
        raise FileProblem(_("The delimiter must be one character, e.g. ; or , or tab."))
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    state = {"line": 1}

    def records():
        while True:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as error:
                raise encoding_problem(encoding) from error
            except csv.Error as error:
                raise csv_problem(error, start, reader.line_num, state) from error
            state["line"] = start
            yield start, reader.line_num, record

    iterator = records()
    for _start, _end, record in iterator:
        if any(cell.strip() for cell in record):
            headers = record
            break
    else:
        raise FileProblem(_("The file is empty."))
    width = len(headers)

    def rows():
        for start, end, record in iterator:
            if end > start and len(record) != width and any(record):
                # A quoted value may span lines, but then the row still has every column. A row
                # that swallowed the lines after it has too few: a quote was never closed.
                raise FileProblem(
                    _(
                        'A quote (") opened in this line is not closed where the row ends; '
                        "the lines up to %(end)s ran into one value. Close the quote or "
                        "remove it."
                    )
                    % {"end": end},
                    line=start,
                )
            if end > start and width > 1:
                check_swallowed_rows(record, start, delimiter, width)
            yield start, record

    name = {",": _("comma"), ";": _("semicolon"), "\t": _("tab")}.get(delimiter, delimiter)
    description = _("CSV, %(encoding)s, separated by %(delimiter)s") % {
        "encoding": ENCODING_NAMES.get(encoding, encoding),
        "delimiter": name,
    }
    return Table(headers=headers, rows=rows(), description=description)


def check_swallowed_rows(record, start, delimiter, width):
    """A quoted value may hold line breaks; one that holds whole rows lost its closing quote."""
    for value in record:
        for offset, part in enumerate(value.split("\n")[1:], start=1):
            if part.count(delimiter) >= width - 1:
                raise FileProblem(
                    _(
                        'A quote (") opened in this line runs on over line %(line)s, which '
                        "looks like a row of its own: the quote is not closed where it should "
                        "be. Close the quote or remove it."
                    )
                    % {"line": start + offset},
                    line=start,
                )


def csv_problem(error, start, end, state):
    message = str(error)
    if "field larger than field limit" in message:
        return FileProblem(
            _("A value is longer than %(limit)s characters, more than any field can hold.")
            % {"limit": f"{csv.field_size_limit():,}"},
            line=start,
        )
    if "unexpected end of data" in message:
        return FileProblem(
            _(
                'A quote (") opened in this line is never closed: every line after it would '
                "run into one value. Close the quote or remove it."
            ),
            line=start,
        )
    if "NUL" in message:
        return FileProblem(_("This line holds a NUL character, which no text may hold."), line=end)
    return FileProblem(
        _(
            "This line is not valid CSV: check its quotes. A value with the delimiter, a quote or "
            'a line break in it must be in quotes, and a quote inside it doubled ("").'
        ),
        line=end,
    )


def open_zip(source):
    """XLSX or ODS, told apart by what the ZIP holds; any other ZIP (.docx, .odt) is refused."""
    import zipfile

    try:
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
            if mimetype == ODS_MIMETYPE:
                check_ods(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, ParseError) as error:
        raise damaged_spreadsheet() from error
    finally:
        source.seek(0)
    if mimetype == ODS_MIMETYPE:
        return open_ods(source)
    if "xl/workbook.xml" in names:
        return open_xlsx(source)
    if "xl/workbook.bin" in names:  # Excel's binary workbook (.xlsb)
        raise FileProblem(old_excel_message())
    raise not_a_spreadsheet()


# --- OLE2 files: old Excel, or an XLSX protected by a password ---

# An OLE2 (Compound File) container names its streams in UTF-16 in its directory, which may be
# anywhere in the file (LibreOffice puts it at the end). Excel and LibreOffice keep a password-
# protected XLSX as the streams "EncryptionInfo" and "EncryptedPackage" (MS-OFFCRYPTO), an .xls
# as "Workbook" (Excel 97–2003) or "Book" (Excel 5), a Word file as "WordDocument".
OLE_STREAMS = {
    name: (name + "\x00").encode("utf-16-le")
    for name in ("EncryptedPackage", "Workbook", "Book", "WordDocument", "PowerPoint Document")
}


def ole_problem(source):
    """What an OLE2 file is, in the words of what to do with it."""
    found = set()
    tail = b""
    longest = max(len(name) for name in OLE_STREAMS.values())
    while chunk := source.read(1024 * 1024):
        data = tail + chunk
        found |= {stream for stream, name in OLE_STREAMS.items() if name in data}
        tail = data[-longest:]
    source.seek(0)
    if "EncryptedPackage" in found:
        return FileProblem(
            _(
                "This spreadsheet is protected by a password, so it cannot be read here. Save "
                "it without one and import that file: in Excel “File > Info > Protect Workbook "
                "> Encrypt with Password”, delete the password, then save; in LibreOffice "
                "“File > Save As”, without “Save with password”."
            )
        )
    if found & {"Workbook", "Book"}:
        return FileProblem(
            _(
                "This is an old Excel file (.xls, Excel 97–2003), which cannot be read here. "
                "Save it as a current spreadsheet and import that file: in Excel “File > Save "
                "As > Excel Workbook (*.xlsx)”, in LibreOffice “File > Save As > File type: ODF "
                "Spreadsheet (.ods) or Excel 2007–365 (.xlsx)”."
            )
        )
    if found:  # Word, PowerPoint
        return not_a_spreadsheet()
    return FileProblem(old_excel_message())


# --- Spreadsheets (XLSX and ODS): which sheet, and what it shows ---


@dataclass(frozen=True)
class CellRange:
    """Merged cells: rows `first_row` to `last_row` (lines, from 1), columns `first_column` to
    `last_column` (from 0)."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int

    def __str__(self):
        first = f"{column_letters(self.first_column)}{self.first_row}"
        return f"{first}:{column_letters(self.last_column)}{self.last_row}"


@dataclass
class SheetLayout:
    """What a sheet shows otherwise than its cells hold it, read from its XML (neither openpyxl's
    read-only mode nor calamine's ODS reader tells): merged cells, hidden rows that hold values,
    hidden columns, and the first cell whose value cannot be read (`problem`)."""

    merged: list[CellRange] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: set[int] = field(default_factory=set)
    problem: FileProblem | None = None


def holds_value(record):
    return any(cell not in (None, "") for cell in record)


def with_data(records):
    """`records` again, if any of them holds a value; else None. Reads up to the first that
    does, so that a sheet's rows are read once."""
    iterator = iter(records)
    read = []
    for record in iterator:
        read.append(record)
        if holds_value(record):
            return itertools.chain(read, iterator)
    return None


def choose_sheet(sheets, read):
    """The sheet to import: the first that is shown and holds data. `sheets` are (name,
    hidden) in the file's order, `read(index)` a sheet's rows. Returns (index, rows, notes).

    Not simply the first sheet: a workbook often begins with an empty "Tabelle1" or keeps an
    old list on a hidden sheet, and the template's explanations and lists follow the data
    sheet. Which sheet was read is said in a note whenever there are others.
    """
    skipped = []
    for index, (name, hidden) in enumerate(sheets):
        if hidden:
            skipped.append(_("“%(sheet)s” is hidden") % {"sheet": name})
            continue
        rows = with_data(read(index))
        if rows is None:
            skipped.append(_("“%(sheet)s” is empty") % {"sheet": name})
            continue
        notes = []
        if index:
            notes.append(
                _(
                    "The sheet “%(sheet)s” was read: it is the first sheet that is shown and "
                    "holds data (%(skipped)s). No other sheet was read."
                )
                % {"sheet": name, "skipped": "; ".join(skipped)}
            )
        elif len(sheets) > 1:
            notes.append(_("Only the first sheet, “%(sheet)s”, was read.") % {"sheet": name})
        return index, rows, notes
    for index, (name, hidden) in enumerate(sheets):
        if hidden and with_data(read(index)) is not None:
            raise FileProblem(
                _(
                    "The only sheet with data, “%(sheet)s”, is hidden. Show it (in Excel: "
                    "right-click a sheet's tab > Unhide; in LibreOffice: “Sheet > Show Sheet”), "
                    "save the file and import it again."
                )
                % {"sheet": name}
            )
    raise FileProblem(_("The file is empty."))


def sheet_table(records, layout, *, description, notes):
    """The Table of a sheet's rows (sequences of cell values, the first being row 1), read as
    the editor sees the sheet (`layout`), or a FileProblem where that cannot be done.

    - Hidden rows that hold values are refused, naming them: hidden by hand or filtered out,
      they are rows the editor does not see, and whether they are meant to be imported no one
      can tell (a filter hides what should stay as it is as often as what is done); imported,
      they would change partners unseen among hundreds of rows in the preview, skipped, they
      would leave out rows the editor expects. Showing or deleting them is one step in the
      spreadsheet.
    - Hidden columns are read, and named in a note: a column appears in every row of the
      preview under its header, and hiding one (a slug, a Wikidata id) is how a sheet is made
      readable, not a wish to leave it out.
    - A cell merged down one column, below the header, counts for each of its rows, as the
      sheet shows it (a partner's name typed once over its relationships' rows); the file
      holds the value only in the range's first cell, so read as stored, the other rows would
      lack the partner's name and make errors or, worse, change nothing silently. A row that
      holds nothing but merged values stays empty (a spacer, not a row). Every other merge
      that holds a value (across columns, or with the header) is refused, naming the cells:
      which column such a value belongs to is not for the import to guess.
    """
    if layout.problem:
        raise layout.problem
    if layout.hidden_rows:
        raise hidden_rows_problem(layout.hidden_rows)
    iterator = enumerate(records, start=1)
    found = next(((line, record) for line, record in iterator if holds_value(record)), None)
    if found is None:
        raise FileProblem(_("The file is empty."))
    header_line, record = found
    headers = ["" if cell is None else str(cell) for cell in record]
    notes = list(notes)
    filled, refused = [], []
    for cells in layout.merged:
        if cells.first_row > header_line and cells.first_column == cells.last_column:
            filled.append(cells)
        elif cells.last_row >= header_line:
            refused.append(cells)
            if cells.first_row <= header_line and holds_value(
                record[cells.first_column : cells.last_column + 1]
            ):
                raise merged_problem(cells)
    hidden = [
        f"{column_letters(index)} “{header}”"
        for index, header in enumerate(headers)
        if index in layout.hidden_columns and header.strip()
    ]
    if hidden:
        notes.append(
            ngettext(
                "A hidden column was read too: %(columns)s.",
                "Hidden columns were read too: %(columns)s.",
                len(hidden),
            )
            % {"columns": ", ".join(hidden)}
        )
    if filled:
        notes.append(
            _(
                "Merged cells were read as they are shown: a cell merged down a column counts "
                "for each of its rows (%(cells)s)."
            )
            % {"cells": listing(str(cells) for cells in filled)}
        )
    rows = ((line, list(record)) for line, record in iterator)
    if filled or refused:
        rows = merged_rows(rows, filled, refused)
    return Table(headers=headers, rows=rows, description=description, notes=notes)


def merged_rows(rows, filled, refused):
    """Each row with the values of the cells merged down over it; a merged range that may not
    be read (`refused`) raises FileProblem in the first row it holds a value in."""
    pending = sorted([*filled, *refused], key=lambda cells: cells.first_row)
    refused = set(refused)
    active = []
    values = {}
    for line, record in rows:
        while pending and pending[0].first_row <= line:
            active.append(pending.pop(0))
        active = [cells for cells in active if cells.last_row >= line]
        if active:
            spacer = not holds_value(record)
            for cells in active:
                span = record[cells.first_column : cells.last_column + 1]
                if cells in refused:
                    if holds_value(span):
                        raise merged_problem(cells)
                elif line == cells.first_row:
                    values[cells] = span[0] if span else None
                elif not spacer:
                    record.extend([None] * (cells.first_column + 1 - len(record)))
                    record[cells.first_column] = values.get(cells)
        yield line, record


def listing(items, limit=10):
    """Items for a message, the first `limit` of them: "A4:A5, B4:B5, …"."""
    items = list(items)
    return ", ".join(items[:limit]) + (", …" if len(items) > limit else "")


def line_ranges(lines):
    """Lines as a person reads them: 3, 5–7, 10."""
    ranges = []
    for line in sorted(set(lines)):
        if ranges and ranges[-1][1] == line - 1:
            ranges[-1][1] = line
        else:
            ranges.append([line, line])
    return [str(a) if a == b else f"{a}–{b}" for a, b in ranges]


def hidden_rows_problem(lines):
    return FileProblem(
        ngettext(
            "Row %(rows)s is hidden (by hand or by a filter) and holds values: it would be "
            "imported without being seen. Show it (select the rows around it, then in Excel "
            "“Home > Format > Hide & Unhide > Unhide Rows”, in LibreOffice “Format > Rows > "
            "Show”; or remove the filter) or delete it, save the file and import it again.",
            "Rows %(rows)s are hidden (by hand or by a filter) and hold values: they would be "
            "imported without being seen. Show them (select all rows, then in Excel “Home > "
            "Format > Hide & Unhide > Unhide Rows”, in LibreOffice “Format > Rows > Show”; or "
            "remove the filter) or delete them, save the file and import it again.",
            len(lines),
        )
        % {"rows": listing(line_ranges(lines))}
    )


def merged_problem(cells):
    return FileProblem(
        _(
            "The cells %(cells)s are merged into one. A cell merged down a column is read for "
            "each of its rows, but one merged across columns or with the header cannot be "
            "read: its value would belong to one column only. Unmerge it (in Excel “Home > "
            "Merge & Center”, in LibreOffice “Format > Merge and Unmerge Cells > Unmerge "
            "Cells”), give each cell its own value, save the file and import it again."
        )
        % {"cells": cells},
        line=cells.first_row,
    )


def formula_error_problem(cell, row, error):
    return FileProblem(
        _(
            "The cell %(cell)s holds a formula whose result is an error (%(error)s). Correct "
            "the formula or replace it by its value, then import the file again."
        )
        % {"cell": cell, "error": error or "#"},
        line=row,
    )


def uncomputed_problem(cell, row):
    return FileProblem(
        _(
            "The cell %(cell)s holds a formula whose value was never computed: the file was "
            "written by a program, not saved by Excel or LibreOffice, so the import would read "
            "the cell as empty. Open the file in Excel or LibreOffice Calc and save it, so that "
            "the values are computed, then import it again."
        )
        % {"cell": cell},
        line=row,
    )


def xml_name(tag):
    """An element's or attribute's name without its namespace: "{…/main}row" → "row"."""
    return tag.rpartition("}")[2]


# --- XLSX ---

# A worksheet's XML is looked through as bytes, a row at a time, with plain searches and small
# regular expressions: a sheet has tens of thousands of cells, and an XML parser's events for
# each (ElementTree's iterparse, even expat) take longer than openpyxl takes to read them. Most
# rows are passed over by a search for what could matter in them (a formula, an error, a hidden
# row). Tag names carry the prefix the sheet's root element has ("x:row", as some programs
# write them, or none).
END_OF_NAME = rb"(?=[\s/>])"  # "row" but not "rowBreaks", "table-row" but not "table-row-group"
XLSX_ROOT = re.compile(rb"<([\w.-]+:)?worksheet" + END_OF_NAME)
XLSX_VALUE_MARK = re.compile(rb"<(?:[\w.-]+:)?v>\s*[^<\s]|<(?:[\w.-]+:)?is" + END_OF_NAME)
XLSX_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d+)""")
XLSX_HIDDEN = re.compile(rb"""\shidden\s*=\s*["'](?:1|true)["']""")
# In a row, what makes its cells worth a look: a formula (with or without a prefix), an error.
XLSX_CELL_MARKERS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/", b't="e"', b"t='e'")
ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
TRUE = ("1", "true")
CELL_REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]+)$")


@functools.cache
def xlsx_syntax(prefix):
    """The tags of a worksheet whose elements have `prefix` (b"" or b"x:")."""
    tag = re.escape(b"<" + prefix)
    close = re.escape(b"</" + prefix)
    return types.SimpleNamespace(
        row_open=b"<" + prefix + b"row",
        row_close=b"</" + prefix + b"row>",
        cell_open=b"<" + prefix + b"c",
        cell_close=b"</" + prefix + b"c>",
        # A formula, or an error value (in the cell's tag).
        cell_marker=re.compile(tag + rb"f" + END_OF_NAME + rb"""|\st\s*=\s*["']e["']"""),
        hidden_row=re.compile(tag + rb"row" + END_OF_NAME + rb"[^>]*" + XLSX_HIDDEN.pattern),
        column=re.compile(tag + rb"col" + END_OF_NAME + rb"([^>]*)>"),
        merge=re.compile(tag + rb"mergeCell" + END_OF_NAME + rb"([^>]*)>"),
        cell=re.compile(
            tag + rb"c" + END_OF_NAME + rb"([^>]*?)(?:/>|>(.*?)" + close + rb"c>)", re.S
        ),
        formula=re.compile(tag + rb"f" + END_OF_NAME),
        value=re.compile(tag + rb"v>([^<]*)<|" + tag + rb"is" + END_OF_NAME),
    )


def attributes(text):
    """A tag's attributes, {name without prefix: value} ("table:visibility" → "visibility")."""
    return {
        name.decode().rpartition(":")[2]: (double or single).decode()
        for name, double, single in ATTRIBUTE.findall(text)
    }


def parse_cell(reference):
    """ "AB12" → (12, 27): the row (from 1) and the column (from 0)."""
    match = CELL_REFERENCE.match(reference or "")
    if not match:
        raise ValueError(reference)
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(match.group(2)), column - 1


def xlsx_sheets(archive):
    """The workbook's worksheets in order, as (name, hidden, path in the ZIP); and whether it
    asks to be computed when opened (`fullCalcOnLoad`: what a program that writes formulas
    without computing them, such as XlsxWriter, sets)."""
    import posixpath

    paths = {}
    with archive.open("xl/_rels/workbook.xml.rels") as stream:
        for _event, element in iterparse(stream):
            if xml_name(element.tag) == "Relationship" and element.get("Type", "").endswith(
                "/worksheet"
            ):
                target = element.get("Target", "")
                paths[element.get("Id")] = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join("xl", target))
                )
    sheets, recalculate = [], False
    with archive.open("xl/workbook.xml") as stream:
        for _event, element in iterparse(stream):
            name = xml_name(element.tag)
            if name == "sheet":
                ids = [value for key, value in element.items() if xml_name(key) == "id"]
                if ids and ids[0] in paths:
                    hidden = element.get("state", "visible") != "visible"
                    sheets.append((element.get("name", ""), hidden, paths[ids[0]]))
            elif name == "calcPr":
                recalculate = element.get("fullCalcOnLoad") in TRUE
    return sheets, recalculate


def inspect_xlsx(archive, path, recalculate):
    """The SheetLayout of a worksheet's XML, read in chunks of whole rows. openpyxl gives a
    formula cell without a computed value (as openpyxl itself writes them) as empty: it is
    refused, as is an error value (#DIV/0!), which openpyxl gives as text."""
    layout = SheetLayout()
    row = 0
    with archive.open(path) as stream:
        chunk = stream.read(1024 * 1024)
        root = XLSX_ROOT.search(chunk)
        syntax = xlsx_syntax((root.group(1) or b"") if root else b"")
        tail = b""
        while True:
            buffer = tail + chunk
            # Whole rows now; the rest (a row cut by the chunk's end) waits for the next chunk.
            end = len(buffer)
            if chunk:
                cut = buffer.rfind(syntax.row_close)
                end = cut + len(syntax.row_close) if cut != -1 else 0
            region, tail = buffer[:end], buffer[end:]
            # Columns come before the rows, merged cells after them.
            if b"hidden" in region:
                for match in syntax.column.finditer(region):
                    found = attributes(match.group(1))
                    if found.get("hidden") in TRUE:
                        first, last = int(found.get("min", 1)), int(found.get("max", 1))
                        layout.hidden_columns.update(range(first - 1, min(last, 16384)))
            if b"mergeCell" in region:
                for match in syntax.merge.finditer(region):
                    first, _colon, last = attributes(match.group(1)).get("ref", "").partition(":")
                    if last:
                        (first_row, first_column), (last_row, last_column) = map(
                            parse_cell, (first, last)
                        )
                        layout.merged.append(
                            CellRange(first_row, first_column, last_row, last_column)
                        )
            row = inspect_xlsx_rows(layout, region, row, recalculate, syntax)
            if layout.problem or not chunk:
                return layout
            chunk = stream.read(1024 * 1024)


def inspect_xlsx_rows(layout, region, row, recalculate, syntax):
    """Look at the rows in `region` (whole rows) into `layout`; return the last row's number
    (`row`: the one before them)."""
    if not (
        any(marker in region for marker in XLSX_CELL_MARKERS) or syntax.hidden_row.search(region)
    ):
        # Nothing to look at. Rows are numbered by their "r", which every writer gives; a file
        # without it has its rows counted.
        last = region.rfind(syntax.row_open)
        number = (
            XLSX_ROW_NUMBER.search(region, last, region.find(b">", last)) if last != -1 else None
        )
        return int(number.group(1)) if number else row + region.count(syntax.row_open)
    for piece in region.split(syntax.row_close)[:-1]:
        start = piece.rfind(syntax.row_open)
        tag_end = piece.find(b">", start)
        tag, content = piece[start:tag_end], piece[tag_end + 1 :]
        number = XLSX_ROW_NUMBER.search(tag)
        row = int(number.group(1)) if number else row + piece.count(syntax.row_open)
        hidden = XLSX_HIDDEN.search(tag) is not None
        if hidden or any(marker in content for marker in XLSX_CELL_MARKERS):
            inspect_xlsx_cells(layout, content, row, hidden, recalculate, syntax)
            if layout.problem:
                return row
    return row


def inspect_xlsx_cells(layout, content, row, hidden, recalculate, syntax):
    """Look at one row's cells into `layout`: those that hold a formula or an error, and
    whether a hidden row holds a value."""
    if hidden and XLSX_VALUE_MARK.search(content):
        layout.hidden_rows.append(row)
    seen = set()
    for marker in syntax.cell_marker.finditer(content):
        start = max(
            content.rfind(syntax.cell_open + b" ", 0, marker.start() + 1),
            content.rfind(syntax.cell_open + b">", 0, marker.start() + 1),
        )
        if start == -1 or start in seen:
            continue
        seen.add(start)
        tag_end = content.find(b">", start)
        close = content.find(syntax.cell_close, tag_end)
        tag = content[start + len(syntax.cell_open) : tag_end]
        inner = b"" if tag.endswith(b"/") else content[tag_end + 1 : close]
        found = attributes(tag)
        reference = found.get("r")
        # Every writer names its cells ("r"); without, the cells before this one are counted.
        column = (
            parse_cell(reference)[1] if reference else len(syntax.cell.findall(content, 0, start))
        )
        value = syntax.value.search(inner)
        text = value.group(1) if value and value.group(1) is not None else b""
        has_value = bool(value and (value.group(1) is None or text.strip()))
        kind = found.get("t", "n")
        name = f"{column_letters(column)}{row}"
        if kind == "e" and has_value:
            layout.problem = formula_error_problem(name, row, text.decode().strip())
            return
        # A formula whose result is text may be empty (=IF(A2="";"";…)): type "str".
        if syntax.formula.search(inner) and (recalculate or not (has_value or kind == "str")):
            layout.problem = uncomputed_problem(name, row)
            return


def open_xlsx(source):
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(source) as archive:
            sheets, recalculate = xlsx_sheets(archive)
        book = load_workbook(source, read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        OSError,
        ValueError,
        ParseError,
    ) as error:
        raise damaged_spreadsheet() from error

    def read(index):
        sheet = book[sheets[index][0]]
        sheet.reset_dimensions()
        return sheet.iter_rows(values_only=True)

    try:
        index, records, notes = choose_sheet(
            [(name, hidden) for name, hidden, _path in sheets], read
        )
        with zipfile.ZipFile(source) as archive:
            layout = inspect_xlsx(archive, sheets[index][2], recalculate)
        table = sheet_table(records, layout, description=_("Excel workbook"), notes=notes)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError) as error:
        book.close()
        raise damaged_spreadsheet() from error
    except FileProblem:
        book.close()
        raise

    def rows(records):
        try:
            yield from records
        finally:
            book.close()

    table.rows = rows(table.rows)
    return table


# --- ODS ---

ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
ODS_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
ODS_CELLS = (f"{ODS_TABLE}table-cell", f"{ODS_TABLE}covered-table-cell")
# An ODS's content.xml is read whole (calamine does the same) and looked through as bytes, as an
# XLSX's sheet is (see XLSX_ROOT). The prefixes are the ones every ODS writer uses (calamine
# reads nothing else either).
ODS_TABLE_START = re.compile(rb"<table:table" + END_OF_NAME)
ODS_ROW_OPEN = b"<table:table-row"
ODS_ROW_CLOSE = b"</table:table-row>"
ODS_COLUMN = re.compile(rb"<table:table-column" + END_OF_NAME + rb"([^>]*)>")
ODS_MARKUP = re.compile(rb"<[^>]*>")
# A cell's tag (with its repeat, if any), and the tag of a cell (its attributes).
ODS_CELL_OPEN = re.compile(
    rb"<table:(?:table-cell|covered-table-cell)"
    + END_OF_NAME
    + rb"""(?:[^>]*?[\s:]number-columns-repeated="(\d+)")?[^>]*>"""
)
ODS_CELL_TAG = re.compile(rb"<table:table-cell" + END_OF_NAME + rb"([^>]*)>")
ODS_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d+)"')
# What makes a row worth a look: a formula (perhaps without its value), a formula's error,
# merged cells, or the row being hidden.
ODS_CELL_MARKERS = (
    b'value-type="error"',
    b"table:formula=",
    b"number-rows-spanned",
    b"number-columns-spanned",
)
ODS_ROW_MARKERS = (*ODS_CELL_MARKERS, b"table:visibility=")


def check_ods(archive):
    """Refuse an encrypted ODS: its content cannot be read without the password."""
    if b"encryption-data" in archive.read("META-INF/manifest.xml"):
        raise FileProblem(
            _(
                "This spreadsheet is protected by a password. Save it without one (in LibreOffice "
                "“File > Save As”, without “Save with password”) and import that file."
            )
        )


def inspect_ods(archive, index):
    """The SheetLayout of the sheet `index` of an ODS (its `table:table`, in order).

    LibreOffice saves a failed formula (#DIV/0!, #REF!, #NV) with an empty value, which calamine
    gives as an empty cell, as it gives a formula another program wrote without its value: the
    import would empty that field, so both are refused.
    """
    content = archive.read("content.xml")
    starts = [match.start() for match in ODS_TABLE_START.finditer(content)]
    layout = SheetLayout()
    if index >= len(starts):
        return layout
    end = content.find(b"</table:table>", starts[index])
    table = content[starts[index] : end if end != -1 else len(content)]
    first_row = table.find(ODS_ROW_OPEN)
    column = 0
    for match in ODS_COLUMN.finditer(table, 0, first_row if first_row != -1 else len(table)):
        found = attributes(match.group(1))
        repeat = int(found.get("number-columns-repeated", 1))
        if found.get("visibility", "visible") != "visible":
            layout.hidden_columns.update(range(column, min(column + repeat, 16384)))
        column += repeat
    if first_row == -1 or not any(marker in table[first_row:] for marker in ODS_ROW_MARKERS):
        return layout
    row = 0  # the rows before this one
    for piece in table[first_row:].split(ODS_ROW_CLOSE)[:-1]:
        start = piece.rfind(ODS_ROW_OPEN)
        tag_end = piece.find(b">", start)
        tag = piece[start:tag_end]
        repeated = ODS_ROWS_REPEATED.search(tag)
        repeat = int(repeated.group(1)) if repeated else 1
        hidden = b"visibility=" in tag and b'visibility="visible"' not in tag
        cells = piece[tag_end + 1 :]
        if hidden or any(marker in cells for marker in ODS_CELL_MARKERS):
            inspect_ods_row(layout, cells, row, repeat, hidden)
            if layout.problem:
                return layout
        row += repeat
    return layout


def inspect_ods_row(layout, content, row, repeat, hidden):
    """Look at one row's cells (`repeat` rows, if repeated; `row` rows before it) into `layout`:
    those whose tag holds a formula, an error or a merge (found by a plain search, the cell's
    tag is the one before), and whether a hidden row holds a value."""
    if hidden and (b"value-type=" in content or ODS_MARKUP.sub(b"", content).strip()):
        layout.hidden_rows.extend(range(row + 1, row + repeat + 1))
    starts = set()
    for marker in ODS_CELL_MARKERS:
        position = content.find(marker)
        while position != -1:
            starts.add(content.rfind(b"<table:table-cell", 0, position))
            position = content.find(marker, position + 1)
    for start in sorted(starts - {-1}):
        cell = ODS_CELL_TAG.match(content, start)
        if cell is None:
            continue
        found = attributes(cell.group(1))
        # calcext:value-type, LibreOffice's own: office:value-type says "float" there.
        error = b'calcext:value-type="error"' in cell.group(1)
        uncomputed = found.get("formula") and not found.get("value-type")
        rows = int(found.get("number-rows-spanned", 1))
        columns = int(found.get("number-columns-spanned", 1))
        if not (error or uncomputed or rows > 1 or columns > 1):
            continue  # a formula with its value, the common case
        # The cells before it, each as many columns as it is repeated.
        before = ODS_CELL_OPEN.findall(content, 0, cell.start())
        column = sum(int(repeated or 1) for repeated in before)
        name = column_letters(column) + str(row + 1)
        if error:
            close = content.find(b"</table:table-cell>", cell.end())
            text = ODS_MARKUP.sub(b"", content[cell.end() : close]).strip()
            layout.problem = formula_error_problem(name, row + 1, text.decode())
            return
        if uncomputed:
            layout.problem = uncomputed_problem(name, row + 1)
            return
        layout.merged.append(CellRange(row + 1, column, row + rows, column + columns - 1))


def ods_problem(source, index=0, name=""):
    """Why calamine refused an ODS. Read from memory it says only "Cannot detect file format";
    read from a file named .ods it says what it found, e.g. a sheet too large to hold."""
    import tempfile

    from python_calamine import CalamineError, CalamineWorkbook

    source.seek(0)
    with tempfile.NamedTemporaryFile(suffix=".ods") as copy:
        copy.write(source.read())
        copy.flush()
        try:
            CalamineWorkbook.from_path(copy.name).get_sheet_by_index(index)
        except CalamineError as error:
            if "Cell limit exceeded" in str(error) and index:
                return FileProblem(
                    _(
                        "The sheet “%(sheet)s” reaches too far to be read: a value far to the "
                        "right of or below the table makes it more than 100 million cells. "
                        "Delete the columns and rows after the table, save the file and import "
                        "it again."
                    )
                    % {"sheet": name}
                )
            if "Cell limit exceeded" in str(error):
                return FileProblem(
                    _(
                        "The first sheet reaches too far to be read: a value far to the right of "
                        "or below the table makes it more than 100 million cells. Delete the "
                        "columns and rows after the table, save the file and import it again."
                    )
                )
    return damaged_spreadsheet()


def column_letters(index):
    """0 → A, 25 → Z, 26 → AA, as a spreadsheet names its columns."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def open_ods(source):
    """The sheet of an ODS to import (`choose_sheet`), each row with its line (calamine starts
    at A1 when asked to).

    Cells come as Python values: numbers as float, dates as date or datetime, a formula as the
    value LibreOffice computed and saved (never its text), repeated rows and cells expanded.
    """
    import zipfile

    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    index = 0
    try:
        book = CalamineWorkbook.from_filelike(source)
        sheets = [
            (sheet.name, sheet.visible != SheetVisibleEnum.Visible)
            for sheet in book.sheets_metadata
        ]

        def read(position):
            nonlocal index
            index = position  # for ods_problem, should calamine refuse this sheet
            return book.get_sheet_by_index(position).to_python(skip_empty_area=False)

        index, records, notes = choose_sheet(sheets, read)
    except (CalamineError, OSError, ValueError) as error:
        raise ods_problem(source, index, sheets[index][0] if index else "") from error
    try:
        with zipfile.ZipFile(source) as archive:
            layout = inspect_ods(archive, index)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, ParseError) as error:
        raise damaged_spreadsheet() from error
    return sheet_table(records, layout, description=_("LibreOffice spreadsheet (ODS)"), notes=notes)


def open_json(text):
    try:
        data = json.load(text)
    except UnicodeDecodeError as error:
        raise encoding_problem("utf-8") from error
    except json.JSONDecodeError as error:
        raise FileProblem(
            _("This is not valid JSON: %(error)s.") % {"error": error.msg}, line=error.lineno
        ) from error
    if isinstance(data, dict):
        data = data.get("partnerships")
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise FileProblem(
            _(
                "The JSON must be a list of objects, or an object with a “partnerships” list, "
                "as the open-data export writes it."
            )
        )
    if not data:
        raise FileProblem(_("The file is empty."))
    headers = list(dict.fromkeys(key for item in data for key in item))

    def rows():
        for number, item in enumerate(data, start=1):
            yield number, [item.get(key) for key in headers]

    return Table(headers=headers, rows=rows(), description=_("JSON"))


def count_message(limit):
    return ngettext(
        "The file has more than %(limit)s row.",
        "The file has more than %(limit)s rows.",
        limit,
    ) % {"limit": f"{limit:,}"}
