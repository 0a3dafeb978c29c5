"""A date that is often only a year.

Partnerships are mostly known by the year they began ("since 1988"); sometimes the full date is
known (22 July 2004). The value is stored as ISO text, "1988" or "2004-07-22", which sorts
correctly as text and is unambiguous in every export.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

YEAR_RE = re.compile(r"^\d{4}$")
ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
GERMAN_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")

MIN_YEAR = 800
MAX_YEAR = 2200


def parse_partial_date(value):
    """Return "YYYY" or "YYYY-MM-DD" for a year, an ISO date or a German date (22.07.2004).

    Raises ValidationError with a message an editor understands.
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
        params={"value": value},
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
        kwargs.setdefault("help_text", _("A year (1988) or a full date (22.07.2004)."))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "1988")
        self.widget.attrs.setdefault("size", 10)

    def prepare_value(self, value):
        # Show a stored full date the way a German editor writes it.
        if value and isinstance(value, str) and len(value) == 10 and ISO_RE.match(value):
            return datetime.date.fromisoformat(value).strftime("%d.%m.%Y")
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
