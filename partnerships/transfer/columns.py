"""The partnerships file's columns: how each cell is parsed for the import and written out.

One row per relationship, the way such lists are kept; rows that name the same partner make one
partner with several relationships, and a partner without relationships is a row with an empty
`relationship`. The same columns are read by the import (admin and `import_partnerships`) and
written by the export and the open data (`export.py`), so that an export imports again unchanged.

Translated fields are always named per language (`name_de`, `name_en`): the bare `name` would mean
"the active language" under modeltranslation, which is never what a file means.
"""

import datetime
import decimal
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_countries import countries
from import_export import fields, widgets
from modeltranslation.fields import TranslationField

from ..fields import parse_partial_date
from ..models import Partner, Relationship, RelationshipKind, wikidata_id_validator
from ..sanitize import clean_rich_text

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Make a text cell that a spreadsheet would run as a formula inert, reversibly.

    An apostrophe goes in front of text that starts with = + - @ (after any apostrophes already
    there); `unescape_formula` takes exactly one off again, so an export imports unchanged.
    """
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unescape_formula(value):
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def fold(text):
    """Compare names the way a person does: case, accents' composition and spaces ignored."""
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


def cell_text(value):
    """A cell as text: XLSX gives numbers for cells like a region "12" or a year."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def invalid(message, **params):
    return ValidationError(message % params if params else message)


class TextWidget(widgets.Widget):
    """Text stored as given (without surrounding spaces), within its field's length.

    Rich text (descriptions, summaries) goes through the same sanitiser as the admin's
    (`sanitize.clean_rich_text`), so a file can bring no markup the admin would not keep.
    """

    def __init__(self, max_length=None, validators=(), upper=False, rich=False, **kwargs):
        self.max_length = max_length
        self.validators = list(validators)
        self.upper = upper
        self.rich = rich
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = unescape_formula(cell_text(value))
        if "\x00" in text:
            # No database column takes it (PostgreSQL refuses the whole row).
            raise invalid(_("contains a NUL character, which no text may hold."))
        if self.upper:
            text = text.upper()
        if self.rich:
            text = clean_rich_text(text)
        if self.max_length and len(text) > self.max_length:
            raise invalid(
                _("is %(length)s characters long; at most %(max)s fit."),
                length=len(text),
                max=self.max_length,
            )
        if text:
            for validator in self.validators:
                validator(text)
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ChoiceWidget(widgets.Widget):
    """A value by its code or its name in any configured language ("aktiv", "active")."""

    def __init__(self, choices, default="", **kwargs):
        self.choices = choices
        self.default = default
        self._lookup = None
        super().__init__(**kwargs)

    def lookup(self):
        if self._lookup is None:
            table = {}
            for code, label in self.choices:
                table[fold(code)] = code
                for language in LANGUAGE_CODES:
                    with translation.override(language):
                        table.setdefault(fold(label), code)
            self._lookup = table
        return self._lookup

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return self.default
        try:
            return self.lookup()[fold(text)]
        except KeyError:
            raise invalid(
                _("is not one of: %(codes)s."),
                codes=", ".join(code for code, _label in self.choices),
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class CountryWidget(widgets.Widget):
    """An ISO 3166-1 alpha-2 code in any case, or the country's name in a configured language."""

    _lookup = None

    @classmethod
    def lookup(cls):
        if cls._lookup is None:
            table = {}
            for language in LANGUAGE_CODES:
                with translation.override(language):
                    for code, name in countries:
                        table.setdefault(fold(name), code)
            cls._lookup = table
        return cls._lookup

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return ""  # keeps the partner's country; a new partner needs one (engine.py)
        if len(text) == 2 and text.upper() in countries:
            return text.upper()
        try:
            return self.lookup()[fold(text)]
        except KeyError:
            raise invalid(
                _("is not a country: give its two-letter code (PL) or its name (Polen, Poland).")
            ) from None

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", value) or ""


class RelationshipKindWidget(widgets.Widget):
    """A relationship kind by its code or its name in any language ("Städtepartnerschaft")."""

    def __init__(self, **kwargs):
        self.kinds = None
        super().__init__(**kwargs)

    def load(self):
        """One query per import: kinds are few and the office edits them, so read them fresh."""
        self.kinds = {}
        self.table = {}
        for kind in RelationshipKind.objects.all():
            self.kinds[kind.pk] = kind
            self.table[fold(kind.code)] = kind.pk
            for language in LANGUAGE_CODES:
                name = getattr(kind, f"name_{language}")
                if name:
                    self.table.setdefault(fold(name), kind.pk)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        if self.kinds is None:
            self.load()
        try:
            return self.table[fold(text)]
        except KeyError:
            codes = ", ".join(kind.code for kind in self.kinds.values())
            raise invalid(
                _("is not a kind of relationship; known: %(codes)s."), codes=codes
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class YesNoWidget(widgets.Widget):
    """yes/no, ja/nein, true/false, 1/0 (an Excel boolean cell too); empty keeps the value."""

    TRUE = {"1", "yes", "y", "ja", "j", "true", "wahr", "x"}
    FALSE = {"0", "no", "n", "nein", "false", "falsch"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = fold(cell_text(value))
        if not text:
            return None
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise invalid(_("is not yes or no (1 or 0)."))

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class PartialDateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        return parse_partial_date(value)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class CoordinateWidget(widgets.Widget):
    """Decimal degrees with a dot or a German decimal comma, rounded to the stored 5 places."""

    def __init__(self, limit, **kwargs):
        self.limit = limit
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            raise invalid(_("is not a number."))
        text = cell_text(value) if not isinstance(value, float) else repr(value)
        text = text.replace("\u2212", "-").replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = decimal.Decimal(text)
        except decimal.InvalidOperation:
            raise invalid(_("is not a number (51.2277 or 51,2277).")) from None
        if not number.is_finite() or not -self.limit <= number <= self.limit:
            raise invalid(_("must be between -%(limit)s and %(limit)s."), limit=self.limit)
        return number.quantize(decimal.Decimal("0.00001"), rounding=decimal.ROUND_HALF_UP)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else format(value, "f")


POPULATION_RE = re.compile(r"^\d{1,3}([.,' \u00a0\u202f]\d{3})+$")


class PopulationWidget(widgets.Widget):
    """A whole number; German (1.234.567) and English (1,234,567) thousands separators."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        else:
            text = cell_text(value)
            if not text:
                return None
            if POPULATION_RE.match(text):
                text = re.sub(r"\D", "", text)
            if not text.isdigit():
                raise invalid(_("is not a whole number."))
            number = int(text)
        if number < 0 or number > 2**62:
            raise invalid(_("is not a population."))
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


def partner_field(field_name, column=None, widget=None):
    return PartnershipField(
        attribute=field_name, column_name=column or field_name, widget=widget, target="partner"
    )


def relationship_field(field_name, column=None, widget=None):
    return PartnershipField(
        attribute=field_name,
        column_name=column or field_name,
        widget=widget,
        target="relationship",
    )


class PartnershipField(fields.Field):
    """A column, the model it writes to (partner or relationship), and its widget."""

    def __init__(self, *, target, **kwargs):
        self.target = target
        super().__init__(**kwargs)


def text(field_name, target="partner", **kwargs):
    model = Partner if target == "partner" else Relationship
    max_length = model._meta.get_field(field_name).max_length
    maker = partner_field if target == "partner" else relationship_field
    return maker(field_name, widget=TextWidget(max_length=max_length, **kwargs))


def rich_text(field_name, target="partner"):
    return text(field_name, target, rich=True)


def build_columns():
    """The file's columns in their order, for every configured language."""
    columns = [
        text("slug", validators=[validate_slug]),
        text("wikidata_id", validators=[wikidata_id_validator], upper=True),
        *[text(f"name_{code}") for code in LANGUAGE_CODES],
        text("other_names"),
        partner_field("country", widget=CountryWidget()),
        partner_field("kind", "partner_kind", ChoiceWidget(Partner.Kind.choices, None)),
        text("region"),
        partner_field("latitude", widget=CoordinateWidget(90)),
        partner_field("longitude", widget=CoordinateWidget(180)),
        text("website", validators=[URLValidator()]),
        partner_field("population", widget=PopulationWidget()),
        text("image_credit"),
        text("image_licence"),
        partner_field("is_published", "published", YesNoWidget()),
        relationship_field("kind", "relationship", RelationshipKindWidget()),
        relationship_field(
            "status", widget=ChoiceWidget(Relationship.Status.choices, default=None)
        ),
        relationship_field("since", widget=PartialDateWidget()),
        relationship_field("until", widget=PartialDateWidget()),
        *[rich_text(f"description_{code}") for code in LANGUAGE_CODES],
        *[rich_text(f"summary_{code}", target="relationship") for code in LANGUAGE_CODES],
    ]
    return columns


# The column an attribute is written in, per model: what an editor sees in the preview.
# (Each import builds its own columns: the kinds widget reads the office's kinds afresh.)
COLUMN_OF = {(column.target, column.attribute): column.column_name for column in build_columns()}


# --- Headers: a column by its code or by its label in the admin, in any configured language ---


def header_key(text):
    """A header as a person means it: case, spaces, "_" and "-" ignored ("Wikidata-ID")."""
    text = unicodedata.normalize("NFKC", "" if text is None else str(text)).casefold()
    return "".join(char for char in text if not char.isspace() and char not in "_-\ufeff")


def language_names(code):
    """A language as people name it: its code, its name in every configured language and its
    own name ("de", "Deutsch", "German", "גרמנית")."""
    names = {code, translation.get_language_info(code)["name_local"]}
    name = dict(settings.LANGUAGES)[code]
    for language in LANGUAGE_CODES:
        with translation.override(language):
            names.add(str(name))
    return names


# Words an office's own lists use for a column where the admin's label is another: the admin
# says "Einwohnerzahl", lists and Wikipedia say "Bevölkerung". Matched like the labels (in any
# case and spacing, in every language) but never shown, so they are not messages for the
# catalogues; a word here must name no other column.
OTHER_NAMES = {
    "population": ("Bevölkerung", "Einwohner", "inhabitants"),
}


class HeaderProblem(Exception):
    """A header (or a mapping's target) that names no column, or more than one."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class Headers:
    """Which column a header names: its code (`name_de`, `country`), else its label in the admin
    in any configured language (`Land`, `Country`, `Name (Deutsch)`, `Name de`, `Name [de]`),
    for a foreign key its model's name too (`Beziehungsart`), or one of its OTHER_NAMES.

    A code always wins over a label. A label that belongs to several columns names none of them:
    the bare `Name` (name in which language?) and `kind` (of place or of relationship?) are
    errors that list the columns they could mean, never a guess.
    """

    def __init__(self, columns):
        self.columns = {column.column_name: column for column in columns}
        self.codes = {header_key(name): name for name in self.columns}
        self.labels = {}  # header key -> the column names it can mean
        for column in columns:
            for label in self.labels_of(column):
                self.labels.setdefault(header_key(label), set()).add(column.column_name)

    @staticmethod
    def field_of(column):
        model = Partner if column.target == "partner" else Relationship
        return model._meta.get_field(column.attribute)

    def labels_of(self, column):
        field = self.field_of(column)
        labels = {column.attribute, *OTHER_NAMES.get(column.column_name, ())}
        translated = isinstance(field, TranslationField)
        for language in LANGUAGE_CODES:
            with translation.override(language):
                labels.add(str(field.verbose_name))  # modeltranslation's "Name [de]"
                if field.many_to_one:
                    # The admin names what a foreign key points to by its model too: the
                    # relationship's "Art der Beziehung" is a "Beziehungsart" in the admin's
                    # menu and on the page where the office edits them.
                    labels.add(str(field.related_model._meta.verbose_name))
                if translated:
                    base = str(field.translated_field.verbose_name)
                    labels.add(base)  # ambiguous on purpose: which language?
                    for name in language_names(field.language):
                        labels |= {f"{base} ({name})", f"{base} [{name}]", f"{base} {name}"}
        return labels

    def label(self, column):
        """The column as the admin labels it in the active language: "Name (Deutsch)"."""
        field = self.field_of(column)
        if isinstance(field, TranslationField):
            name = translation.get_language_info(field.language)["name_translated"]
            return f"{capfirst(field.translated_field.verbose_name)} ({name})"
        return capfirst(field.verbose_name)

    def known(self):
        return ", ".join(f"{name} “{self.label(column)}”" for name, column in self.columns.items())

    def resolve(self, header):
        """The column `header` names; HeaderProblem when it names none, or several."""
        key = header_key(header)
        if key in self.codes:
            return self.columns[self.codes[key]]
        names = self.labels.get(key, set())
        if len(names) == 1:
            return self.columns[next(iter(names))]
        if names:
            ordered = [name for name in self.columns if name in names]
            raise HeaderProblem(
                _("“%(header)s” could be any of these columns: %(columns)s. Name one of them.")
                % {
                    "header": header,
                    "columns": ", ".join(
                        f"{name} “{self.label(self.columns[name])}”" for name in ordered
                    ),
                }
            )
        raise HeaderProblem(
            _("Unknown column. Name a column by its code or its label; the columns are: %(c)s.")
            % {"c": self.known()}
        )
