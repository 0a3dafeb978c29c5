"""The export: the partnerships file as CSV, XLSX, ODS and JSON, and the open data's documents.

The files are written from the same columns as the import reads (`columns.py`), so a download
imports again unchanged. Cells a spreadsheet would run as a formula (= + - @) get an apostrophe in
front in CSV, XLSX and ODS; the import takes it off again. django-import-export's own
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is not used: it deletes the leading "=" (the value is
lost, not escaped), turns every cell into text and leaves + - @ alone.

ODS is written here with the standard library, not with odfpy (or tablib's ODS format, which uses
it): odfpy builds the whole document as objects and takes about 14 s for 10,000 rows, and tablib
puts a value's line breaks into one paragraph, which LibreOffice shows as one line.
"""

import csv
import io
import itertools
import json
import re
import uuid
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape

from django.conf import settings
from import_export import resources

from ..models import Partner, Relationship
from .columns import LANGUAGE_CODES, build_columns, escape_formula

# Rows are read from the database this many partners (or relationships) at a time.
EXPORT_CHUNK = 2000


def licence():
    """The open data's licence: its name and address (settings OPEN_DATA_LICENCE[_URL])."""
    return settings.OPEN_DATA_LICENCE, settings.OPEN_DATA_LICENCE_URL


def export_value(partner, relationship, column):
    """A cell of the export as a value (numbers stay numbers for XLSX and JSON)."""
    obj = partner if column.target == "partner" else relationship
    if obj is None:
        return ""
    if column.column_name == "relationship":
        return relationship.kind.code
    value = getattr(obj, column.attribute)
    if column.column_name == "country":
        return value.code or ""
    if column.column_name == "published":
        return "yes" if value else "no"
    if value is None:
        return ""
    return value


class PartnershipResource(resources.ModelResource):
    """The partnerships file as django-import-export's admin Export and the commands write it:
    one row per relationship, and one row for a partner without any.

    (Import does not go through a Resource: `engine.py` reads whole chunks of rows at a time.)
    """

    class Meta:
        model = Partner
        fields = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.columns = build_columns()
        self.columns_by_name = {column.column_name: column for column in self.columns}

    # --- columns ---
    def get_user_visible_fields(self):
        return self.columns

    def get_export_headers(self, selected_fields=None):
        return [column.column_name for column in self.export_columns(selected_fields)]

    def export_columns(self, selected_fields=None):
        if not selected_fields:
            return self.columns
        names = {getattr(f, "column_name", f) for f in selected_fields}
        return [column for column in self.columns if column.column_name in names] or self.columns

    # --- export ---
    def export_queryset(self, queryset=None):
        if queryset is None:
            queryset = Partner.objects.all()
        if queryset.model is Relationship:
            return queryset.select_related("partner", "kind").order_by(
                "partner__slug", "kind__code"
            )
        return queryset.prefetch_related("relationships__kind").order_by("slug")

    def iter_export_rows(self, queryset=None, selected_fields=None):
        """Rows of values, in the columns' order; relationships in a stable order."""
        columns = self.export_columns(selected_fields)
        queryset = self.export_queryset(queryset)
        if queryset.model is Relationship:
            for relationship in queryset.iterator(chunk_size=EXPORT_CHUNK):
                yield [export_value(relationship.partner, relationship, c) for c in columns]
            return
        # In chunks, each with its relationships: the partners are never all in memory at once.
        for partner in queryset.iterator(chunk_size=EXPORT_CHUNK):
            yield from self.partner_rows(partner, columns)

    @staticmethod
    def partner_rows(partner, columns, relationships=None):
        """A partner's rows (its relationships prefetched with their kinds, or given): one per
        relationship in the order of the kinds' codes, or one without a relationship."""
        if relationships is None:
            relationships = partner.relationships.all()
        for relationship in sorted(relationships, key=lambda r: r.kind.code) or [None]:
            yield [export_value(partner, relationship, c) for c in columns]

    def export(self, queryset=None, **kwargs):
        import tablib

        selected = kwargs.get("export_fields")
        dataset = tablib.Dataset(headers=self.get_export_headers(selected))
        for row in self.iter_export_rows(queryset, selected):
            dataset.append(row)
        return dataset


class RelationshipResource(PartnershipResource):
    """The same file, offered on the relationship list."""

    class Meta:
        model = Relationship
        fields = ()


def csv_writer(stream, *, delimiter=","):
    return csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")


def write_csv(headers, rows, stream, *, delimiter=",", escape=True):
    writer = csv_writer(stream, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([escape_formula(v) if escape else v for v in row])


def xlsx_bytes(headers, rows):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet("partnerships")
    sheet.append(headers)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str):
                # XLSX cannot hold control characters; an escaped formula starts with "'".
                value = ILLEGAL_CHARACTERS_RE.sub("", escape_formula(value))
            cells.append(value)
        sheet.append(cells)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
ODS_MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" \
manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.3" \
manifest:media-type="{ODS_MIMETYPE}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
ODS_CONTENT_START = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" \
xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">
<office:body><office:spreadsheet><table:table table:name="partnerships">
"""
ODS_CONTENT_END = "</table:table></office:spreadsheet></office:body></office:document-content>\n"
# Characters XML 1.0 cannot hold (as XLSX cannot: openpyxl's ILLEGAL_CHARACTERS_RE).
XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SPACES_RE = re.compile("(?:^ +)|(?<= ) +")


def ods_paragraph(line):
    """A line of text; ODF collapses runs of spaces, so each one after the first is a <text:s>."""
    spaced = SPACES_RE.sub(lambda match: f'<text:s text:c="{len(match[0])}"/>', escape(line))
    return f"<text:p>{spaced}</text:p>"


def ods_cell(value):
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        flag = "true" if value else "false"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{flag}">'
            f"<text:p>{flag}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float | Decimal):
        number = format(value, "f") if isinstance(value, Decimal) else repr(value)
        return (
            f'<table:table-cell office:value-type="float" office:value="{number}">'
            f"<text:p>{number}</text:p></table:table-cell>"
        )
    text = XML_ILLEGAL_RE.sub("", escape_formula(str(value)))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return (
        '<table:table-cell office:value-type="string">'
        + "".join(ods_paragraph(line) for line in lines)
        + "</table:table-cell>"
    )


def ods_bytes(headers, rows):
    """One sheet, "partnerships": numbers as numbers, text as text, formulas escaped."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        # The mimetype comes first and uncompressed, so that a reader finds it at a fixed place.
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE, zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        with archive.open("content.xml", "w") as content:
            content.write(ODS_CONTENT_START.encode())
            for row in itertools.chain([headers], rows):
                cells = "".join(ods_cell(value) for value in row)
                content.write(f"<table:table-row>{cells}</table:table-row>\n".encode())
            content.write(ODS_CONTENT_END.encode())
    return output.getvalue()


def json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def json_row(headers, row):
    return {header: json_value(value) for header, value in zip(headers, row, strict=True)}


def json_envelope(headers, last_change):
    """The JSON's object around its rows (`json_document` without "partnerships")."""
    name, url = licence()
    return {
        "licence": name,
        "licence_url": url,
        "last_change": last_change.isoformat() if last_change else None,
        "columns": headers,
    }


def json_document(headers, rows, last_change):
    return {
        **json_envelope(headers, last_change),
        "partnerships": [json_row(headers, row) for row in rows],
    }


def geojson_feature(partner, relationships=None):
    """A partner as a GeoJSON point with its names and relationships, or None if it has no
    position (its relationships prefetched with their kinds, or given)."""
    if not partner.has_position:
        return None
    if relationships is None:
        relationships = partner.relationships.all()
    properties = {
        "slug": partner.slug,
        "wikidata_id": partner.wikidata_id,
        **{f"name_{code}": getattr(partner, f"name_{code}") for code in LANGUAGE_CODES},
        "country": partner.country.code,
        "partner_kind": partner.kind,
        "relationships": [
            {
                "relationship": relationship.kind.code,
                "status": relationship.status,
                "since": relationship.since,
                "until": relationship.until,
            }
            for relationship in relationships
        ],
    }
    return {
        "type": "Feature",
        "id": partner.slug,
        "geometry": {
            "type": "Point",
            "coordinates": [float(partner.longitude), float(partner.latitude)],
        },
        "properties": properties,
    }


def geojson_envelope(last_change):
    """The FeatureCollection around the features (`geojson_document` without them)."""
    name, url = licence()
    return {
        "type": "FeatureCollection",
        "licence": name,
        "licence_url": url,
        "last_change": last_change.isoformat() if last_change else None,
    }


def geojson_document(partners, last_change):
    features = (geojson_feature(partner) for partner in partners)
    return {
        **geojson_envelope(last_change),
        "features": [feature for feature in features if feature is not None],
    }


class JsonListWriter:
    """Writes `json.dumps(document, ensure_ascii=False, indent=indent)` to `stream`, with
    `document[key]` a list whose items are given one at a time (`append`), so that the list is
    never all in memory; `close` ends the document. `key` is one of the document's top-level
    keys, and the output is byte for byte what json.dumps gives for the whole document.
    """

    def __init__(self, stream, document, key, *, indent=None):
        self.stream = stream
        self.indent = indent
        marker = uuid.uuid4().hex  # stands in for the list: a string found nowhere else
        whole = json.dumps({**document, key: marker}, ensure_ascii=False, indent=indent)
        before, self.after = whole.split(json.dumps(marker))
        if indent is None:
            # json.dumps' separators without indent: ", " between items, none inside brackets.
            self.opening, self.separator, self.closing, self.nesting = "[", ", ", "]", ""
        else:
            # The list is a top-level value: its items one level deeper, each on its own lines.
            self.nesting = "\n" + " " * (2 * indent)
            self.opening, self.separator = "[" + self.nesting, "," + self.nesting
            self.closing = "\n" + " " * indent + "]"
        self.empty = True
        stream.write(before)

    def append(self, item):
        text = json.dumps(item, ensure_ascii=False, indent=self.indent)
        if self.nesting:
            text = text.replace("\n", self.nesting)  # JSON writes a line break in a string as \n
        self.stream.write((self.opening if self.empty else self.separator) + text)
        self.empty = False

    def close(self):
        self.stream.write("[]" if self.empty else self.closing)
        self.stream.write(self.after)
