"""XLIFF 1.2 for translators: what Trados, memoQ, Phrase and Weblate read and write back.

Export: one <trans-unit> per text whose German source is not empty, with
- id `partnerships.partner/12/description` (model, pk, field): how the import finds it again;
- <source> the German text, <target> the translation there is (state needs-review-translation
  when it is outdated), none when it is missing;
- <note> which object and field it is; `maxwidth` with `size-unit="char"`, the field's length
  limit (a text field has none); `datatype="html"` for rich texts;
- `extradata="sha256:…"`, the fingerprint of the German text at export, so that the import
  sees a source that changed since; a tool that drops it leaves the <source> it translated,
  whose fingerprint serves instead.

Import reads the whole file and checks every unit before it writes anything: a refused file
writes nothing, and its report lists every unit that is refused and why. Empty targets are left
out (a text not translated keeps what it has). A target equal to the text there is confirms that
it translates the current German text. The written texts are one change set of the transfer app
(like a file import: its History revision, its page under Imports, its Undo).
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from lxml import etree
from translate.storage import xliff

from ..models import ContentChange
from ..sanitize import clean_rich_text
from ..transfer.changes import (
    ChangeRecorder,
    ImportSource,
    partner_of,
    write_other_versions,
    write_versions,
)
from ..transfer.models import ObjectChange
from . import stamps
from .fields import (
    field_by_key,
    language_name,
    source_language,
    target_languages,
    translated_models,
)
from .status import LABEL_RELATED, OUTDATED, STATES, annotated, needing_work_q, states_of

XLIFF_NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
FINGERPRINT_PREFIX = "sha256:"
MAX_BYTES = 50 * 1024 * 1024


class XliffUnit(xliff.xliffunit):
    namespace = XLIFF_NAMESPACE


class XliffFile(xliff.xlifffile):
    """translate-toolkit's XLIFF, in version 1.2 (it writes 1.1 by default)."""

    UnitClass = XliffUnit

    XMLskeleton = f"""<?xml version="1.0" ?>
<xliff version='1.2' xmlns='{XLIFF_NAMESPACE}'>
<file original='partnerships' source-language='de' datatype='plaintext'>
<body>
</body>
</file>
</xliff>"""
    namespace = XLIFF_NAMESPACE


def unit_id(obj, translated):
    return f"{obj._meta.label_lower}/{obj.pk}/{translated.name}"


def describe(obj, translated):
    """The note for the translator: which object and which field, in the exporter's language."""
    return _("%(model)s “%(object)s” (no. %(pk)s): %(field)s") % {
        "model": capfirst(obj._meta.verbose_name),
        "object": obj,
        "pk": obj.pk,
        "field": translated.label,
    }


def export(language, only=None):
    """The XLIFF file (bytes) of every text in `language`, or of those in the states `only`
    (a subset of {"missing", "outdated"}). Two queries per model (plus a chunk's)."""
    if language not in target_languages():
        raise ValueError(language)
    states = tuple(state for state in STATES if state in (only or STATES))
    store = XliffFile(sourcelanguage=source_language(), targetlanguage=language)
    for model, fields in translated_models().items():
        queryset = model._base_manager.order_by("pk")
        if only:
            queryset = queryset.filter(needing_work_q(model, language, states))
        related = LABEL_RELATED.get(model._meta.label_lower)
        if related:
            queryset = queryset.select_related(*related)
        # Every text's state: outdated ones say so to the translator, and `only` picks by it.
        for obj in annotated(queryset, model, language, STATES).iterator(chunk_size=2000):
            obj_states = {t.name: state for t, state in states_of(obj, language, STATES)}
            for translated in fields:
                source = getattr(obj, translated.source_column)
                if stamps.is_empty(source):
                    continue
                state = obj_states.get(translated.name)
                if only and state not in states:
                    continue
                add_unit(store, obj, translated, language, source, state)
    return bytes(store)


def add_unit(store, obj, translated, language, source, state):
    unit = store.UnitClass(source)
    store.addunit(unit)
    unit.setid(unit_id(obj, translated))
    element = unit.xmlelement
    target = getattr(obj, translated.column(language))
    if not stamps.is_empty(target):
        unit.target = target
        target_element = element.find(f"{{{XLIFF_NAMESPACE}}}target")
        target_element.set(
            "state", "needs-review-translation" if state == OUTDATED else "translated"
        )
        if state == OUTDATED:
            element.attrib.pop("approved", None)
    unit.addnote(describe(obj, translated), origin="developer")
    element.set("datatype", "html" if translated.rich_text else "plaintext")
    max_length = translated.max_length(language)
    if max_length:
        element.set("maxwidth", str(max_length))
        element.set("size-unit", "char")
    element.set("extradata", FINGERPRINT_PREFIX + stamps.fingerprint(source))


# --- import ---


class XliffRefused(Exception):
    """The file as a whole cannot be read: nothing of it is written."""


@dataclass
class TextChange:
    translated_field: object
    obj: object
    language: str
    old: str
    new: str
    unit_id: str

    @property
    def column(self):
        return self.translated_field.column(self.language)

    @property
    def label(self):
        return describe(self.obj, self.translated_field)


@dataclass
class UnitRefusal:
    unit_id: str
    reason: str
    source: str = ""


@dataclass
class TranslationImport:
    """What a file would write: the changes (old → new), the unchanged targets it confirms,
    and every unit it refuses. Written only when nothing is refused."""

    language: str
    units: int = 0
    changes: list = field(default_factory=list)  # TextChange
    confirmed: list = field(default_factory=list)  # TextChange with old == new
    refusals: list = field(default_factory=list)  # UnitRefusal
    empty: int = 0  # units without a target

    @property
    def language_name(self):
        return language_name(self.language)

    @property
    def refused(self):
        return bool(self.refusals)

    @property
    def source_changed(self):
        return [r for r in self.refusals if r.source]


def read_file(data, language=None):
    """Parse `data` as this site's XLIFF in `language` (any target language if None) and check
    every unit against the content as it is now. Raises XliffRefused for a file that is not
    such an XLIFF at all; a TranslationImport otherwise (with `refusals` for bad units)."""
    store = parse(data)
    file_language = file_target_language(store)
    if language and file_language != language:
        raise XliffRefused(
            _("This file is a translation into %(file)s, not %(wanted)s.")
            % {"file": language_label(file_language), "wanted": language_label(language)}
        )
    plan = TranslationImport(file_language)
    units = [unit for unit in store.units if not unit.isheader()]
    seen = set()
    by_key = {}
    for unit in units:
        identifier = unit.xmlelement.get("id", "")
        if identifier in seen:
            plan.refusals.append(UnitRefusal(identifier, _("appears twice in the file")))
            continue
        seen.add(identifier)
        parsed = parse_unit_id(identifier)
        if parsed is None:
            plan.refusals.append(UnitRefusal(identifier, _("is not a text of this site")))
            continue
        by_key.setdefault(parsed[0].model, []).append((unit, *parsed))
    plan.units = len(units)
    for model, entries in by_key.items():
        related = LABEL_RELATED.get(model._meta.label_lower)
        queryset = model._base_manager.all()
        if related:
            queryset = queryset.select_related(*related)
        objects = queryset.in_bulk({pk for _unit, _translated, pk in entries})
        for unit, translated, pk in entries:
            check_unit(plan, unit, translated, objects.get(pk), file_language)
    return plan


def parse(data):
    """translate-toolkit's store of `data`, or XliffRefused saying what the file is not."""
    try:
        root = etree.fromstring(
            data, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        )
    except etree.XMLSyntaxError as error:
        raise XliffRefused(
            _("The file is not well-formed XML (%(error)s), so it cannot be read.")
            % {"error": error}
        ) from error
    qualified = etree.QName(root)
    if qualified.localname != "xliff" or not (qualified.namespace or "").startswith(
        "urn:oasis:names:tc:xliff:document:"
    ):
        raise XliffRefused(_("The file is XML, but not XLIFF."))
    if root.get("version", "") not in ("1.1", "1.2"):
        raise XliffRefused(
            _("The file is XLIFF %(version)s; XLIFF 1.2 can be imported here.")
            % {"version": root.get("version", "?")}
        )
    try:
        return XliffFile.parsestring(data)
    except (ValueError, AssertionError, StopIteration, etree.XMLSyntaxError) as error:
        raise XliffRefused(_("The file is not XLIFF that can be read here.")) from error


def file_target_language(store):
    """The one target language of the file's <file> elements, as configured here."""
    root = store.document.getroot()
    files = list(root.iterchildren(f"{{{store.namespace}}}file"))
    if not files:
        raise XliffRefused(_("The file holds no texts (no <file> element)."))
    sources = {f.get("source-language", "") for f in files}
    targets = {f.get("target-language", "") for f in files}
    if len(targets) != 1 or not next(iter(targets)):
        raise XliffRefused(_("The file must name one target language."))
    if {configured_language(code) for code in sources} != {source_language()}:
        raise XliffRefused(
            _("The file's texts must be translated from %(source)s.")
            % {"source": language_label(source_language())}
        )
    code = configured_language(next(iter(targets)))
    if code not in target_languages():
        raise XliffRefused(
            _("The file is a translation into “%(code)s”, which this site does not offer.")
            % {"code": next(iter(targets))}
        )
    return code


def configured_language(code):
    """ "he-IL" (as a tool may write) → "he" where only "he" is configured."""
    code = (code or "").strip().replace("_", "-").lower()
    configured = {c.lower(): c for c in [source_language(), *target_languages()]}
    return configured.get(code) or configured.get(code.split("-")[0], code)


def language_label(code):
    try:
        return language_name(code)
    except KeyError:
        return code


def parse_unit_id(identifier):
    """(TranslatedField, pk) for "partnerships.partner/12/description", or None."""
    parts = identifier.split("/")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    translated = field_by_key(parts[0], parts[2])
    if translated is None:
        return None
    return translated, int(parts[1])


def unit_fingerprint(unit):
    extradata = unit.xmlelement.get("extradata", "")
    if extradata.startswith(FINGERPRINT_PREFIX):
        return extradata[len(FINGERPRINT_PREFIX) :]
    return stamps.fingerprint(unit.source)


def check_unit(plan, unit, translated, obj, language):
    identifier = unit.xmlelement.get("id", "")
    if obj is None:
        plan.refusals.append(UnitRefusal(identifier, _("its object no longer exists")))
        return
    target = unit.target or ""
    if stamps.is_empty(target.strip()):
        plan.empty += 1
        return
    source = getattr(obj, translated.source_column) or ""
    if unit_fingerprint(unit) != stamps.fingerprint(source):
        plan.refusals.append(
            UnitRefusal(
                identifier,
                _("%(text)s: the German text changed since the export")
                % {"text": describe(obj, translated)},
                source=source,
            )
        )
        return
    if translated.rich_text:
        target = clean_rich_text(target)
    max_length = translated.max_length(language)
    if max_length and len(target) > max_length:
        plan.refusals.append(
            UnitRefusal(
                identifier,
                _("%(text)s: the translation has %(length)s characters, the field holds %(max)s")
                % {"text": describe(obj, translated), "length": len(target), "max": max_length},
            )
        )
        return
    old = getattr(obj, translated.column(language)) or ""
    change = TextChange(translated, obj, language, old, target, identifier)
    (plan.confirmed if old == target else plan.changes).append(change)


def write(plan, source, user=None):
    """Write a checked plan as one change set (and its revision); return the change set, or
    None when the file changes no text (its confirmations are stamped all the same)."""
    if plan.refused:
        raise XliffRefused(_("The file has refused units; nothing was written."))
    with transaction.atomic():
        by_object = {}
        for change in [*plan.changes, *plan.confirmed]:
            entry = by_object.setdefault((type(change.obj), change.obj.pk), (change.obj, []))
            entry[1].append(change)
        change_set = None
        if plan.changes:
            recorder = ChangeRecorder(source, user)
            recorder.begin()
            change_set = recorder.change_set
            change_set.revision.comment = _(
                "Translations into %(language)s from %(file)s by %(user)s"
            ) % {
                "language": plan.language_name,
                "file": source.name,
                "user": change_set.user_name,
            }
            change_set.revision.save(update_fields=["comment"])
        records, partners, others = [], set(), []
        refreshed_by_model = {}
        for (model, pk), (obj, changes) in by_object.items():
            changed = [c for c in changes if c.old != c.new]
            refreshed_by_model.setdefault(model, ([], {}))
            refreshed_by_model[model][0].append(obj)
            refreshed_by_model[model][1][pk] = {c.column for c in changes}
            if not changed:
                continue
            for change in changed:
                setattr(obj, change.column, change.new)
            columns = [c.column for c in changed]
            if any(f.name == "updated" for f in model._meta.concrete_fields):
                columns.append("updated")
            obj.save(update_fields=columns)
            records.append(
                ObjectChange(
                    change_set=change_set,
                    content_type=ContentType.objects.get_for_model(model),
                    object_id=pk,
                    action=ObjectChange.Action.UPDATED,
                    label=str(obj)[:300],
                    fields={c.column: [c.old, c.new] for c in changed},
                )
            )
            partner = partner_of(model, obj)
            if partner is None:
                others.append(obj)
            else:
                partners.add(partner)
        # The file's targets translate the German text it carried (checked above): current now.
        for model, (objects, refreshed) in refreshed_by_model.items():
            stamps.record(model, objects, refreshed)
        if change_set is None:
            return None
        ObjectChange.objects.bulk_create(records)
        write_versions(change_set.revision, partners)
        write_other_versions(change_set.revision, others)
        change_set.counts = {
            "translations": {
                "language": plan.language,
                "texts": len(plan.changes),
                "objects": len(records),
            }
        }
        change_set.finished = timezone.now()
        change_set.save(update_fields=["counts", "finished"])
        ContentChange.touch()
    return change_set


def import_file(data, name, user=None, language=None, dry_run=False):
    """Read, check and (unless `dry_run` or refused) write. Returns (plan, change set)."""
    plan = read_file(data, language)
    if plan.refused or dry_run:
        return plan, None
    source = ImportSource.from_bytes(name, data)
    return plan, write(plan, source, user)
