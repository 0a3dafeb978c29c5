"""The small records an import passes between its steps, and the report it ends with."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_ERRORS = 1000
NAME_COLUMNS_PREFIX = "name_"


@dataclass
class RowError:
    line: int
    column: str
    value: str
    message: str

    def __str__(self):
        where = _("Line %(line)s") % {"line": self.line} if self.line else _("File")
        if self.column:
            return _("%(where)s, column “%(column)s”, value “%(value)s”: %(message)s") % {
                "where": where,
                "column": self.column,
                "value": self.value,
                "message": self.message,
            }
        return f"{where}: {self.message}"


@dataclass
class ParsedRow:
    """A data row after its cells were parsed: the values for its partner and relationship.

    `partner` and `relationship` hold only the attributes the file gives (a missing column, or
    an empty cell in a column that keeps what is there, leaves the attribute out)."""

    line: int
    partner: dict
    relationship: dict
    ok: bool = True


def json_value(value):
    """A field's value as the change set stores and compares it (JSON, exact)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    code = getattr(value, "code", None)  # a django-countries Country
    if code is not None:
        return code
    return value


def shown(value):
    """A value as the preview shows it: empty as a dash, yes/no for booleans."""
    if value in (None, ""):
        return "–"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)


class Loss:
    """Kinds of change that destroy information: the preview lists them first."""

    EMPTIED = "emptied"
    NAME_REPLACED = "name_replaced"
    UNPUBLISHED = "unpublished"
    STATUS_CHANGED = "status_changed"

    LABELS = {
        EMPTIED: gettext_lazy("values emptied"),
        NAME_REPLACED: gettext_lazy("names replaced"),
        UNPUBLISHED: gettext_lazy("partners unpublished"),
        STATUS_CHANGED: gettext_lazy("relationship statuses changed"),
    }


@dataclass
class FieldChange:
    """One field of one object, before and after (before is None for a new object)."""

    target: str  # "partner" or "relationship"
    attribute: str
    column: str
    old: object
    new: object
    created: bool = False

    @property
    def old_shown(self):
        return shown(self.old)

    @property
    def new_shown(self):
        return shown(self.new)

    @property
    def loss(self):
        """Which kind of lost information this change is, if any."""
        if self.created:
            return None
        if self.attribute == "status":
            return Loss.STATUS_CHANGED
        if self.attribute == "is_published" and self.old and not self.new:
            return Loss.UNPUBLISHED
        if self.old not in (None, "") and self.new in (None, ""):
            return Loss.EMPTIED
        if self.attribute.startswith(NAME_COLUMNS_PREFIX) and self.old not in (None, ""):
            return Loss.NAME_REPLACED
        return None


@dataclass
class RowOutcome:
    """What one row does: new, update or skip (unchanged), and every field it changes."""

    line: int
    action: str
    partner: str
    changes: list = field(default_factory=list)
    # The objects themselves, for the change set (not shown, not compared).
    partner_object: object = field(default=None, repr=False, compare=False)
    relationship_object: object = field(default=None, repr=False, compare=False)
    relationship_label: str = ""

    @property
    def losses(self):
        return [change for change in self.changes if change.loss]


@dataclass
class ImportReport:
    dry_run: bool = True
    description: str = ""
    notes: list = field(default_factory=list)
    headers: list = field(default_factory=list)
    rows_read: int = 0
    partners: Counter = field(default_factory=Counter)
    relationships: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)
    error_count: int = 0
    outcomes: list | None = None
    # With keep_outcomes=N only the first N rows' outcomes are kept; how many were left out.
    outcomes_left_out: int = 0
    # Changes that destroy information: the first MAX_ERRORS as (line, partner, FieldChange),
    # and how many of each kind there are in all.
    losses: list = field(default_factory=list)
    loss_counts: Counter = field(default_factory=Counter)
    # A fingerprint of every planned change; confirm writes only what the preview showed.
    digest: str = ""
    stale: bool = False
    over_limit: bool = False  # more rows than max_rows: nothing was read past it
    written: bool = False
    change_set: object = None

    @property
    def ok(self):
        return not self.error_count and not self.stale

    def add_error(self, line, column, value, message):
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(line, column, shorten(value), message))

    def counts(self):
        return {
            "partners": dict(self.partners),
            "relationships": dict(self.relationships),
            "rows": self.rows_read,
        }

    def add_losses(self, outcome):
        for change in outcome.losses:
            self.loss_counts[change.loss] += 1
            if len(self.losses) < MAX_ERRORS:
                self.losses.append((outcome.line, outcome.partner, change))

    def loss_summary(self):
        """[(label, count)] of each kind of lost information, in a fixed order."""
        counts = self.loss_counts
        return [(Loss.LABELS[kind], counts[kind]) for kind in Loss.LABELS if counts[kind]]

    def as_preview(self):
        """The report as JSON, for a preview shown in a later request (`from_preview`)."""

        def change(c):
            return [c.target, c.attribute, c.column, c.old, c.new, c.created]

        return {
            "description": str(self.description),
            "notes": [str(note) for note in self.notes],
            "rows_read": self.rows_read,
            "partners": dict(self.partners),
            "relationships": dict(self.relationships),
            "errors": [[e.line, e.column, e.value, str(e.message)] for e in self.errors],
            "error_count": self.error_count,
            "outcomes": [
                [o.line, o.action, o.partner, [change(c) for c in o.changes]]
                for o in self.outcomes or []
            ],
            "outcomes_left_out": self.outcomes_left_out,
            "losses": [[line, partner, change(c)] for line, partner, c in self.losses],
            "loss_counts": dict(self.loss_counts),
            "over_limit": self.over_limit,
        }

    @classmethod
    def from_preview(cls, data):
        return cls(
            description=data["description"],
            notes=data["notes"],
            rows_read=data["rows_read"],
            partners=Counter(data["partners"]),
            relationships=Counter(data["relationships"]),
            errors=[RowError(*error) for error in data["errors"]],
            error_count=data["error_count"],
            outcomes=[
                RowOutcome(line, action, partner, [FieldChange(*c) for c in changes])
                for line, action, partner, changes in data["outcomes"]
            ],
            outcomes_left_out=data["outcomes_left_out"],
            losses=[(line, partner, FieldChange(*c)) for line, partner, c in data["losses"]],
            loss_counts=Counter(data["loss_counts"]),
            over_limit=data["over_limit"],
        )

    def summary(self):
        def count(number):
            return number_format(number, force_grouping=True)  # 30.000, not a year's 30000

        return _(
            "Partners: %(pn)s new, %(pu)s updated, %(pk)s unchanged. "
            "Relationships: %(rn)s new, %(ru)s updated, %(rk)s unchanged."
        ) % {
            "pn": count(self.partners["new"]),
            "pu": count(self.partners["update"]),
            "pk": count(self.partners["skip"]),
            "rn": count(self.relationships["new"]),
            "ru": count(self.relationships["update"]),
            "rk": count(self.relationships["skip"]),
        }


def shorten(value, limit=80):
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
