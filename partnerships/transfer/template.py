"""The import template: an empty partnerships file to fill in, as XLSX (Excel) and ODS (Calc).

Three sheets. The first holds only the header row, in the editor's language, with a drop-down
list on the columns whose values come from a list; it is the sheet the import reads
(`reading.py` reads the first sheet and notes that it did), so a filled template imports as it
is saved. The second explains every column with an example; the third, hidden, holds the
drop-downs' lists, which a list of about 250 countries needs (a list written into the
validation itself is limited to 255 characters in Excel).

Everything is read back the way the import reads it:

- a header is the column's label in the active language (`Headers.label`), which `Headers`
  recognises in every configured language;
- a drop-down offers, for each value, its name in the active language when the column's widget
  reads that name back as that value, else its code. The widgets accept a code or a name in any
  configured language, but a name can be shared (Hebrew has one word for prefecture and county),
  and then only the code is unambiguous;
- the lists are read from the database and the model's choices at download time, so a kind of
  relationship the office added is offered.

The lists validate with a warning, not a refusal: a code or a name in another language is
accepted by the import too, and it is the import that refuses anything else, row by row.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from xml.sax.saxutils import escape, quoteattr

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils import formats, translation
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_countries import countries

from ..models import Partner, Relationship, RelationshipKind
from .columns import (
    CountryWidget,
    Headers,
    RelationshipKindWidget,
    YesNoWidget,
    build_columns,
    escape_formula,
)
from .export import ODS_MIMETYPE, XML_ILLEGAL_RE, ods_paragraph
from .reading import column_letters

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows of the first sheet that carry the drop-downs. More rows are rare in a file filled by hand
# (a longer list is usually pasted from elsewhere); copying a cell down copies its drop-down.
TEMPLATE_ROWS = 1000
# Excel's dialog takes a validation's title up to 32 characters, its prompt up to 255 and its
# error message up to 225; Calc has no such limits, but the same texts serve both.
TITLE_LIMIT = 32
PROMPT_LIMIT = 255
ERROR_LIMIT = 225
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")


@dataclass
class TemplateColumn:
    """A column of the template, with what the explanation sheet says about it."""

    code: str
    header: str
    meaning: str
    required: str
    example: str
    accepted: str
    choices: list[str] = field(default_factory=list)  # the drop-down's values, if it has one

    @property
    def width(self):
        return max(14, min(40, len(self.header) + 4))


# --- the drop-downs' values, read back as the import reads them ---


def readable(widget, value, candidates):
    """The first of `candidates` (as a cell holds it) that `widget` reads back as `value`."""
    for candidate in candidates:
        try:
            if widget.clean(escape_formula(candidate)) == value:
                return candidate
        except ValidationError:
            continue  # a candidate the widget refuses is not offered
    return None  # neither reads back (a code starting with "-" is escaped): not offered


def offered(widget, values):
    """[(value, [name, code]), ...] -> the names (or codes) to offer, in that order."""
    shown = [readable(widget, value, candidates) for value, candidates in values]
    return [str(text) for text in shown if text]


def relationship_kinds():
    widget = RelationshipKindWidget()
    # `kind.name` is the active language's name, or the German one it falls back to.
    kinds = RelationshipKind.objects.order_by("order", "code")
    return offered(widget, [(kind.pk, [kind.name, kind.code]) for kind in kinds])


def model_choices(column):
    choices = column.widget.choices
    return offered(column.widget, [(code, [capfirst(label), code]) for code, label in choices])


def country_names():
    # django-countries gives the names in the active language, sorted as that language sorts.
    return offered(CountryWidget(), [(code, [name, code]) for code, name in countries])


def yes_no():
    return offered(YesNoWidget(), [(True, [_("yes"), "yes"]), (False, [_("no"), "no"])])


def drop_downs(columns_by_name):
    """The drop-down of each column that has one, from the database and the model's choices."""
    return {
        "country": country_names(),
        "partner_kind": model_choices(columns_by_name["partner_kind"]),
        "published": yes_no(),
        "relationship": relationship_kinds(),
        "status": model_choices(columns_by_name["status"]),
    }


# --- what the explanation sheet says ---


def language_name(code):
    return translation.get_language_info(code)["name_translated"]


def decimal_shown(value):
    """A coordinate as the editor writes it: 52,2297 in German, 52.2297 in English."""
    return formats.number_format(Decimal(value), use_l10n=True)


EXAMPLE_NAMES = {"de": "Warschau", "en": "Warsaw", "he": "ורשה"}
EXAMPLE_DESCRIPTIONS = {"de": "Hauptstadt Polens.", "en": "Capital of Poland."}
EXAMPLE_SUMMARIES = {"de": "Städtepartnerschaft seit 1989.", "en": "Twin city since 1989."}


def described_per_language(column):
    """(meaning, required, example, accepted) of a name, description or summary column."""
    prefix, _sep, language = column.column_name.rpartition("_")
    params = {"language": language_name(language)}
    if prefix == "name":
        return (
            _("The partner's name in %(language)s.") % params,
            _("at least one name per row (or the slug or Wikidata id of a known partner)"),
            EXAMPLE_NAMES.get(language, ""),
            _("text, up to %(max)s characters") % {"max": column.widget.max_length},
        )
    rich_text = _("text; paragraphs, emphasis, lists and links as in the admin")
    if prefix == "description":
        meaning = _("A description of the partner in %(language)s.") % params
        return meaning, _("no"), EXAMPLE_DESCRIPTIONS.get(language, ""), rich_text
    meaning = _("A summary of the relationship in %(language)s.") % params
    return meaning, _("no"), EXAMPLE_SUMMARIES.get(language, ""), rich_text


def described_columns(choices):
    """{column code: (meaning, required, example, accepted)} of the columns that exist once."""
    no = _("no")

    def text_up_to(field_name, target="partner"):
        model = Partner if target == "partner" else Relationship
        length = model._meta.get_field(field_name).max_length
        return _("text, up to %(max)s characters") % {"max": length}

    def listed(code):
        return _("a value from the drop-down list: %(values)s") % {
            "values": ", ".join(choices[code])
        }

    def example(code):
        return choices[code][0] if choices[code] else ""

    dates = _("a year (1989) or a date (22.07.2004 or 2004-07-22)")
    return {
        "slug": (
            _(
                "The partner's address on the website. Leave it empty for a new partner: it is "
                "made from the name."
            ),
            no,
            "warsaw",
            _("letters, digits, - and _, without spaces"),
        ),
        "wikidata_id": (
            _("The partner's item in Wikidata, which links it to open data."),
            no,
            "Q270",
            _("Q followed by digits"),
        ),
        "other_names": (
            _(
                "Further names the directory's search finds the partner by: its names in other "
                "languages, former names. The website does not show them."
            ),
            no,
            "Warszawa",
            _("text, one name per line (line breaks in the cell)"),
        ),
        "country": (
            _("The country the partner is in."),
            _("yes, for a new partner"),
            countries.name("PL"),
            _(
                "a country from the drop-down list, its name in another configured language, "
                "or its two-letter code (PL)"
            ),
        ),
        "partner_kind": (
            _(
                "What kind of place the partner is; a new partner is a city unless this says "
                "otherwise."
            ),
            no,
            example("partner_kind"),
            listed("partner_kind"),
        ),
        "region": (
            _("The region or state the partner is in."),
            no,
            "Masowien",
            text_up_to("region"),
        ),
        "latitude": (
            _("The partner's position: latitude in decimal degrees."),
            no,
            decimal_shown("52.2297"),
            _("a number from -90 to 90, with a decimal comma or point"),
        ),
        "longitude": (
            _("The partner's position: longitude in decimal degrees."),
            no,
            decimal_shown("21.0122"),
            _("a number from -180 to 180, with a decimal comma or point"),
        ),
        "website": (
            _("The partner's website."),
            no,
            "https://um.warszawa.pl",
            _("a full address, starting with https://"),
        ),
        "population": (_("The number of inhabitants."), no, "1861975", _("a whole number")),
        "image_credit": (
            _("Who made the partner's image (the image itself is uploaded in the admin)."),
            no,
            _("Photo: Jan Kowalski"),
            text_up_to("image_credit"),
        ),
        "image_licence": (
            _("The licence of the partner's image."),
            no,
            "CC BY-SA 4.0",
            text_up_to("image_licence"),
        ),
        "published": (
            _(
                "Whether the partner is shown on the public website; a new partner is, unless "
                "this says no."
            ),
            no,
            example("published"),
            listed("published"),
        ),
        "relationship": (
            _(
                "The kind of relationship. Several relationships with one partner: one row "
                "each. Empty: a partner without a relationship."
            ),
            no,
            example("relationship"),
            listed("relationship"),
        ),
        "status": (
            _(
                "The relationship's status; a new relationship is active unless this says "
                "otherwise."
            ),
            no,
            example("status"),
            listed("status"),
        ),
        "since": (_("When the relationship began."), no, "1989", dates),
        "until": (_("When the relationship ended, if it did."), no, "", dates),
    }


def template_columns():
    """The template's columns, in the import's order, described in the active language."""
    columns = build_columns()
    headers = Headers(columns)
    choices = drop_downs({column.column_name: column for column in columns})
    described = described_columns(choices)
    template = []
    for column in columns:
        if column.column_name in described:
            meaning, required, example, accepted = described[column.column_name]
        else:
            meaning, required, example, accepted = described_per_language(column)
        template.append(
            TemplateColumn(
                code=column.column_name,
                header=str(headers.label(column)),
                meaning=meaning,
                required=required,
                example=str(example),
                accepted=accepted,
                choices=choices.get(column.column_name, []),
            )
        )
    return template


def sheet_name(text):
    """A sheet's name as both programs allow it: none of []:*?/\\' and at most 31 characters."""
    return SHEET_NAME_FORBIDDEN.sub("", str(text))[:31] or "Sheet"


@dataclass
class Sheets:
    data: str
    explanation: str
    lists: str


def sheet_names():
    return Sheets(
        data=sheet_name(_("Partnerships")),
        explanation=sheet_name(_("Explanation")),
        lists=sheet_name(_("Lists")),
    )


def introduction(sheets):
    """The explanation sheet's first lines: how to fill in and import the template."""
    return [
        _("How to fill in this template"),
        _(
            "Fill in the first sheet, “%(sheet)s”: one row per relationship. Rows that name the "
            "same partner make one partner with several relationships. Only the first sheet is "
            "imported."
        )
        % {"sheet": sheets.data},
        _(
            "Delete the columns you do not need: a column that is not in the file leaves that "
            "field as it is, while an empty cell empties most fields of a partner that exists "
            "already. The import's preview shows every change before anything is written."
        ),
        _(
            "The columns with a drop-down list take a value from it. The lists were filled from "
            "the database when the template was downloaded: download it again after kinds of "
            "relationship have been added."
        ),
        _("Save the file as it is (XLSX or ODS) and upload it under “Import”."),
    ]


def explanation_headings():
    return [
        _("Column"),
        _("Code"),
        _("Meaning"),
        _("Required"),
        _("Example"),
        _("Accepted values"),
    ]


def explanation_rows(columns):
    return [
        [
            column.header,
            column.code,
            column.meaning,
            column.required,
            column.example,
            column.accepted,
        ]
        for column in columns
    ]


def validation_texts(column, sheets):
    """The titles and texts of the prompt a drop-down's cell shows, and of the warning a value
    outside the list gets."""
    warning = _(
        "This value is not in the list. The import accepts the list's values (and codes); "
        "anything else is refused there. The sheet “%(sheet)s” explains the column."
    ) % {"sheet": sheets.explanation}
    return {
        "error_title": shorten(_("Not in the list"), TITLE_LIMIT),
        "error": shorten(warning, ERROR_LIMIT),
        "prompt_title": shorten(column.header, TITLE_LIMIT),
        "prompt": shorten(column.meaning, PROMPT_LIMIT),
    }


def shorten(text, limit):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- XLSX ---


def xlsx_text(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", escape_formula(value)) if isinstance(value, str) else value


def template_xlsx():
    """The template as an Excel workbook (openpyxl); built in the active language."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = template_columns()
    sheets = sheet_names()
    bold = Font(bold=True)
    book = Workbook()

    data = book.active
    data.title = sheets.data
    data.append([xlsx_text(column.header) for column in columns])
    for cell in data[1]:
        cell.font = bold
    data.freeze_panes = "A2"
    for number, column in enumerate(columns, start=1):
        data.column_dimensions[get_column_letter(number)].width = column.width

    explanation = book.create_sheet(sheets.explanation)
    for line in introduction(sheets):
        explanation.append([xlsx_text(line)])
    explanation["A1"].font = Font(bold=True, size=14)
    explanation.append([])
    explanation.append(explanation_headings())
    for cell in explanation[explanation.max_row]:
        cell.font = bold
    wrapped = Alignment(wrap_text=True, vertical="top")
    for row in explanation_rows(columns):
        explanation.append([xlsx_text(value) for value in row])
        for cell in explanation[explanation.max_row]:
            cell.alignment = wrapped
    for letter, width in zip("ABCDEF", (28, 16, 50, 24, 24, 50), strict=True):
        explanation.column_dimensions[letter].width = width

    # The lists sheet: one column per drop-down, headed by the column's header. Each list is a
    # defined name that the validation refers to, the form every Excel version reads.
    lists = book.create_sheet(sheets.lists)
    lists.sheet_state = "hidden"
    listed = [column for column in columns if column.choices]
    for number, column in enumerate(listed, start=1):
        letter = get_column_letter(number)
        lists.cell(row=1, column=number, value=xlsx_text(column.header)).font = bold
        for row, value in enumerate(column.choices, start=2):
            lists.cell(row=row, column=number, value=xlsx_text(value))
        lists.column_dimensions[letter].width = column.width
        name = f"list_{column.code}"
        reference = (
            f"{quote_sheetname(sheets.lists)}!${letter}$2:${letter}${len(column.choices) + 1}"
        )
        book.defined_names[name] = DefinedName(name, attr_text=reference)
        texts = validation_texts(column, sheets)
        validation = DataValidation(
            type="list",
            formula1=name,
            allow_blank=True,
            showDropDown=False,  # (sic: False shows the arrow)
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=texts["error_title"],
            error=texts["error"],
            showInputMessage=True,
            promptTitle=texts["prompt_title"],
            prompt=texts["prompt"],
        )
        target = get_column_letter(columns.index(column) + 1)
        validation.add(f"{target}2:{target}{TEMPLATE_ROWS + 1}")
        data.add_data_validation(validation)

    book.active = 0
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


# --- ODS, written as export.py writes it: the standard library and a few lines of XML ---

ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
    'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" '
    'office:version="1.3"'
)
ODS_TEMPLATE_MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" \
manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.3" \
manifest:media-type="{ODS_MIMETYPE}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
ODS_STYLES = """<office:automatic-styles>
<style:style style:name="hidden" style:family="table">\
<style:table-properties table:display="false"/></style:style>
<style:style style:name="bold" style:family="table-cell">\
<style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="title" style:family="table-cell">\
<style:text-properties fo:font-weight="bold" fo:font-size="14pt"/></style:style>
<style:style style:name="wrapped" style:family="table-cell">\
<style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/></style:style>
{columns}
</office:automatic-styles>
"""


def ods_column_style(width):
    return f"w{width}"


def ods_column_styles(widths):
    # A spreadsheet's column width unit is about one character; 0.2 cm is close enough.
    return "\n".join(
        f'<style:style style:name="{ods_column_style(width)}" style:family="table-column">'
        f'<style:table-column-properties style:column-width="{width * 0.2:.1f}cm"/>'
        "</style:style>"
        for width in sorted(set(widths))
    )


def ods_quote(name):
    """A sheet's name in an ODF cell address: in quotes, an apostrophe doubled."""
    return "'" + name.replace("'", "''") + "'"


def ods_text_cell(value, style=None):
    """A text cell as export.py's `ods_cell` writes it (formulas escaped), with a style."""
    attributes = f' table:style-name="{style}"' if style else ""
    if value in (None, ""):
        return f"<table:table-cell{attributes}/>"
    text = XML_ILLEGAL_RE.sub("", escape_formula(str(value)))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return (
        f'<table:table-cell{attributes} office:value-type="string">'
        + "".join(ods_paragraph(line) for line in lines)
        + "</table:table-cell>"
    )


def ods_columns(widths):
    return "".join(
        f'<table:table-column table:style-name="{ods_column_style(width)}"/>' for width in widths
    )


def ods_row(cells):
    return "<table:table-row>" + "".join(cells) + "</table:table-row>\n"


def ods_validation(name, column, source, base, sheets):
    texts = validation_texts(column, sheets)
    return (
        f'<table:content-validation table:name="{name}" '
        f'table:condition="of:cell-content-is-in-list([{source}])" '
        f'table:allow-empty-cell="true" table:display-list="unsorted" '
        f"table:base-cell-address={quoteattr(base)}>"
        f'<table:help-message table:title={quoteattr(texts["prompt_title"])} table:display="true">'
        f"<text:p>{escape(texts['prompt'])}</text:p></table:help-message>"
        f"<table:error-message table:title={quoteattr(texts['error_title'])} "
        f'table:display="true" table:message-type="warning">'
        f"<text:p>{escape(texts['error'])}</text:p></table:error-message>"
        "</table:content-validation>"
    )


def ods_data_rows(columns, validation_of):
    """The empty rows under the header, each cell with its column's drop-down, repeated."""
    cells = []
    for name, group in groupby(validation_of.get(column.code) for column in columns):
        count = len(list(group))
        repeated = f' table:number-columns-repeated="{count}"' if count > 1 else ""
        validation = f' table:content-validation-name="{name}"' if name else ""
        cells.append(f"<table:table-cell{repeated}{validation}/>")
    return (
        f'<table:table-row table:number-rows-repeated="{TEMPLATE_ROWS}">'
        + "".join(cells)
        + "</table:table-row>\n"
    )


def ods_settings(sheets):
    """Calc's view settings: the data sheet is the one that opens, its header row frozen."""
    item = '<config:config-item config:name="{}" config:type="{}">{}</config:config-item>'
    frozen = "".join(
        item.format(name, kind, value)
        for name, kind, value in [
            ("VerticalSplitMode", "short", 2),
            ("VerticalSplitPosition", "int", 1),
            ("ActiveSplitRange", "short", 2),
            ("PositionTop", "int", 0),
            ("PositionBottom", "int", 1),
        ]
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-settings {ODS_NAMESPACES}>'
        '<office:settings><config:config-item-set config:name="ooo:view-settings">'
        '<config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>'
        + item.format("ViewId", "string", "view1")
        + '<config:config-item-map-named config:name="Tables">'
        f"<config:config-item-map-entry config:name={quoteattr(sheets.data)}>{frozen}"
        "</config:config-item-map-entry></config:config-item-map-named>"
        + item.format("ActiveTable", "string", escape(sheets.data))
        + "</config:config-item-map-entry></config:config-item-map-indexed>"
        "</config:config-item-set></office:settings></office:document-settings>\n"
    )


def template_ods():
    """The template as a LibreOffice spreadsheet; built in the active language."""
    columns = template_columns()
    sheets = sheet_names()
    listed = [column for column in columns if column.choices]
    explanation_widths = [28, 16, 50, 24, 24, 50]

    validations = []
    validation_of = {}
    for number, column in enumerate(listed):
        letter = column_letters(number)
        source = f"${ods_quote(sheets.lists)}.${letter}$2:.${letter}${len(column.choices) + 1}"
        name = f"list_{column.code}"
        base = f"{ods_quote(sheets.data)}.A2"
        validations.append(ods_validation(name, column, source, base, sheets))
        validation_of[column.code] = name

    widths = [column.width for column in columns] + explanation_widths
    widths += [column.width for column in listed]
    parts = [
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ODS_NAMESPACES}>\n',
        ODS_STYLES.format(columns=ods_column_styles(widths)),
        "<office:body><office:spreadsheet>\n",
    ]
    if validations:
        parts += ["<table:content-validations>", *validations, "</table:content-validations>\n"]

    parts.append(f"<table:table table:name={quoteattr(sheets.data)}>")
    parts.append(ods_columns([column.width for column in columns]))
    parts.append(ods_row(ods_text_cell(column.header, "bold") for column in columns))
    parts.append(ods_data_rows(columns, validation_of))
    parts.append("</table:table>\n")

    parts.append(f"<table:table table:name={quoteattr(sheets.explanation)}>")
    parts.append(ods_columns(explanation_widths))
    for number, line in enumerate(introduction(sheets)):
        parts.append(ods_row([ods_text_cell(line, "title" if number == 0 else None)]))
    parts.append("<table:table-row><table:table-cell/></table:table-row>\n")
    parts.append(ods_row(ods_text_cell(heading, "bold") for heading in explanation_headings()))
    for row in explanation_rows(columns):
        parts.append(ods_row(ods_text_cell(value, "wrapped") for value in row))
    parts.append("</table:table>\n")

    parts.append(f'<table:table table:name={quoteattr(sheets.lists)} table:style-name="hidden">')
    parts.append(ods_columns([column.width for column in listed]))
    parts.append(ods_row(ods_text_cell(column.header, "bold") for column in listed))
    for index in range(max((len(column.choices) for column in listed), default=0)):
        values = [column.choices[index] if index < len(column.choices) else "" for column in listed]
        parts.append(ods_row(ods_text_cell(value) for value in values))
    parts.append("</table:table>\n")
    parts.append("</office:spreadsheet></office:body></office:document-content>\n")

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        # The mimetype comes first and uncompressed, so that a reader finds it at a fixed place.
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE, zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", ODS_TEMPLATE_MANIFEST)
        archive.writestr("content.xml", "".join(parts))
        archive.writestr("settings.xml", ods_settings(sheets))
    return output.getvalue()


# --- the download ---

FORMATS = {
    "xlsx": (template_xlsx, XLSX_MIMETYPE),
    "ods": (template_ods, ODS_MIMETYPE),
}


def template_response(file_format):
    """The template in `file_format` (xlsx or ods) as a download; 404 for any other format."""
    if file_format not in FORMATS:
        raise Http404(_("There is no template in this format."))
    build, content_type = FORMATS[file_format]
    response = HttpResponse(build(), content_type=content_type)
    file_name = f"{_('partnerships-template')}.{file_format}"
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response
