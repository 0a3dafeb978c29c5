"""Every change an editor makes is kept as a version, with who and when (django-reversion).

Why django-reversion rather than django-simple-history: a revision stores an object together with
the objects it follows (a partner with its relationships and their milestones) as one unit, so
"restore this partner as it was on Tuesday" brings back the relationships of that day and removes
the ones added since; the admin gets "History" and "Recover deleted ..." pages from VersionAdmin
without a template of ours; and versions are serialised rows in two tables, not a shadow table
per model that would need a migration whenever a field or a language is added.

Versions are written by the admin (VersionAdmin wraps every add, change and delete in a
revision), by `load_demo --reset`, and by imports and their undo: one revision per import, holding
every partner it touched with all it follows, written in bulk (transfer/changes.py). Restoring
one object from History restores that object and what it follows, not everything its revision
holds (`revert_object_tree`): restoring Warsaw from an import must leave the other partners of
that import as they are now. `loaddata` writes no versions.

A version restores whole: an image file stays while a version names it (images.py), so a
partner restored as it was on Tuesday shows Tuesday's image, with its renditions; pruning old
versions (`manage.py deleterevisions`) removes the files only they named. A version whose image
is gone all the same (older than that rule) is restored without it, and the History page says so
(admin.HistoryAdmin). Rich texts are cleaned on a restore as on every save (sanitize.py).
"""

import json
from itertools import chain, groupby

import reversion
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models.deletion import Collector
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext
from reversion.models import _safe_revert
from reversion.revisions import _follow_relations_recursive

from .models import (
    AccessibilityStatement,
    Contact,
    Imprint,
    InaccessiblePart,
    Milestone,
    Office,
    OfficePage,
    Page,
    Partner,
    Relationship,
    RelationshipKind,
    SignLanguageVideo,
)
from .text import join_list

# Imported by apps.ready() and by admin.py, whichever comes first (the admin registers its
# VersionAdmins before the app is ready), so register only once.
_FOLLOW = {
    Partner: ("relationships",),
    Relationship: ("milestones",),
    Milestone: (),
    RelationshipKind: (),
    Office: ("contacts",),
    Contact: (),
    Page: (),
    OfficePage: (),
    AccessibilityStatement: ("parts",),
    InaccessiblePart: (),
    Imprint: (),
    SignLanguageVideo: (),
}

for model, follow in _FOLLOW.items():
    if not reversion.is_registered(model):
        reversion.register(model, follow=follow)

# --- Restoring one object from History, not everything its revision holds ---


def object_tree_versions(version):
    """The versions of `version`'s revision that belong to its object: the object itself and,
    following the relations history.py registers (a partner's relationships, their
    milestones), the followed objects' versions in the same revision.

    An admin save makes a revision of exactly that; an import makes one revision of every
    partner it touched (transfer/changes.py), and restoring Warsaw from it must not put back
    the 9,999 other partners too.
    """
    revision_versions = version.revision.version_set.all()
    tree = [version]
    parents = [version]
    while parents:
        children = []
        for parent in parents:
            model = parent._model
            for name in reversion.revisions._get_options(model).follow:
                relation = model._meta.get_field(name)
                child_model, key = relation.related_model, relation.field.name
                candidates = revision_versions.filter(
                    content_type=ContentType.objects.get_for_model(child_model),
                    # A cheap filter first; the JSON decides ("12" is in "123" too).
                    serialized_data__contains=f'"{key}": {parent.object_id}',
                )
                for candidate in candidates:
                    fields = json.loads(candidate.serialized_data)[0]["fields"]
                    if str(fields.get(key)) == str(parent.object_id):
                        children.append(candidate)
        tree.extend(children)
        parents = children
    return tree


def revert_object_tree(version):
    """Revision.revert(delete=True), for the object's own versions only (see above)."""
    versions = object_tree_versions(version)
    with transaction.atomic(using=version.db):
        old = set()
        for item in versions:
            model = item._model
            obj = model._default_manager.using(item.db).filter(pk=item.object_id).first()
            if obj is not None:
                old.add(obj)
        # Followed objects added since the version (a relationship added later) go, as
        # reversion's own revert deletes them.
        current = chain.from_iterable(_follow_relations_recursive(obj) for obj in old)
        collector = Collector(using=version.db)
        new = [obj for obj in current if obj not in old]
        for _model, group in groupby(new, type):
            collector.collect(list(group))
        collector.delete()
        _safe_revert(versions)


# --- What a version says was changed, in the reader's language and the form's words ---
#
# Django stores the labels of the changed fields in English ("Description [en]", "Image credit")
# and translates them when the message is read, which only works for a label that is a msgid of
# its own: the German History said "Description [en], Image credit und Image licence geändert".
# The admin (HistoryAdmin) also stores each change's model and field names, and the History
# page (templates/reversion/object_history.html) words the change from them in the reader's
# language, with each field's label as the form shows it: "Beschreibung (Englisch)".


def with_field_names(message, model, form, formsets, add):
    """Django's change message (construct_change_message) with the model and field names of each
    change beside its labels."""
    entries = iter(message)
    if not add and form.changed_data:
        next(entries)["changed"].update(
            model=model._meta.label_lower, field_names=form.changed_data
        )
    for formset in formsets or []:
        for _added in formset.new_objects:
            next(entries)
        for changed_object, changed_fields in formset.changed_objects:
            next(entries)["changed"].update(
                model=changed_object._meta.label_lower, field_names=list(changed_fields)
            )
        for _deleted in formset.deleted_objects:
            next(entries)
    return message


def field_label(model, name):
    """The label of `model`'s field `name` as the admin's form shows it, in the active language;
    a translated column's with its language: "Beschreibung (Englisch)"."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    language = getattr(field, "language", None)
    if language and getattr(field, "translated_field", None):
        return gettext("%(field)s (%(language)s)") % {
            "field": capfirst(field.translated_field.verbose_name),
            "language": get_language_info(language)["name_translated"],
        }
    return capfirst(field.verbose_name)


def changed_field_labels(change):
    labels = change.get("fields", [])
    model_label, names = change.get("model"), change.get("field_names")
    if model_label and names and len(names) == len(labels):
        try:
            model = apps.get_model(model_label)
        except LookupError:
            model = None
        if model is not None:
            return [
                field_label(model, name) or gettext(label)
                for name, label in zip(names, labels, strict=True)
            ]
    return [gettext(label) for label in labels]


def describe_change(comment):
    """A version's comment in the active language: a change message of the admin's (JSON) worded
    as Django words it, with the fields' labels as the form shows them; any other comment (an
    import's, a restore's) as it is."""
    if not comment or comment[0] != "[":
        return comment
    try:
        message = json.loads(comment)
    except json.JSONDecodeError:
        return comment
    sentences = []
    for entry in message:
        if "added" in entry:
            added = entry["added"]
            if added:
                sentences.append(
                    gettext("Added {name} “{object}”.").format(
                        name=gettext(added["name"]), object=added["object"]
                    )
                )
            else:
                sentences.append(gettext("Added."))
        elif "changed" in entry:
            changed = entry["changed"]
            fields = join_list(changed_field_labels(changed))
            if "name" in changed:
                sentences.append(
                    gettext("Changed {fields} for {name} “{object}”.").format(
                        fields=fields, name=gettext(changed["name"]), object=changed["object"]
                    )
                )
            else:
                sentences.append(gettext("Changed {fields}.").format(fields=fields))
        elif "deleted" in entry:
            deleted = entry["deleted"]
            sentences.append(
                gettext("Deleted {name} “{object}”.").format(
                    name=gettext(deleted["name"]), object=deleted["object"]
                )
            )
    return " ".join(sentences) or gettext("No fields changed.")
