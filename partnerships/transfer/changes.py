"""The change set an import leaves, its version in History, and undo.

A confirmed import is a ChangeSet: the file (name, size, SHA-256), who and when, the counts, and
for each object it created or updated the value of each field before and after (ObjectChange).
It is also one django-reversion revision, commented with the file and the user, holding each
touched partner with all its relationships and their milestones (what reversion's `follow`
would store), so that the import shows in every touched partner's History.

Both are written in bulk, a few queries per chunk of rows: reversion's own `add_to_revision`
would serialise and insert one object at a time.

Undo puts every field back that the import changed, deletes what it created, and is itself a
revision in History. A field changed again since the import (by an editor or a later import),
a created object edited since, or one that has gained relationships or milestones is left as it
is, and undo lists it: newer work is never overwritten silently.
"""

import hashlib
import json
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.encoding import is_protected_type
from django.utils.translation import gettext as _
from reversion.models import Revision, Version
from reversion.revisions import _get_options

from ..fields import format_partial_date
from ..models import ContentChange, Milestone, Partner, Relationship
from ..translating import stamps
from .models import ChangeSet, ObjectChange
from .rows import json_value, shown

VERSION_BATCH = 1000  # partners: the engine's chunk, so a chunk costs the same queries


@dataclass
class ImportSource:
    """The file an import reads, as its change set names it."""

    name: str
    size: int
    sha256: str

    @classmethod
    def from_bytes(cls, name, data):
        return cls(name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest())

    @classmethod
    def from_path(cls, path):
        digest = hashlib.sha256()
        with open(path, "rb") as file:
            while block := file.read(1024 * 1024):
                digest.update(block)
        return cls(name=path.name, size=path.stat().st_size, sha256=digest.hexdigest())


def batched(iterable, size):
    """itertools.batched, which Python 3.11 does not have yet."""
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def user_name(user):
    """Who is recorded for a change set (at most 150 characters, as the columns hold)."""
    if user is None:
        return _("command line")
    return (user.get_full_name() or user.get_username())[:150]


# --- recording an import ---


class ChangeRecorder:
    """Writes one import's change set and revision while the engine writes its chunks.

    The change set and its revision are made with the first change, so that an import that
    changes nothing writes nothing at all."""

    def __init__(self, source, user=None, heartbeat=None):
        self.heartbeat = heartbeat  # called now and then while the History is written
        self.source = source or ImportSource(name="", size=0, sha256="")
        self.user = user
        self.change_set = None
        self.touched = set()  # partner pks whose version goes into the revision
        self.partner_type = ContentType.objects.get_for_model(Partner)
        self.relationship_type = ContentType.objects.get_for_model(Relationship)

    def begin(self):
        name = user_name(self.user)
        revision = Revision.objects.create(
            date_created=timezone.now(),
            user=self.user,
            comment=_("Import of %(file)s by %(user)s") % {"file": self.source.name, "user": name},
        )
        self.change_set = ChangeSet.objects.create(
            user=self.user,
            user_name=name,
            file_name=self.source.name[:255],
            file_size=self.source.size,
            file_sha256=self.source.sha256,
            revision=revision,
        )

    def record_chunk(self, outcomes):
        """One ObjectChange per object the chunk created or changed, in one query."""
        objects = {}
        for outcome in outcomes:
            for target, obj, label in (
                ("partner", outcome.partner_object, outcome.partner),
                ("relationship", outcome.relationship_object, outcome.relationship_label),
            ):
                changes = [c for c in outcome.changes if c.target == target]
                if not changes:
                    continue
                entry = objects.setdefault(
                    (target, obj.pk),
                    {"created": False, "label": label, "line": outcome.line, "fields": {}},
                )
                for change in changes:
                    entry["created"] |= change.created
                    before = entry["fields"].get(change.attribute, [change.old])[0]
                    entry["fields"][change.attribute] = [before, change.new]
                self.touched.add(outcome.partner_object.pk)
        if not objects:
            return
        if self.change_set is None:
            self.begin()
        fields = ObjectChange._meta.get_field("fields")
        insert_rows(
            ObjectChange,
            ["change_set_id", "content_type_id", "object_id", "action", "label", "line", "fields"],
            [
                (
                    self.change_set.pk,
                    (self.partner_type if target == "partner" else self.relationship_type).pk,
                    pk,
                    ObjectChange.Action.CREATED
                    if entry["created"]
                    else ObjectChange.Action.UPDATED,
                    entry["label"][:300],
                    entry["line"],
                    fields.get_db_prep_save(entry["fields"], connection),
                )
                for (target, pk), entry in objects.items()
            ],
        )

    def finish(self, report):
        write_versions(self.change_set.revision, self.touched, self.heartbeat, report.rows_read)
        self.change_set.counts = report.counts()
        self.change_set.finished = timezone.now()
        self.change_set.save(update_fields=["counts", "finished"])
        return self.change_set


def write_versions(revision, partner_pks, heartbeat=None, rows_read=0):
    """Versions of these partners, with all their relationships and milestones, in bulk.
    `heartbeat(rows_read)`, if given, is called after each batch: a background import's sign
    of life."""
    content_types = ContentType.objects.get_for_models(Partner, Relationship, Milestone)
    for batch in batched(sorted(partner_pks), VERSION_BATCH):
        # Plain querysets: the raw columns, as the serializer reads them, without
        # modeltranslation's per-row work in values().
        objects = [
            (Partner, QuerySet(Partner).filter(pk__in=batch), "name"),
            (
                Relationship,
                QuerySet(Relationship)
                .filter(partner_id__in=batch)
                .annotate(_repr_partner=F("partner__name"), _repr_kind=F("kind__name")),
                None,
            ),
            (Milestone, QuerySet(Milestone).filter(relationship__partner_id__in=batch), None),
        ]
        rows = []
        for model, queryset, repr_field in objects:
            content_type = content_types[model].pk
            fields = version_fields(model)
            for values in queryset.values(*(f.attname for f in fields), "pk", *repr_columns(model)):
                if repr_field:
                    label = values[repr_field]
                elif model is Relationship:
                    label = f"{values['_repr_partner']} – {values['_repr_kind']}"
                else:
                    label = f"{format_partial_date(values['date'])}: {values['note']}"
                rows.append(
                    (
                        revision.pk,
                        str(values["pk"]),
                        content_type,
                        "default",
                        "json",
                        serialized(model, values, fields),
                        label,
                    )
                )
        insert_rows(
            Version,
            [
                "revision_id",
                "object_id",
                "content_type_id",
                "db",
                "format",
                "serialized_data",
                "object_repr",
            ],
            rows,
        )
        if heartbeat:
            heartbeat(rows_read)


def repr_columns(model):
    return ("_repr_partner", "_repr_kind") if model is Relationship else ()


def version_fields(model):
    """The fields reversion stores for `model`, as history.py registered it (format json)."""
    options = _get_options(model)
    if options.format != "json":
        raise ImproperlyConfigured(f"{model} is versioned as {options.format}, not json.")
    names = set(options.fields)
    return [
        field
        for field in model._meta.concrete_model._meta.local_fields
        if field.serialize and field.name in names
    ]


def serialized(model, values, fields):
    """Exactly what reversion's json serializer stores for the object with these values.

    (Django's serializer keeps None, numbers, decimals and dates as they are and writes every
    other value as text; foreign keys as the related pk. tests/test_import_changes.py checks
    that this matches reversion's own output.)
    """
    data = {}
    for model_field in fields:
        value = values[model_field.attname]
        if not is_protected_type(value):
            value = str(value)
        data[model_field.name] = value
    document = [{"model": model._meta.label_lower, "pk": values["pk"], "fields": data}]
    return json.dumps(document, cls=DjangoJSONEncoder)


def insert_rows(model, columns, rows):
    """INSERT many rows of prepared values at once.

    The change set and its versions are as many rows as the import itself writes; through
    bulk_create each would be a model instance with every value compiled one by one, which took
    longer than the whole import (benchmarks/import.py).
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    # Only the model's own table and column names, quoted; every value is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # nosec B608
        quote(model._meta.db_table),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        for batch in batched(rows, 2000):
            cursor.executemany(sql, batch)


# --- undo ---


class UndoRefused(Exception):
    pass


@dataclass
class Kept:
    """Something undo leaves as it is, and why."""

    label: str
    column: str
    reason: str
    imported: str = ""
    now: str = ""

    def as_dict(self):
        return self.__dict__.copy()


@dataclass
class UndoPlan:
    change_set: ChangeSet
    restore: dict = field(default_factory=dict)  # (model, pk) -> (object, {attribute: value})
    delete: dict = field(default_factory=dict)  # model -> [pk]
    kept: list = field(default_factory=list)

    @property
    def restored_fields(self):
        return sum(len(values) for _obj, values in self.restore.values())

    @property
    def deleted_objects(self):
        return sum(len(pks) for pks in self.delete.values())


def merged_changes(change_set):
    """Each object's changes in the change set, folded into one: first before, last after."""
    merged = {}
    for change in change_set.changes.order_by("pk").iterator(chunk_size=2000):
        key = (change.content_type_id, change.object_id)
        entry = merged.setdefault(
            key, {"created": False, "label": change.label, "line": change.line, "fields": {}}
        )
        entry["created"] |= change.action == ObjectChange.Action.CREATED
        for attribute, (before, after) in change.fields.items():
            first = entry["fields"].get(attribute, [before])[0]
            entry["fields"][attribute] = [first, after]
    return merged


def plan_undo(change_set):
    """What undoing `change_set` would do, without doing it."""
    if change_set.undone:
        raise UndoRefused(
            _("This import was undone on %(date)s by %(user)s.")
            % {
                "date": timezone.localtime(change_set.undone).strftime("%d.%m.%Y %H:%M"),
                "user": change_set.undone_by,
            }
        )
    plan = UndoPlan(change_set)
    merged = merged_changes(change_set)
    types = ContentType.objects.get_for_models(Relationship, Partner)
    created = {
        (model, pk)
        for model, content_type in types.items()
        for (ct, pk), entry in merged.items()
        if ct == content_type.pk and entry["created"]
    }
    # Relationships first: one that is kept keeps its partner too. Then the objects of other
    # models, which only a translation import changes (translating/xliff.py), never creates.
    others = sorted({ct for (ct, _pk) in merged} - {t.pk for t in types.values()})
    for model, related in [
        (Relationship, "milestones"),
        (Partner, "relationships"),
        *((ContentType.objects.get_for_id(ct).model_class(), None) for ct in others),
    ]:
        if model is None:
            continue
        content_type = ContentType.objects.get_for_model(model).pk
        keys = [pk for (ct, pk) in merged if ct == content_type]
        for batch in batched(keys, 1000):
            queryset = model._base_manager.all()
            if related:
                queryset = queryset.prefetch_related(related)
            elif model is Milestone:
                queryset = queryset.select_related("relationship")
            current = queryset.in_bulk(batch)
            for pk in batch:
                entry = merged[(content_type, pk)]
                obj = current.get(pk)
                if obj is None:
                    if not entry["created"]:
                        plan.kept.append(Kept(entry["label"], "", _("deleted since the import")))
                    continue
                if entry["created"] and related:
                    plan_delete(plan, model, obj, entry, created)
                else:
                    plan_restore(plan, model, obj, entry)
    return plan


def plan_restore(plan, model, obj, entry):
    values = {}
    for attribute, (before, after) in entry["fields"].items():
        now = json_value(getattr(obj, attribute))
        if now != after:
            plan.kept.append(
                Kept(
                    entry["label"],
                    column_of(model, attribute),
                    _("changed since the import"),
                    shown(after),
                    shown(now),
                )
            )
            continue
        values[attribute] = model._meta.get_field(attribute).to_python(before)
    if values:
        plan.restore[(model, obj.pk)] = (obj, values)


def plan_delete(plan, model, obj, entry, created):
    """Delete what the import created, unless it was edited or added to since."""
    finished = plan.change_set.finished
    reason = ""
    if finished and obj.updated > finished:
        reason = _("edited since the import")
    elif any(json_value(getattr(obj, a)) != after for a, (_b, after) in entry["fields"].items()):
        reason = _("edited since the import")
    elif model is Partner:
        if any((Relationship, r.pk) not in created for r in obj.relationships.all()):
            reason = _("has relationships the import did not create, or that were kept")
    elif obj.milestones.all():
        reason = _("has milestones added since the import")
    if reason:
        plan.kept.append(Kept(entry["label"], "", reason))
        created.discard((model, obj.pk))
        return
    plan.delete.setdefault(model, []).append(obj.pk)


def column_of(model, attribute):
    from .columns import COLUMN_OF

    target = "partner" if model is Partner else "relationship"
    return COLUMN_OF.get((target, attribute), attribute)


def partner_of(model, obj):
    """The partner whose version in History holds `obj`, or None outside a partner's tree."""
    if model is Partner:
        return obj.pk
    if model is Relationship:
        return obj.partner_id
    if model is Milestone:
        return obj.relationship.partner_id
    return None


def write_other_versions(revision, objects):
    """Versions of objects outside a partner's tree (a page, a kind, the office, a contact),
    with what each follows, as reversion's own add_to_revision stores them. Only a translation
    import touches these, a few hundred objects at most: one by one is fine."""
    from django.core import serializers
    from reversion.revisions import _follow_relations_recursive

    versions = {}
    for obj in objects:
        for followed in _follow_relations_recursive(obj):
            options = _get_options(type(followed))
            content_type = ContentType.objects.get_for_model(followed)
            versions[(content_type.pk, followed.pk)] = Version(
                revision=revision,
                object_id=str(followed.pk),
                content_type=content_type,
                db="default",
                format=options.format,
                serialized_data=serializers.serialize(
                    options.format, (followed,), fields=options.fields
                ),
                object_repr=str(followed)[:191],
            )
    Version.objects.bulk_create(versions.values())


def undo(change_set, user=None):
    """Undo `change_set`; return the plan it carried out (its `kept` lists what it left)."""
    with transaction.atomic():
        change_set = ChangeSet.objects.select_for_update().get(pk=change_set.pk)
        plan = plan_undo(change_set)
        name = user_name(user)
        now = timezone.now()
        touched = set()
        others = []
        by_model = {}
        for (model, _pk), (obj, values) in plan.restore.items():
            for attribute, value in values.items():
                setattr(obj, attribute, value)
            has_updated = any(f.name == "updated" for f in model._meta.concrete_fields)
            if has_updated:
                obj.updated = now
            by_model.setdefault(model, ([], set(), has_updated))
            by_model[model][0].append(obj)
            by_model[model][1].update(values)
            partner = partner_of(model, obj)
            if partner is None:
                others.append(obj)
            else:
                touched.add(partner)
        for model, (objects, fields, has_updated) in by_model.items():
            fields = fields | {"updated"} if has_updated else fields
            model.objects.bulk_update(objects, sorted(fields), batch_size=1000)
            # No signals from bulk_update: the texts put back find the stamps they had.
            stamps.record(model, objects)
        deleted_partners = set(plan.delete.get(Partner, []))
        for model in (Relationship, Partner):
            for batch in batched(plan.delete.get(model, []), 1000):
                model.objects.filter(pk__in=batch).delete()
        touched -= deleted_partners
        revision = Revision.objects.create(
            date_created=now,
            user=user,
            comment=_("Undo of import #%(number)s (%(file)s) by %(user)s")
            % {"number": change_set.pk, "file": change_set.file_name, "user": name},
        )
        write_versions(revision, touched)
        write_other_versions(revision, others)
        change_set.undone = now
        change_set.undone_by = name
        change_set.kept_on_undo = [kept.as_dict() for kept in plan.kept[:1000]]
        change_set.save(update_fields=["undone", "undone_by", "kept_on_undo"])
        ContentChange.touch()
    return plan
