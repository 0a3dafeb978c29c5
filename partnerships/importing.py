"""Import a partnerships file: all or nothing, chunked, idempotent.

The columns and how each cell is read live in `resources.py`; reading the file in `tables.py`.
This is the action that touches several models in one transaction:

- rows are read in chunks; each chunk costs a fixed number of queries (find its partners and their
  relationships, write the new ones with bulk_create, the changed ones with bulk_update), so
  memory stays bounded and 100,000 rows take seconds, not the minutes of a row-by-row import;
- everything happens in one transaction; if any row has an error, or on a dry run, the
  transaction is rolled back and nothing is written, but every row is still checked, so the
  editor sees every error at once;
- a field is written only when its value differs: a second import of the same file writes
  nothing, not even `updated`;
- bulk writes bypass the signals, so ContentChange is touched once at the end of a real import.
"""

from collections import Counter
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, reset_queries, transaction
from django.db.models import CharField, Q, TextField
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import ContentChange, Partner, Relationship
from .resources import LANGUAGE_CODES, PartnershipResource, fold
from .tables import FileProblem, Table, count_message

CHUNK_SIZE = 1000
REQUIRED_NAME = "name_de"
# An empty cell in these columns keeps what is there (a new row gets the default): an empty
# cell must never blank a partner's identity or its German name, which the others fall back to.
KEEP_WHEN_EMPTY = {
    "partner": {"slug", "wikidata_id", REQUIRED_NAME, "kind", "is_published"},
    "relationship": {"status", "kind"},
}
NULLABLE_TEXT = {
    target: {
        field.attname
        for field in model._meta.concrete_fields
        if field.null and isinstance(field, CharField | TextField)
    }
    for target, model in (("partner", Partner), ("relationship", Relationship))
}
MAX_ERRORS = 1000


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
class RowOutcome:
    """What a row does: new, update or skip (unchanged), and which columns change."""

    line: int
    action: str
    values: list
    changes: list = field(default_factory=list)


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
    written: bool = False

    @property
    def ok(self):
        return not self.error_count

    def add_error(self, line, column, value, message):
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(line, column, shorten(value), message))

    def summary(self):
        return _(
            "Partners: %(pn)s new, %(pu)s updated, %(pk)s unchanged. "
            "Relationships: %(rn)s new, %(ru)s updated, %(rk)s unchanged."
        ) % {
            "pn": self.partners["new"],
            "pu": self.partners["update"],
            "pk": self.partners["skip"],
            "rn": self.relationships["new"],
            "ru": self.relationships["update"],
            "rk": self.relationships["skip"],
        }


def shorten(value, limit=80):
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validation_message(error):
    return " ".join(str(message) for message in error.messages)


def import_table(
    table: Table,
    *,
    dry_run=False,
    keep_outcomes=False,
    max_rows=None,
    chunk_size=CHUNK_SIZE,
    progress=None,
    resource=None,
):
    """Import every row of `table` and report; write nothing unless every row is ok."""
    report = ImportReport(dry_run=dry_run, description=table.description, notes=list(table.notes))
    report.outcomes = [] if keep_outcomes else None
    engine = Engine(resource or PartnershipResource(), report, max_rows)
    if not engine.read_headers(table.headers):
        return report
    try:
        with transaction.atomic():
            rows = engine.data_rows(table.rows)
            while chunk := list(islice(rows, chunk_size)):
                engine.import_chunk(chunk)
                if settings.DEBUG:
                    # With DEBUG on, Django keeps every query's SQL; a bulk insert's is long.
                    reset_queries()
                if progress:
                    progress(report.rows_read)
            if report.rows_read == 0:
                report.add_error(0, "", "", _("The file has a header but no rows."))
            changed = any(report.partners[a] or report.relationships[a] for a in ("new", "update"))
            if dry_run or report.error_count:
                transaction.set_rollback(True)
            elif changed:
                ContentChange.touch()
                report.written = True
    except FileProblem as problem:
        report.add_error(problem.line or 0, "", "", problem.message)
    return report


class Engine:
    def __init__(self, resource, report, max_rows):
        self.resource = resource
        self.report = report
        self.max_rows = max_rows
        self.seen_partners = {}  # pk -> "new" / "update" / "skip", for counting each once
        self.seen_relationships = {}  # (partner pk, kind pk) -> line, to refuse duplicates

    # --- headers ---
    def read_headers(self, raw_headers):
        report = self.report
        known = self.resource.columns_by_name
        self.width = len(raw_headers)
        self.positions = []  # (index, column)
        self.blank_positions = []
        seen = {}
        for index, raw in enumerate(raw_headers):
            name = ("" if raw is None else str(raw)).strip().lower().lstrip("\ufeff")
            if not name:
                self.blank_positions.append(index)
                continue
            if name in seen:
                report.add_error(
                    1,
                    raw,
                    raw,
                    _("This column appears twice (columns %(a)s and %(b)s).")
                    % {"a": seen[name] + 1, "b": index + 1},
                )
                continue
            seen[name] = index
            if name not in known:
                report.add_error(
                    1,
                    raw,
                    raw,
                    _("Unknown column. The columns are: %(columns)s.")
                    % {"columns": ", ".join(known)},
                )
                continue
            self.positions.append((index, known[name]))
        report.headers = [column.column_name for _index, column in self.positions]
        names = {column.column_name for _index, column in self.positions}
        identifying = {"slug", "wikidata_id", *(f"name_{code}" for code in LANGUAGE_CODES)}
        if not report.error_count and not names & identifying:
            report.add_error(
                1,
                "",
                "",
                _("The file needs a name column (%(columns)s), or slug or wikidata_id.")
                % {"columns": ", ".join(f"name_{code}" for code in LANGUAGE_CODES)},
            )
        self.present = names
        return not report.error_count

    def data_rows(self, rows):
        """Skip empty rows (Excel leaves some at the end); refuse values under a blank header."""
        limit = self.max_rows
        for line, values in rows:
            if not any(v not in (None, "") and str(v).strip() for v in values):
                continue
            for index in self.blank_positions:
                if (
                    index < len(values)
                    and values[index] not in (None, "")
                    and str(values[index]).strip()
                ):
                    self.report.add_error(
                        line,
                        _("column %(n)s") % {"n": index + 1},
                        values[index],
                        _("This value has no column header."),
                    )
            for index in range(self.width, len(values)):
                if values[index] not in (None, "") and str(values[index]).strip():
                    self.report.add_error(
                        line,
                        _("column %(n)s") % {"n": index + 1},
                        values[index],
                        _("This value has no column header."),
                    )
                    break
            self.report.rows_read += 1
            if limit and self.report.rows_read > limit:
                raise FileProblem(count_message(limit))
            yield line, values

    # --- one chunk ---
    def import_chunk(self, chunk):
        parsed = [self.parse_row(line, values) for line, values in chunk]
        parsed = [row for row in parsed if row is not None]
        partners = self.resolve_partners(parsed)
        self.write(parsed, partners)

    def parse_row(self, line, values):
        report = self.report
        partner_values, relationship_values = {}, {}
        ok = True
        for index, column in self.positions:
            raw = values[index] if index < len(values) else None
            try:
                value = column.widget.clean(raw)
            except ValidationError as error:
                report.add_error(line, column.column_name, raw, validation_message(error))
                ok = False
                continue
            target = partner_values if column.target == "partner" else relationship_values
            if value in ("", None) and column.attribute in KEEP_WHEN_EMPTY[column.target]:
                continue
            if value == "" and column.attribute in NULLABLE_TEXT[column.target]:
                value = None  # an untranslated text is NULL, as the admin stores it
            target[column.attribute] = value
        names = [partner_values.get(f"name_{code}") for code in LANGUAGE_CODES]
        if (
            ok
            and not any(names)
            and not (partner_values.get("wikidata_id") or partner_values.get("slug"))
        ):
            report.add_error(line, "name_*", "", _("Every row needs a name (name_de, name_en, …)."))
            ok = False
        since, until = relationship_values.get("since"), relationship_values.get("until")
        if since and until and until < since[:4]:
            report.add_error(line, "until", until, _("“Until” cannot be before “since”."))
            ok = False
        if "country" not in partner_values and ok:
            # Finding or creating a partner by its name needs the country; by id it does not.
            if not (partner_values.get("wikidata_id") or partner_values.get("slug")):
                report.add_error(line, "country", "", _("A country is required."))
                ok = False
        values_shown = [values[i] if i < len(values) else "" for i, _c in self.positions]
        return {
            "line": line,
            "ok": ok,
            "partner": partner_values,
            "relationship": relationship_values,
            "values": values_shown,
        }

    def resolve_partners(self, rows):
        """Find each row's partner: by wikidata_id, else slug, else name and country."""
        wikidata_ids = {r["partner"].get("wikidata_id") for r in rows} - {None, ""}
        slugs = {r["partner"].get("slug") for r in rows} - {None, ""}
        exact = {
            r["partner"][f"name_{code}"]
            for r in rows
            for code in LANGUAGE_CODES
            if r["partner"].get(f"name_{code}")
        }
        names = {fold(name) for name in exact}
        query = Q(wikidata_id__in=wikidata_ids) | Q(slug__in=slugs)
        if names:
            # Lower() is ASCII-only on SQLite; the exact names catch the rest (a re-import).
            annotations = {f"_folded_{code}": Lower(f"name_{code}") for code in LANGUAGE_CODES}
            name_query = Q()
            for code in LANGUAGE_CODES:
                name_query |= Q(**{f"_folded_{code}__in": names})
                name_query |= Q(**{f"name_{code}__in": exact})
            found = list(Partner.objects.alias(**annotations).filter(query | name_query))
        elif wikidata_ids or slugs:
            found = list(Partner.objects.filter(query))
        else:
            found = []
        index = {}
        for partner in found:
            self.index_partner(index, partner)
        return index

    @staticmethod
    def index_partner(index, partner):
        if partner.wikidata_id:
            index[("wikidata", partner.wikidata_id)] = partner
        index[("slug", partner.slug)] = partner
        for code in LANGUAGE_CODES:
            name = getattr(partner, f"name_{code}")
            if name:
                index.setdefault(("name", partner.country.code, fold(name)), partner)

    def lookup(self, index, values):
        if values.get("wikidata_id") and ("wikidata", values["wikidata_id"]) in index:
            return index[("wikidata", values["wikidata_id"])]
        if values.get("slug") and ("slug", values["slug"]) in index:
            return index[("slug", values["slug"])]
        country = values.get("country")
        for code in LANGUAGE_CODES:
            name = values.get(f"name_{code}")
            if name and country and ("name", country, fold(name)) in index:
                return index[("name", country, fold(name))]
        return None

    # --- writing ---
    def write(self, rows, index):
        report = self.report
        new_partners, changed_partners = [], {}
        row_partners = []
        for row in rows:
            if not row["ok"]:
                row_partners.append(None)
                continue
            values = row["partner"]
            partner = self.lookup(index, values)
            if partner is None:
                if values.get("wikidata_id") and not (
                    any(values.get(f"name_{c}") for c in LANGUAGE_CODES) and values.get("country")
                ):
                    report.add_error(
                        row["line"],
                        "wikidata_id",
                        values["wikidata_id"],
                        _("No partner has this Wikidata id; a new one needs a name and a country."),
                    )
                    row_partners.append(None)
                    continue
                if not any(values.get(f"name_{c}") for c in LANGUAGE_CODES) or not values.get(
                    "country"
                ):
                    report.add_error(
                        row["line"],
                        "slug",
                        values.get("slug", ""),
                        _("No partner has this slug; a new one needs a name and a country."),
                    )
                    row_partners.append(None)
                    continue
                partner = self.new_partner(values)
                new_partners.append(partner)
                self.index_partner(index, partner)
                row["partner_changes"] = ["new"]
            else:
                changes = self.apply(partner, values, row)
                if changes is None:
                    row_partners.append(None)
                    continue
                row["partner_changes"] = changes
                if changes and partner.pk:
                    changed_partners[partner.pk] = partner
                # Keep a changed wikidata id or slug findable by later rows of this chunk.
                self.index_partner(index, partner)
            row_partners.append(partner)

        self.assign_slugs(new_partners)
        if report.error_count:
            # Rows before the first error are still checked against the database, but once an
            # error is known nothing will be kept: stop writing, keep checking.
            self.count_and_check(rows, row_partners, new_partners, changed_partners, write=False)
            return
        self.count_and_check(rows, row_partners, new_partners, changed_partners, write=True)

    def new_partner(self, values):
        data = dict(values)
        if not data.get(REQUIRED_NAME):
            data[REQUIRED_NAME] = next(
                data[f"name_{c}"] for c in LANGUAGE_CODES if data.get(f"name_{c}")
            )
        data.setdefault("kind", "city")
        partner = Partner(**data)
        partner._new = True
        return partner

    def apply(self, partner, values, row):
        """Set the values that differ; return the changed columns (empty when unchanged)."""
        changes = []
        for attribute, value in values.items():
            if attribute == REQUIRED_NAME and not value:
                continue  # never blank the German name, which every other language falls back to
            current = getattr(partner, attribute)
            if attribute == "country":
                current = current.code
            if current != value:
                if attribute == "wikidata_id" and value and partner.wikidata_id:
                    self.report.add_error(
                        row["line"],
                        "wikidata_id",
                        value,
                        _("This partner (%(slug)s) already has the Wikidata id %(id)s.")
                        % {"slug": partner.slug, "id": partner.wikidata_id},
                    )
                    return None
                setattr(partner, attribute, value)
                changes.append(attribute)
        if changes and not getattr(partner, "_new", False):
            partner.updated = timezone.now()
        return changes

    def assign_slugs(self, partners):
        """Give new partners a unique ASCII slug from their name (english, else german)."""
        wanted = [p for p in partners if not p.slug]
        bases = {}
        for partner in wanted:
            name = partner.name_en or partner.name_de or ""
            base = slugify(name)[:90].strip("-") or "partner"
            bases.setdefault(base, []).append(partner)
        given = {p.slug for p in partners if p.slug}
        candidates = set(bases) | given
        taken = set()
        if candidates:
            taken = set(Partner.objects.filter(slug__in=candidates).values_list("slug", flat=True))
        # Only a base that is taken, or wanted twice, needs to know its numbered siblings.
        collided = [base for base, group in bases.items() if base in taken or len(group) > 1]
        if collided:
            query = Q()
            for base in collided:
                query |= Q(slug__startswith=f"{base}-")
            taken |= set(Partner.objects.filter(query).values_list("slug", flat=True))
        for partner in partners:
            if partner.slug and partner.slug in taken:
                self.report.add_error(0, "slug", partner.slug, _("Another partner has this slug."))
        taken |= given
        rest = []
        for base, group in bases.items():
            if base in taken:
                rest.append((base, group))
            else:
                taken.add(base)
                group[0].slug = base
                rest.append((base, group[1:]))
        for base, group in rest:
            number = 1
            for partner in group:
                slug = base
                while slug in taken:
                    number += 1
                    slug = f"{base}-{number}"
                taken.add(slug)
                partner.slug = slug

    def count_and_check(self, rows, row_partners, new_partners, changed_partners, write):
        report = self.report
        if write:
            try:
                with transaction.atomic():
                    Partner.objects.bulk_create(new_partners)
                    if changed_partners:
                        fields = sorted(
                            {
                                f
                                for row in rows
                                for f in row.get("partner_changes", [])
                                if f != "new"
                            }
                            | {"updated"}
                        )
                        Partner.objects.bulk_update(list(changed_partners.values()), fields)
            except DatabaseError as error:
                report_refused(report, rows, error)
                return
        # Relationships of the chunk's partners, one query.
        existing = {}
        pks = [p.pk for p in row_partners if p is not None and p.pk]
        if pks:
            for relationship in Relationship.objects.filter(partner_id__in=pks):
                existing[(relationship.partner_id, relationship.kind_id)] = relationship
        new_relationships, changed_relationships, relationship_fields = [], [], set()
        for row, partner in zip(rows, row_partners, strict=True):
            if partner is None:
                continue
            partner_action = self.count_partner(partner, row)
            values = dict(row["relationship"])
            kind = values.get("kind")
            action = partner_action
            changes = [c for c in row.get("partner_changes", []) if c != "new"]
            if kind:
                key = (partner.pk or id(partner), kind)
                if key in self.seen_relationships:
                    report.add_error(
                        row["line"],
                        "relationship",
                        kind_code(self.resource, kind),
                        _("Line %(line)s already has this partner and kind of relationship.")
                        % {"line": self.seen_relationships[key]},
                    )
                    continue
                self.seen_relationships[key] = row["line"]
                relationship = existing.get(key)
                if relationship is None:
                    values["kind_id"] = values.pop("kind")
                    values.setdefault("status", "active")
                    relationship = Relationship(partner=partner, **values)
                    new_relationships.append(relationship)
                    report.relationships["new"] += 1
                    action = "new"
                    changes.append("relationship")
                else:
                    values.pop("kind")
                    rel_changes = [a for a, v in values.items() if getattr(relationship, a) != v]
                    if rel_changes:
                        for attribute in rel_changes:
                            setattr(relationship, attribute, values[attribute])
                        relationship.updated = timezone.now()
                        changed_relationships.append(relationship)
                        relationship_fields.update(rel_changes)
                        report.relationships["update"] += 1
                        changes += rel_changes
                        if action == "skip":
                            action = "update"
                    else:
                        report.relationships["skip"] += 1
                    until = relationship.until
                    since = relationship.since
                    if since and until and until < since[:4]:
                        report.add_error(
                            row["line"], "until", until, _("“Until” cannot be before “since”.")
                        )
            if report.outcomes is not None:
                report.outcomes.append(
                    RowOutcome(row["line"], action, row["values"], sorted(set(changes)))
                )
        if write and not report.error_count:
            try:
                with transaction.atomic():
                    Relationship.objects.bulk_create(new_relationships)
                    if changed_relationships:
                        Relationship.objects.bulk_update(
                            changed_relationships, sorted(relationship_fields | {"updated"})
                        )
            except DatabaseError as error:
                report_refused(report, rows, error)

    def count_partner(self, partner, row):
        key = partner.pk or id(partner)
        changes = row.get("partner_changes", [])
        action = (
            "new"
            if changes == ["new"] or getattr(partner, "_new", False)
            else ("update" if changes else "skip")
        )
        previous = self.seen_partners.get(key)
        if previous is None:
            self.seen_partners[key] = action
            self.report.partners[action] += 1
        elif previous == "skip" and action == "update":
            self.seen_partners[key] = "update"
            self.report.partners["skip"] -= 1
            self.report.partners["update"] += 1
        return action


def report_refused(report, rows, error):
    """A chunk the database would not write: one error, on the chunk's first line."""
    report.add_error(
        rows[0]["line"], "", "", _("The database refused these rows: %(e)s") % {"e": error}
    )


def kind_code(resource, kind_pk):
    widget = resource.columns_by_name["relationship"].widget
    kind = (widget.kinds or {}).get(kind_pk)
    return kind.code if kind else kind_pk


# --- django-import-export's admin ---


def import_dataset_for_admin(resource, dataset, dry_run):
    """Run the engine on the dataset the admin's format read; answer with its Result type."""
    from import_export.results import Error, Result, RowResult

    lines = getattr(dataset, "line_numbers", None) or range(2, len(dataset) + 2)
    rows = zip(lines, ([*row] for row in dataset), strict=False)
    table = Table(
        headers=list(dataset.headers or []),
        rows=rows,
        description=getattr(dataset, "description", ""),
    )
    report = import_table(table, dry_run=dry_run, keep_outcomes=True, resource=resource)

    result = Result()
    result.diff_headers = [_("Changes"), *report.headers]
    result.report = report
    if report.error_count:
        result.append_base_error(
            Error(_("The file has errors; nothing was imported. Correct them and upload it again."))
        )
        return result
    for outcome in report.outcomes:
        row_result = RowResult()
        row_result.number = outcome.line
        row_result.import_type = {
            "new": RowResult.IMPORT_TYPE_NEW,
            "update": RowResult.IMPORT_TYPE_UPDATE,
            "skip": RowResult.IMPORT_TYPE_SKIP,
        }[outcome.action]
        row_result.diff = [
            ", ".join(outcome.changes),
            *["" if v is None else v for v in outcome.values],
        ]
        result.append_row_result(row_result)
        result.increment_row_result_total(row_result)
    return result
