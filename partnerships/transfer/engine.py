"""Import a partnerships file: all or nothing, chunked, idempotent, recorded.

The steps, each a method of `Engine` below, in the order a chunk of 1,000 rows goes through them:

    read      `data_rows`: the file's rows (from `reading.py`), empty ones skipped
    parse     `parse_row`: each cell through its column (`columns.py`) into a ParsedRow
    resolve   `PartnerIndex` (`matching.py`): the partner each row names, all keys agreeing
    plan      `plan_partner`, `plan_relationship`: which fields change, old and new
    write     `write_partners`, `write_relationships`: bulk_create and bulk_update
    record    `ChangeRecorder` (`changes.py`): the change set and the version in History

Every chunk costs a fixed number of queries, so memory stays flat and 100,000 rows take seconds.
Everything happens in one transaction, and every chunk is written (in a savepoint) even in a dry
run or after an error: later rows then find the partners that earlier rows made in the database,
by their keys, as a real import would, and each error is a row's own. At the end the transaction
is rolled back on a dry run, on any error, or when the planned changes differ from the preview
the editor confirmed (`expected_digest`). A field is written only when its value differs: a
second import of the same file writes nothing, not even `updated`.
"""

import hashlib
from itertools import islice

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, reset_queries, transaction
from django.db.models import CharField, TextField
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from reversion.models import Revision, Version

from ..models import ContentChange, Partner, Relationship
from ..translating import stamps
from .changes import ChangeRecorder
from .columns import COLUMN_OF, LANGUAGE_CODES, HeaderProblem, Headers, build_columns, header_key
from .matching import PartnerIndex, describe
from .models import ChangeSet, ObjectChange
from .reading import FileProblem, Table, count_message
from .rows import FieldChange, ImportReport, ParsedRow, RowOutcome, json_value

CHUNK_SIZE = 1000
REQUIRED_NAME = "name_de"
# An empty cell in these columns keeps what is there (a new row gets the default): an empty
# cell must never blank a partner's identity or its German name, which the others fall back to.
KEEP_WHEN_EMPTY = {
    "partner": {"slug", "wikidata_id", REQUIRED_NAME, "country", "kind", "is_published"},
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
IDENTIFYING = {"slug", "wikidata_id", *(f"name_{code}" for code in LANGUAGE_CODES)}


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
    source=None,
    user=None,
    expected_digest=None,
    mapping=None,
):
    """Import every row of `table` and report; write nothing unless every row is ok.

    `keep_outcomes` keeps every row's outcome in the report (True) or the first N (a number).
    `progress(rows)` is called after each chunk, and while the import's History is written.
    A real import (not `dry_run`) is recorded as a change set of `source` (an ImportSource: the
    file's name, size and checksum) by `user`, and as one revision in each object's History.
    With `expected_digest`, it is written only if it would change exactly what that preview
    showed; otherwise nothing is written and the report is `stale`. `mapping` names the
    columns of headers the file has in its own words (`Engine.read_headers`).
    """
    report = ImportReport(dry_run=dry_run, description=table.description, notes=list(table.notes))
    report.outcomes = [] if keep_outcomes else None
    engine = Engine(report, max_rows)
    if keep_outcomes is not True:
        engine.max_outcomes = keep_outcomes or 0
    if not engine.read_headers(table.headers, mapping):
        return report
    try:
        with transaction.atomic():
            if not dry_run:
                engine.recorder = ChangeRecorder(source, user, heartbeat=progress)
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
            report.digest = engine.digest.hexdigest()
            if expected_digest is not None and report.digest != expected_digest:
                report.stale = True
            changed = any(report.partners[a] or report.relationships[a] for a in ("new", "update"))
            if dry_run or not report.ok:
                transaction.set_rollback(True)
            elif changed:
                report.change_set = engine.recorder.finish(report)
                ContentChange.touch()
                report.written = True
            else:
                transaction.set_rollback(True)  # nothing changed: no empty change set either
    except FileProblem as problem:
        report.add_error(problem.line or 0, "", "", problem.message)
    return report


# After an import of this many rows, PostgreSQL's statistics of the tables it wrote are renewed.
ANALYZE_AFTER_ROWS = 1000
WRITTEN_MODELS = [Partner, Relationship, Revision, Version, ChangeSet, ObjectChange]


def refresh_statistics(rows):
    """ANALYZE the tables a large import wrote, once it is committed. The planner plans every
    query by these statistics; autovacuum renews them only after a while (or, where it is
    turned off, never), and until then a table that grew from 50 to 50,000 rows is planned as
    the small one it was: the next pages' queries took seconds instead of milliseconds."""
    if rows < ANALYZE_AFTER_ROWS or connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        tables = (connection.ops.quote_name(model._meta.db_table) for model in WRITTEN_MODELS)
        cursor.execute("ANALYZE " + ", ".join(tables))
    return True


class Engine:
    def __init__(self, report, max_rows):
        self.report = report
        self.max_rows = max_rows
        self.columns = build_columns()
        self.columns_by_name = {column.column_name: column for column in self.columns}
        self.recorder = None
        self.max_outcomes = None
        self.digest = hashlib.sha256()
        self.seen_partners = {}  # pk -> "new" / "update" / "skip", to count each partner once
        self.seen_relationships = {}  # (partner pk, kind pk) -> line, to refuse duplicates

    # --- read ---
    def read_headers(self, raw_headers, mapping=None):
        """Find each header's column (`columns.Headers`: by code or label). `mapping` gives some
        headers their column by hand, {file's header: column code or label}, or None (or "")
        to ignore that column; it must name headers the file has."""
        report = self.report
        headers = Headers(self.columns)
        mapped, problems = self.read_mapping(headers, mapping or {}, raw_headers)
        for header, message in problems:
            report.add_error(1, header, "", message)
        self.width = len(raw_headers)
        self.positions = []  # (index, column)
        self.blank_positions = []
        seen = {}  # column name -> (index, raw header)
        renamed, ignored = [], []
        for index, raw in enumerate(raw_headers):
            raw = ("" if raw is None else str(raw)).strip().lstrip("\ufeff").strip()
            key = header_key(raw)
            if not key:
                self.blank_positions.append(index)
                continue
            try:
                if key in mapped:
                    column = mapped[key]
                    if column is None:
                        ignored.append(raw)
                        continue
                else:
                    column = headers.resolve(raw)
            except HeaderProblem as problem:
                report.add_error(1, raw, raw, problem.message)
                continue
            name = column.column_name
            if name in seen:
                other_index, other = seen[name]
                if header_key(other) == key:
                    message = _("This column appears twice (columns %(a)s and %(b)s).")
                else:
                    message = _(
                        "This column and column %(a)s (“%(other)s”) are both %(column)s; "
                        "a file gives each column once."
                    )
                report.add_error(
                    1,
                    raw,
                    raw,
                    message
                    % {"a": other_index + 1, "b": index + 1, "other": other, "column": name},
                )
                continue
            seen[name] = (index, raw)
            if key != header_key(name):
                renamed.append(f"{raw} → {name}")
            self.positions.append((index, column))
        report.headers = [column.column_name for _index, column in self.positions]
        if renamed:
            report.notes.append(
                _("Columns read by their names: %(c)s.") % {"c": ", ".join(renamed)}
            )
        if ignored:
            report.notes.append(_("Columns ignored: %(c)s.") % {"c": ", ".join(ignored)})
        if not report.error_count and not seen.keys() & IDENTIFYING:
            report.add_error(
                1,
                "",
                "",
                _("The file needs a name column (%(columns)s), or slug or wikidata_id.")
                % {"columns": ", ".join(f"name_{code}" for code in LANGUAGE_CODES)},
            )
        return not report.error_count

    @staticmethod
    def read_mapping(headers, mapping, raw_headers):
        """The mapping by header key: a column, or None to ignore; and its problems."""
        in_file = {header_key(raw) for raw in raw_headers}
        mapped, problems = {}, []
        for header, target in mapping.items():
            key = header_key(header)
            if key in mapped:
                problems.append((header, _("The mapping names this column twice.")))
                continue
            if not key or key not in in_file:
                problems.append(
                    (
                        header,
                        _("The mapping names a column the file does not have; it has: %(c)s.")
                        % {"c": ", ".join(str(raw) for raw in raw_headers if header_key(raw))},
                    )
                )
                continue
            target = (target or "").strip()
            try:
                mapped[key] = headers.resolve(target) if target else None
            except HeaderProblem as problem:
                problems.append(
                    (
                        header,
                        _("It is mapped to “%(target)s”: %(problem)s")
                        % {"target": target, "problem": problem.message},
                    )
                )
                mapped[key] = None  # reported; not reported again as an unknown header
        return mapped, problems

    def data_rows(self, rows):
        """Skip empty rows (Excel leaves some at the end); refuse values under a blank header."""
        limit = self.max_rows
        for line, values in rows:
            if not any(v not in (None, "") and str(v).strip() for v in values):
                continue
            for index in [*self.blank_positions, *range(self.width, len(values))]:
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
                    if index >= self.width:
                        break
            self.report.rows_read += 1
            if limit and self.report.rows_read > limit:
                self.report.over_limit = True
                raise FileProblem(count_message(limit))
            yield line, values

    # --- one chunk through every step ---
    def import_chunk(self, chunk):
        rows = [self.parse_row(line, values) for line, values in chunk]
        index = PartnerIndex.load([row for row in rows if row.ok])
        planned = []  # (row, partner, partner's changes)
        new_partners, changed_partners = [], {}
        for row in rows:
            if not row.ok:
                continue
            match = index.match(row.partner)
            if match.error:
                self.report.add_error(row.line, match.column, match.value, match.error)
                continue
            partner, changes = self.plan_partner(row, match.partner, index)
            if match.partner is None:
                new_partners.append(partner)  # made by this row; later rows find it in `index`
            elif not partner._state.adding and changes:
                changed_partners[partner.pk] = partner
            planned.append((row, partner, changes))
        self.assign_slugs(new_partners)
        if not self.write_partners(planned, new_partners, changed_partners):
            return
        existing = self.existing_relationships(planned)
        new_relationships, changed_relationships = [], {}
        outcomes = []
        for row, partner, partner_changes in planned:
            relationship, changes = self.plan_relationship(row, partner, existing)
            if relationship is False:
                continue  # an error, reported
            if relationship is not None:
                if relationship._state.adding:
                    new_relationships.append(relationship)
                elif changes:
                    changed_relationships[relationship.pk] = relationship
            outcomes.append(self.outcome(row, partner, partner_changes, relationship, changes))
        if not self.write_relationships(rows, new_relationships, changed_relationships):
            return
        if self.recorder and not self.report.error_count:
            self.recorder.record_chunk(outcomes)

    # --- parse ---
    def parse_row(self, line, values):
        report = self.report
        row = ParsedRow(line=line, partner={}, relationship={})
        for index, column in self.positions:
            raw = values[index] if index < len(values) else None
            try:
                value = column.widget.clean(raw)
            except ValidationError as error:
                report.add_error(line, column.column_name, raw, validation_message(error))
                row.ok = False
                continue
            target = row.partner if column.target == "partner" else row.relationship
            if value in ("", None) and column.attribute in KEEP_WHEN_EMPTY[column.target]:
                continue
            if value == "" and column.attribute in NULLABLE_TEXT[column.target]:
                value = None  # an untranslated text is NULL, as the admin stores it
            target[column.attribute] = value
        if not row.ok:
            return row
        partner = row.partner
        identified = partner.get("wikidata_id") or partner.get("slug")
        if not identified and not any(partner.get(f"name_{c}") for c in LANGUAGE_CODES):
            report.add_error(line, "name_*", "", _("Every row needs a name (name_de, name_en, …)."))
            row.ok = False
        elif not identified and "country" not in partner:
            # Finding or creating a partner by its name needs the country; by id it does not.
            report.add_error(line, "country", "", _("A country is required."))
            row.ok = False
        since, until = row.relationship.get("since"), row.relationship.get("until")
        if row.ok and since and until and until < since[:4]:
            report.add_error(line, "until", until, _("“Until” cannot be before “since”."))
            row.ok = False
        return row

    # --- plan ---
    def plan_partner(self, row, partner, index):
        """The row's partner with the row's values set; the fields that change, old and new."""
        values = row.partner
        if partner is None:
            partner = self.new_partner(values)
            index.add(partner)
            changes = [
                FieldChange("partner", a, COLUMN_OF[("partner", a)], None, json_value(v), True)
                for a, v in values.items()
                if v not in (None, "")
            ]
            return partner, changes
        names_before = None
        changes = []
        for attribute, value in values.items():
            current = getattr(partner, attribute)
            if json_value(current) == json_value(value):
                continue
            if names_before is None:
                names_before = index.name_keys(partner)  # before the first change
            changes.append(
                FieldChange(
                    "partner",
                    attribute,
                    COLUMN_OF[("partner", attribute)],
                    json_value(current),
                    json_value(value),
                    partner._state.adding,
                )
            )
            setattr(partner, attribute, value)
        if changes:
            if not partner._state.adding:
                partner.updated = timezone.now()
            index.forget_names(partner, names_before)
            index.add(partner)
        return partner, changes

    def new_partner(self, values):
        data = dict(values)
        if not data.get(REQUIRED_NAME):
            data[REQUIRED_NAME] = next(
                data[f"name_{c}"] for c in LANGUAGE_CODES if data.get(f"name_{c}")
            )
        data.setdefault("kind", "city")
        return Partner(**data)

    def assign_slugs(self, partners):
        """Give new partners a unique ASCII slug from their name (English, else German)."""
        wanted = [p for p in partners if not p.slug]
        bases = {}
        for partner in wanted:
            name = partner.name_en or partner.name_de or ""
            base = slugify(name)[:90].strip("-") or "partner"
            bases.setdefault(base, []).append(partner)
        given = {p.slug for p in partners if p.slug}
        taken = set()
        if bases or given:
            taken = set(
                Partner.objects.filter(slug__in=set(bases) | given).values_list("slug", flat=True)
            )
        # Only a base that is taken, or wanted twice, needs to know its numbered siblings.
        collided = [base for base, group in bases.items() if base in taken or len(group) > 1]
        for base in collided:
            taken |= set(
                Partner.objects.filter(slug__startswith=f"{base}-").values_list("slug", flat=True)
            )
        taken |= given
        for base, group in bases.items():
            number = 1
            for partner in group:
                slug = base
                while slug in taken:
                    number += 1
                    slug = f"{base}-{number}"
                taken.add(slug)
                partner.slug = slug

    def existing_relationships(self, planned):
        """The relationships of the chunk's partners, by (partner, kind), in one query."""
        pks = {partner.pk for _row, partner, _changes in planned}
        if not pks:
            return {}
        return {
            (relationship.partner_id, relationship.kind_id): relationship
            for relationship in Relationship.objects.filter(partner_id__in=pks)
        }

    def plan_relationship(self, row, partner, existing):
        """The row's relationship (None: the row has none; False: an error) and its changes."""
        values = dict(row.relationship)
        kind = values.pop("kind", None)
        if not kind:
            return None, []
        key = (partner.pk, kind)
        if key in self.seen_relationships:
            self.report.add_error(
                row.line,
                "relationship",
                self.kind_code(kind),
                _("Line %(line)s already has this partner (%(partner)s) and kind of relationship.")
                % {"line": self.seen_relationships[key], "partner": describe(partner)},
            )
            return False, []
        self.seen_relationships[key] = row.line
        relationship = existing.get(key)
        if relationship is None:
            values.setdefault("status", Relationship.Status.ACTIVE)
            relationship = Relationship(partner=partner, kind_id=kind, **values)
            changes = [
                FieldChange(
                    "relationship", "kind", "relationship", None, self.kind_code(kind), True
                ),
                *[
                    FieldChange(
                        "relationship",
                        a,
                        COLUMN_OF[("relationship", a)],
                        None,
                        json_value(v),
                        True,
                    )
                    for a, v in values.items()
                    if v not in (None, "")
                ],
            ]
            return relationship, changes
        changes = []
        for attribute, value in values.items():
            current = getattr(relationship, attribute)
            if json_value(current) != json_value(value):
                changes.append(
                    FieldChange(
                        "relationship",
                        attribute,
                        COLUMN_OF[("relationship", attribute)],
                        json_value(current),
                        json_value(value),
                    )
                )
                setattr(relationship, attribute, value)
        since, until = relationship.since, relationship.until
        if since and until and until < since[:4]:
            self.report.add_error(row.line, "until", until, _("“Until” cannot be before “since”."))
            return False, []
        if changes:
            relationship.updated = timezone.now()
            relationship._import_fields = [change.attribute for change in changes]
        return relationship, changes

    def kind_code(self, kind_pk):
        widget = self.columns_by_name["relationship"].widget
        kind = (widget.kinds or {}).get(kind_pk)
        return kind.code if kind else kind_pk

    def outcome(self, row, partner, partner_changes, relationship, relationship_changes):
        """Count the row once per partner and relationship; fold it into the digest."""
        report = self.report
        created = bool(partner_changes) and partner_changes[0].created
        partner_action = "new" if created else ("update" if partner_changes else "skip")
        previous = self.seen_partners.get(partner.pk)
        if previous is None:
            self.seen_partners[partner.pk] = partner_action
            report.partners[partner_action] += 1
        elif previous == "skip" and partner_action == "update":
            self.seen_partners[partner.pk] = "update"
            report.partners["skip"] -= 1
            report.partners["update"] += 1
        action = partner_action
        if relationship is not None:
            if relationship_changes and relationship_changes[0].created:
                relationship_action = "new"
            else:
                relationship_action = "update" if relationship_changes else "skip"
            report.relationships[relationship_action] += 1
            if relationship_action == "new" or (
                relationship_action == "update" and action == "skip"
            ):
                action = relationship_action
        outcome = RowOutcome(
            line=row.line,
            action=action,
            partner=describe(partner),
            changes=[*partner_changes, *relationship_changes],
            partner_object=partner,
            relationship_object=relationship,
        )
        if relationship is not None:
            outcome.relationship_label = (
                f"{outcome.partner} – {self.kind_code(relationship.kind_id)}"
            )
        # New objects' keys differ from one run to the next; what the row changes does not.
        self.digest.update(
            repr(
                (
                    row.line,
                    action,
                    partner.slug,
                    [(c.target, c.attribute, c.old, c.new) for c in outcome.changes],
                )
            ).encode()
        )
        report.add_losses(outcome)
        if report.outcomes is not None:
            if self.max_outcomes is None or len(report.outcomes) < self.max_outcomes:
                report.outcomes.append(outcome)
            else:
                report.outcomes_left_out += 1
        return outcome

    # --- write ---
    def write_partners(self, planned, new_partners, changed_partners):
        try:
            with transaction.atomic():
                Partner.objects.bulk_create(new_partners)
                if changed_partners:
                    fields = {
                        change.attribute
                        for _row, partner, changes in planned
                        if partner.pk in changed_partners
                        for change in changes
                    }
                    Partner.objects.bulk_update(
                        list(changed_partners.values()), sorted(fields | {"updated"})
                    )
                # bulk_create and bulk_update send no signals: the translations' stamps here.
                stamps.record(
                    Partner,
                    [*new_partners, *changed_partners.values()],
                    {
                        partner.pk: {change.attribute for change in changes}
                        for _row, partner, changes in planned
                    },
                )
        except DatabaseError as error:
            self.refused([row for row, _partner, _changes in planned], error)
            return False
        return True

    def write_relationships(self, rows, new_relationships, changed_relationships):
        try:
            with transaction.atomic():
                Relationship.objects.bulk_create(new_relationships)
                if changed_relationships:
                    fields = {
                        field
                        for relationship in changed_relationships.values()
                        for field in relationship._import_fields
                    }
                    Relationship.objects.bulk_update(
                        list(changed_relationships.values()), sorted(fields | {"updated"})
                    )
                stamps.record(
                    Relationship,
                    [*new_relationships, *changed_relationships.values()],
                    {
                        relationship.pk: set(getattr(relationship, "_import_fields", ()))
                        for relationship in [*new_relationships, *changed_relationships.values()]
                    },
                )
        except DatabaseError as error:
            self.refused(rows, error)
            return False
        return True

    def refused(self, rows, error):
        """A chunk the database would not write: one error, on the chunk's first line."""
        line = rows[0].line if rows else 0
        self.report.add_error(
            line, "", "", _("The database refused these rows: %(e)s") % {"e": error}
        )
