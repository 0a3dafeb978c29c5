"""Every change an editor makes is kept as a version, with who and when (django-reversion).

Why django-reversion rather than django-simple-history: a revision stores an object together with
the objects it follows (a partner with its relationships and their milestones) as one unit, so
"restore this partner as it was on Tuesday" brings back the relationships of that day and removes
the ones added since; the admin gets "History" and "Recover deleted ..." pages from VersionAdmin
without a template of ours; and versions are serialised rows in two tables, not a shadow table
per model that would need a migration whenever a field or a language is added.

Versions are written by the admin (VersionAdmin wraps every add, change and delete in a
revision). Bulk imports and `loaddata` write no versions: an import only adds and updates (it
never deletes), and its preview shows every change before it is confirmed.

A version restores whole: an image file stays while a version names it (images.py), so a
partner restored as it was on Tuesday shows Tuesday's image, with its renditions; pruning old
versions (`manage.py deleterevisions`) removes the files only they named. A version whose image
is gone all the same (older than that rule) is restored without it, and the History page says so
(admin.HistoryAdmin). Rich texts are cleaned on a restore as on every save (sanitize.py).
"""

import reversion

from .models import Contact, Milestone, Office, Page, Partner, Relationship, RelationshipKind

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
}

for model, follow in _FOLLOW.items():
    if not reversion.is_registered(model):
        reversion.register(model, follow=follow)
