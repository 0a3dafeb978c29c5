"""Form and model fields for values editors type: partial dates, numbers, websites.

A date that is often only a year: partnerships are mostly known by the year they began
("since 1988"); sometimes the full date is known (22 July 2004). The value is stored as ISO
text, "1988" or "2004-07-22", which sorts correctly as text and is unambiguous in every export.

Numbers as a German editor writes them ("52,22977", "1.234.567") and as an English one does
("52.22977", "1,234,567"), never read with a different magnitude: see `parse_number`.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, get_format, number_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

YEAR_RE = re.compile(r"^\d{4}$")
ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
GERMAN_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$")

MIN_YEAR = 800
MAX_YEAR = 2200


def parse_partial_date(value, *, today=None):
    """Return "YYYY" or "YYYY-MM-DD" for a year, an ISO date or a German date (22.07.2004).

    A German date may have a two-digit year, as German LibreOffice writes dates into a CSV
    (22.07.04): it is read as 20yy unless that date would be after `today` (the local date),
    then as 19yy. Raises ValidationError with a message an editor understands.
    """
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer():
            value = str(int(value))
        else:
            raise invalid(value)
    text = str(value).strip()
    if not text:
        return ""
    if YEAR_RE.match(text):
        year = int(text)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise invalid(text)
        return text
    if match := ISO_RE.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := GERMAN_RE.match(text):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            year += 2000
            try:
                if datetime.date(year, month, day) > (today or timezone.localdate()):
                    year -= 100
            except ValueError:
                raise invalid(text) from None
    else:
        raise invalid(text)
    try:
        parsed = datetime.date(year, month, day)
    except ValueError:
        raise invalid(text) from None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise invalid(text)
    return parsed.isoformat()


def invalid(value):
    return ValidationError(
        _("“%(value)s” is not a year (1988) or a date (22.07.2004 or 2004-07-22)."),
        code="invalid_partial_date",
        # A pasted paragraph is not repeated back in full.
        params={"value": Truncator(value).chars(40)},
    )


def partial_date_year(value):
    return int(value[:4]) if value else None


def format_partial_date(value):
    """Show a year as a year and a full date in the reader's locale."""
    if not value:
        return ""
    if len(value) == 4:
        return value
    return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")


def validate_partial_date(value):
    if value and parse_partial_date(value) != value:
        raise invalid(value)


class PartialDateFormField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        # The formats in the help text, not in a placeholder: a grey "1988" in an empty field
        # reads as a value that is already there. (A model field passes its own help text, ""
        # when it has none.)
        if not kwargs.get("help_text"):
            kwargs["help_text"] = _(
                "A year (1988) or a full date (1988-07-22 or 22.07.1988). A two-digit year "
                "(22.07.04) is 20yy, or 19yy when that date would be in the future."
            )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("size", 10)

    def prepare_value(self, value):
        # Show a full date the way a German editor writes it. The value is also what the editor
        # typed when the form comes back with an error ("2030-13-45"): anything that is not a
        # real date is shown as typed, for the editor to correct.
        if value and isinstance(value, str) and len(value) == 10 and ISO_RE.match(value):
            try:
                return datetime.date.fromisoformat(value).strftime("%d.%m.%Y")
            except ValueError:
                return value
        return value

    def to_python(self, value):
        return parse_partial_date(super().to_python(value))


class PartialDateField(models.CharField):
    description = _("A year or a full date")

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 10
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
        self.validators.append(validate_partial_date)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        del kwargs["max_length"]
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PartialDateFormField, **kwargs})


class WebsiteField(models.URLField):
    """A URL whose form assumes https when an editor types "www.example.org"."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


# --- Numbers ---

NUMBER_RE = re.compile(r"^[+-]?[0-9][0-9.,]*$")
GROUPED_RE = re.compile(r"^[0-9]{1,3}(?:X[0-9]{3})+$")  # X: the grouping separator
SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")  # spaces and apostrophes group digits too
MINUS = str.maketrans({"\u2212": "-", "\u2013": "-"})  # a typographic minus, as Excel copies it


def parse_number(text, *, grouping=True):
    """Read a number as the active language writes it, or as the other common convention does
    when that cannot be mistaken. Returns a Decimal; raises ValidationError when in doubt.

    - Both "," and "." (1.234,5 or 1,234.5): the last one is the decimal separator.
    - One of them, several times (1.234.567): thousands separators.
    - One of them, once: the decimal separator, except before exactly three digits where the
      active language groups with it ("1.234" in German is 1234, in English 1.234).
    - grouping=False (a coordinate, at most three digits before the decimals): a single "," or
      "." is always the decimal separator; more than one separator is refused.
    """
    original = text
    text = str(text).strip().translate(MINUS).translate(SPACES if grouping else {})
    if not NUMBER_RE.match(text):
        raise not_a_number(original)
    sign = "-" if text.startswith("-") else ""
    text = text.lstrip("+-")
    separators = [char for char in text if char in ".,"]
    if not separators:
        return Decimal(sign + text)
    decimal, group = None, None
    if len(set(separators)) == 2:
        decimal = separators[-1]
        group = "," if decimal == "." else "."
        if separators.count(decimal) > 1:
            raise not_a_number(original)
    elif len(separators) > 1:
        group = separators[0]
    else:
        separator = separators[0]
        whole, fraction = text.split(separator)
        if grouping and len(fraction) == 3 and separator == get_format("THOUSAND_SEPARATOR"):
            group = separator
        else:
            decimal = separator
    if group and not grouping:
        raise not_a_number(original)
    whole, _separator, fraction = text.partition(decimal) if decimal else (text, "", "")
    if group:
        if not GROUPED_RE.match(whole.replace(group, "X")):
            raise ValidationError(
                _(
                    "“%(value)s” is not clear: thousands separators stand between groups of "
                    "three digits (%(example)s)."
                ),
                code="ambiguous_number",
                params={"value": Truncator(original).chars(40), "example": example_grouped()},
            )
        whole = whole.replace(group, "")
    try:
        return Decimal(f"{sign}{whole}.{fraction or 0}")
    except InvalidOperation:
        raise not_a_number(original) from None


def example_decimal():
    return number_format(Decimal("52.22977"))


def example_grouped():
    return number_format(1234567, force_grouping=True)


def not_a_number(value):
    return ValidationError(
        _("“%(value)s” is not a number. Write it like this: %(example)s."),
        code="invalid",
        params={"value": Truncator(str(value)).chars(40), "example": example_decimal()},
    )


class NumberTextInput(forms.TextInput):
    """A text box, not <input type="number">: a browser sends nothing at all for a number it
    cannot read in its own locale ("52,22977" in an English browser), which would silently
    empty the field. Phones still show their number keyboard."""

    def __init__(self, attrs=None, decimal=True):
        super().__init__({"inputmode": "decimal" if decimal else "numeric", **(attrs or {})})


class DecimalNumberField(forms.DecimalField):
    """A decimal as the editor writes it in the admin's language ("52,22977" in German)."""

    widget = NumberTextInput

    def __init__(self, *, max_digits=None, decimal_places=None, **kwargs):
        kwargs["localize"] = True  # shown in the active language's format
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)
        # Only a number that can have more than three digits before its decimals is grouped.
        whole_digits = (max_digits - decimal_places) if max_digits and decimal_places else None
        self.grouping = whole_digits is None or whole_digits > 3

    def widget_attrs(self, widget):
        return {"size": 12}  # not DecimalField's step/min/max: those are for type="number"

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int):
            return Decimal(value)
        return parse_number(value, grouping=self.grouping)


class WholeNumberField(forms.IntegerField):
    """A whole number, with the thousands separators of the admin's language (1.234.567)."""

    widget = NumberTextInput

    def __init__(self, **kwargs):
        kwargs["localize"] = True
        super().__init__(**kwargs)
        self.widget.attrs["inputmode"] = "numeric"

    def widget_attrs(self, widget):
        return {"size": 12}

    def prepare_value(self, value):
        # Large numbers are read more easily with their groups: 1.234.567 (and read back).
        if isinstance(value, int) and not isinstance(value, bool):
            return number_format(value, force_grouping=True)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        number = parse_number(value)
        if number != number.to_integral_value():
            raise ValidationError(
                _(
                    "“%(value)s” is not a whole number; write it without decimals, "
                    "e.g. %(example)s."
                ),
                code="invalid",
                params={"value": Truncator(str(value)).chars(40), "example": example_grouped()},
            )
        return int(number)
