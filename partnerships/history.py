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
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.deletion import Collector
from reversion.models import _safe_revert
from reversion.revisions import _follow_relations_recursive

from .models import (
    AccessibilityStatement,
    Contact,
    Imprint,
    InaccessiblePart,
    Milestone,
    Office,
    Page,
    Partner,
    Relationship,
    RelationshipKind,
    SignLanguageVideo,
)

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
