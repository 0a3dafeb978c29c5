"""A file in an office's own headers (`Stadt;Staat;Beziehung;seit`): which headers the import
knows, the editor's mapping of the others to columns, and the mappings it remembers.

The mapping is what `import_table(mapping=…)` takes, {file's header: column code, or None to
ignore that column}; it names only the headers the import does not know by itself. The admin
asks for it in a mapping step (`ColumnMappingForm`: a drop-down per unknown header, with the
first values under it) and remembers it for the next file with the same headers (`remember`,
`recall`); the command takes it as `--map`, or saved under a name (`--mapping`, `by_name`).
Whichever way it comes, the engine checks it again (`Engine.read_mapping`), so a mapping that
names a column the file does not have or a field that does not exist is an error there too.
"""

import hashlib
import io
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _

from .changes import user_name
from .columns import LANGUAGE_CODES, HeaderProblem, Headers, build_columns, cell_text, header_key
from .engine import IDENTIFYING
from .models import SavedMapping
from .reading import FileProblem, open_table
from .rows import shorten

IGNORE = "-"  # the drop-down's "ignore this column"; no column is named "-"
SAMPLE_COUNT = 5
# Values are looked for in this many rows at most: enough for a sparse column to show some.
SAMPLE_ROWS = 200


def clean_header(raw):
    """A header as the engine reads it: no surrounding spaces, no byte-order mark."""
    return ("" if raw is None else str(raw)).strip().lstrip("\ufeff").strip()


@dataclass
class HeaderSorting:
    """The file's headers by position (0-based): those the import knows, with their column's
    code, and those it does not (each once, however often the file repeats it)."""

    known: list  # [(position, header, column code)]
    unknown: list  # [(position, header)]


def sort_headers(raw_headers, headers=None):
    """Which headers `Headers` resolves (by code or label) and which need a mapping. A label
    that could be several columns (`Name`: in which language?) needs one too."""
    headers = headers or Headers(build_columns())
    known, unknown, seen = [], [], set()
    for position, raw in enumerate(raw_headers):
        header = clean_header(raw)
        key = header_key(header)
        if not key:
            continue  # a blank header: the engine refuses values under it
        try:
            known.append((position, header, headers.resolve(header).column_name))
        except HeaderProblem:
            if key not in seen:
                seen.add(key)
                unknown.append((position, header))
    return HeaderSorting(known, unknown)


def first_values(rows, width, count=SAMPLE_COUNT, scan=SAMPLE_ROWS):
    """Per column, the first `count` non-empty values of the first `scan` rows, as text.

    It reads the rows it is given: give it a table opened for the purpose (`FileColumns`),
    not the one an import is about to read."""
    values = [[] for _position in range(width)]
    for number, (_line, record) in enumerate(rows):
        if number >= scan:
            break
        for position, value in enumerate(record[:width]):
            text = cell_text(value)
            if text and len(values[position]) < count:
                values[position].append(shorten(text, 60))
        if all(len(column) >= count for column in values):
            break
    return values


@dataclass
class FileColumns:
    """An upload's headers and the first values under each, for the mapping step."""

    headers: list
    samples: list

    @classmethod
    def read(cls, data, file_name):
        """From the upload's bytes; None when the file cannot be read (the preview says why)."""
        try:
            table = open_table(io.BytesIO(data), filename=file_name)
            headers = [clean_header(raw) for raw in table.headers]
            samples = first_values(table.rows, len(headers))
        except FileProblem:
            return None
        table.rows.close()  # the rest is not read: let the reader close its workbook now
        return cls(headers, samples)

    @property
    def unknown(self):
        return sort_headers(self.headers).unknown


def columns_to_map(report, data, file_name):
    """The upload's columns when its preview stopped at headers the import does not know, for
    the mapping step; else None.

    Asked after the preview, not before, so that a file the import reads costs no second opening
    (an XLSX without its size noted is read whole to open it). The engine checks the headers
    before any row, so a preview that read no row and has errors may have stopped there.
    """
    if report.ok or report.rows_read:
        return None
    columns = FileColumns.read(data, file_name)
    return columns if columns is not None and columns.unknown else None


class ColumnMappingForm(forms.Form):
    """One drop-down per header the import does not know: any column, or ignore it.

    The fields are named by the header's position (`column_3`), never by its text: the headers
    come from the kept file, so a form cannot name a header the file does not have. `recalled`
    (a saved mapping) preselects what it gives.
    """

    FIELD_PREFIX = "column_"

    def __init__(self, headers, samples, recalled=None, **kwargs):
        super().__init__(**kwargs)
        columns = build_columns()
        self.lookup = Headers(columns)
        self.sorting = sort_headers(headers, self.lookup)
        self.samples = samples
        self.labels = {column.column_name: self.lookup.label(column) for column in columns}
        choices = [
            (IGNORE, _("ignore this column")),
            *[(code, f"{label} – {code}") for code, label in self.labels.items()],
        ]
        preselected = self.preselected(recalled or {})
        self.headers_of = {}  # field name -> the file's header
        for position, header in self.sorting.unknown:
            name = f"{self.FIELD_PREFIX}{position + 1}"
            self.headers_of[name] = header
            self.fields[name] = forms.ChoiceField(
                label=header,
                choices=choices,
                initial=preselected.get(header_key(header), IGNORE),
            )
        self.complete = all(header_key(h) in preselected for h in self.headers_of.values())

    def preselected(self, recalled):
        """{header key: choice} of a saved mapping; a target that is no column (any more) is
        left out, so the editor chooses again."""
        choices = {}
        for header, target in recalled.items():
            if not target:
                choices[header_key(header)] = IGNORE
                continue
            try:
                choices[header_key(header)] = self.lookup.resolve(target).column_name
            except HeaderProblem:
                pass
        return choices

    def recalled_data(self):
        """The form's data as if the editor sent the preselected choices unchanged."""
        return {name: self.fields[name].initial for name in self.headers_of}

    def columns(self):
        """(bound field, first values) per unknown header, for the template."""
        return [
            (self[name], self.samples[int(name.removeprefix(self.FIELD_PREFIX)) - 1])
            for name in self.headers_of
        ]

    def recognised(self):
        """The headers the import knows by itself, as "seit → since"."""
        return ", ".join(
            header if header_key(header) == header_key(code) else f"{header} → {code}"
            for _position, header, code in self.sorting.known
        )

    def clean(self):
        cleaned = super().clean()
        foreign = sorted(
            key
            for key in self.data
            if key.startswith(self.FIELD_PREFIX) and key not in self.headers_of
        )
        if foreign:
            raise forms.ValidationError(
                _("The form names columns the file does not have (%(fields)s). Choose again.")
                % {"fields": ", ".join(foreign)}
            )
        taken = {code: header for _position, header, code in self.sorting.known}
        for name, header in self.headers_of.items():
            code = cleaned.get(name)
            if not code or code == IGNORE:
                continue
            if code in taken:
                self.add_error(
                    name,
                    _(
                        "“%(header)s” and “%(other)s” would both be %(column)s. Choose another "
                        "column for one of them, or ignore it."
                    )
                    % {
                        "header": header,
                        "other": taken[code],
                        "column": f"{code} “{self.labels[code]}”",
                    },
                )
            else:
                taken[code] = header
        if not self.errors and not taken.keys() & IDENTIFYING:
            raise forms.ValidationError(
                _(
                    "No column would be a name, so no row could name its partner. Choose a name "
                    "column (%(columns)s), or slug or wikidata_id, for one of the file's columns."
                )
                % {"columns": ", ".join(f"name_{code}" for code in LANGUAGE_CODES)}
            )
        return cleaned

    def mapping(self):
        """What `import_table(mapping=…)` takes: {header: column code, or None to ignore}."""
        return {
            header: None if self.cleaned_data[name] == IGNORE else self.cleaned_data[name]
            for name, header in self.headers_of.items()
        }


def recalled_form(columns, recalled):
    """The mapping form with a saved mapping chosen, if that mapping gives every unknown header
    a column (or ignores it) and is valid; else None: the editor is asked."""
    form = ColumnMappingForm(columns.headers, columns.samples, recalled)
    if not form.complete:
        return None
    form = ColumnMappingForm(columns.headers, columns.samples, recalled, data=form.recalled_data())
    return form if form.is_valid() else None


def describe(mapping, headers=()):
    """A mapping as a line for the editor: "Stadt → name_de, Bemerkung (ignored)", in the order
    of `headers` (PostgreSQL's JSON keeps no order of its own)."""
    order = {header_key(header): position for position, header in enumerate(headers)}
    entries = sorted(mapping.items(), key=lambda item: order.get(header_key(item[0]), len(order)))
    return ", ".join(
        f"{header} → {code}" if code else _("%(header)s (ignored)") % {"header": header}
        for header, code in entries
    )


def combined(saved, extra):
    """A saved mapping with `--map`'s entries added; an entry for the same header replaces."""
    replaced = {header_key(header) for header in extra}
    return {
        **{h: code for h, code in saved.items() if header_key(h) not in replaced},
        **extra,
    }


# --- saved mappings ---


def signature(headers):
    """The fingerprint of a file's headers as the import reads them.

    Each header by its key (case, spaces, "_" and "-" ignored, as the engine compares them), as a
    set: a mapping names headers, never positions, so it means the same for a sheet whose columns
    were moved, and a header the import reads the same way gives the same signature. A column
    added or removed is another file, whose new header may need a mapping of its own.
    """
    keys = sorted({header_key(header) for header in headers} - {""})
    return hashlib.sha256("\x1f".join(keys).encode()).hexdigest()


def remember(headers, mapping, user, name=None):
    """Save the mapping for files with these headers: under `name`, replacing what that name
    held, or as the one remembered for these headers."""
    values = {
        "signature": signature(headers),
        "headers": [clean_header(h) for h in headers if header_key(h)],
        "mapping": mapping,
        "user_name": user_name(user),
    }
    if name:
        return SavedMapping.objects.update_or_create(name=name, defaults=values)[0]
    return SavedMapping.objects.update_or_create(
        signature=values["signature"], name=None, defaults=values
    )[0]


def recall(headers):
    """The mapping saved last for files with these headers (named or not), or None."""
    return SavedMapping.objects.filter(signature=signature(headers)).first()


def by_name(name):
    return SavedMapping.objects.filter(name=name).first()


def saved_names():
    return list(
        SavedMapping.objects.exclude(name=None).order_by("name").values_list("name", flat=True)
    )
