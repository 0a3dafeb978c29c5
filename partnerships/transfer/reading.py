"""Read the file an editor uploads into rows, each with the line it came from.

A spreadsheet made in German Excel arrives as a CSV with semicolons in Windows-1252, as UTF-8 with
or without a byte-order mark, or as XLSX; LibreOffice Calc keeps its sheets as ODS; the open-data
export adds JSON. This module turns any of them into a header and an iterator of (line, values),
and turns everything it cannot read into a FileProblem whose message says what to do, in words an
editor knows (never an exception's name). tablib's CSV reader is not used for reading because it
forgets line numbers and silently merges every row after an unclosed quote into one field; its ODS
reader drops repeated and empty cells (the columns after them shift) and empty rows, so ODS is read
with python-calamine (benchmarks/ods.py measures the readers).
"""

import codecs
import csv
import io
import json
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
        raise FileProblem(old_excel_message())
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


def open_xlsx(source):
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise damaged_spreadsheet() from error
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    iterator = enumerate(sheet.iter_rows(values_only=True), start=1)
    for _line, record in iterator:
        if any(cell not in (None, "") for cell in record):
            headers = ["" if cell is None else str(cell) for cell in record]
            break
    else:
        book.close()
        raise FileProblem(_("The file is empty."))

    def rows():
        try:
            for line, record in iterator:
                yield line, list(record)
        finally:
            book.close()

    notes = []
    if len(book.worksheets) > 1:
        notes.append(_("Only the first sheet, “%(sheet)s”, was read.") % {"sheet": sheet.title})
    return Table(headers=headers, rows=rows(), description=_("Excel workbook"), notes=notes)


ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
ODS_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
ODS_CELLS = (f"{ODS_TABLE}table-cell", f"{ODS_TABLE}covered-table-cell")


def check_ods(archive):
    """Refuse what calamine would read wrongly: an encrypted ODS, and a formula that failed.

    LibreOffice saves a failed formula (#DIV/0!, #REF!, #NV) with an empty value, which calamine
    gives as an empty cell: the import would empty that field. The error is found by an
    XML pass over the first sheet, done only when the file has one (`calcext:value-type`).
    """
    if b"encryption-data" in archive.read("META-INF/manifest.xml"):
        raise FileProblem(
            _(
                "This spreadsheet is protected by a password. Save it without one (in LibreOffice "
                "“File > Save As”, without “Save with password”) and import that file."
            )
        )
    with archive.open("content.xml") as content:
        if b'value-type="error"' not in content.read():
            return
    row = column = 0
    with archive.open("content.xml") as content:
        for event, element in iterparse(content, events=("start", "end")):
            if event == "start":
                if element.tag == f"{ODS_TABLE}table-row":
                    column = 0
                continue
            if element.tag in ODS_CELLS:
                if element.get(f"{ODS_CALCEXT}value-type") == "error":
                    raise FileProblem(
                        _(
                            "The cell %(cell)s holds a formula whose result is an error "
                            "(%(error)s). Correct the formula or replace it by its value, then "
                            "import the file again."
                        )
                        % {
                            "cell": column_letters(column) + str(row + 1),
                            "error": "".join(element.itertext()).strip() or "#",
                        },
                        line=row + 1,
                    )
                column += int(element.get(f"{ODS_TABLE}number-columns-repeated", 1))
                element.clear()
            elif element.tag == f"{ODS_TABLE}table-row":
                row += int(element.get(f"{ODS_TABLE}number-rows-repeated", 1))
                element.clear()
            elif element.tag == f"{ODS_TABLE}table":
                return  # only the first sheet is read


def ods_problem(source):
    """Why calamine refused an ODS. Read from memory it says only "Cannot detect file format";
    read from a file named .ods it says what it found, e.g. a sheet too large to hold."""
    import tempfile

    from python_calamine import CalamineError, CalamineWorkbook

    source.seek(0)
    with tempfile.NamedTemporaryFile(suffix=".ods") as copy:
        copy.write(source.read())
        copy.flush()
        try:
            CalamineWorkbook.from_path(copy.name).get_sheet_by_index(0)
        except CalamineError as error:
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
    """The first sheet of an ODS, each row with its line (calamine starts at A1 when asked to).

    Cells come as Python values: numbers as float, dates as date or datetime, a formula as the
    value LibreOffice computed and saved (never its text), repeated rows and cells expanded.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(source)
        names = book.sheet_names
        records = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as error:
        raise ods_problem(source) from error
    iterator = enumerate(records, start=1)
    for _line, record in iterator:
        if any(cell not in (None, "") for cell in record):
            headers = ["" if cell is None else str(cell) for cell in record]
            break
    else:
        raise FileProblem(_("The file is empty."))
    notes = []
    if len(names) > 1:
        notes.append(_("Only the first sheet, “%(sheet)s”, was read.") % {"sheet": names[0]})
    rows = ((line, list(record)) for line, record in iterator)
    return Table(
        headers=headers, rows=rows, description=_("LibreOffice spreadsheet (ODS)"), notes=notes
    )


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
