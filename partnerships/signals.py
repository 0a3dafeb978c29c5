"""Record when public content changes, whatever changed it (admin, shell, a related delete)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import figures
from .exchanges.models import Association, Event
from .images import track_images
from .models import (
    AccessibilityStatement,
    Contact,
    ContentChange,
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
    content_published,
)
from .open_data.tasks import write_after_change

CONTENT_MODELS = (
    Partner,
    RelationshipKind,
    Relationship,
    Milestone,
    Office,
    Contact,
    Page,
    Association,
    Event,
    OfficePage,
    AccessibilityStatement,
    InaccessiblePart,
    Imprint,
    SignLanguageVideo,
)


@receiver(post_save)
@receiver(post_delete)
def content_changed(sender, raw=False, **kwargs):
    # Fixture loading (raw) is a restore of existing content, not an edit.
    if sender in CONTENT_MODELS and not raw:
        ContentChange.touch()


# Renditions after each save (and after a restored version's raw save); a replaced or deleted
# image's files go once no row and no version names them, and pruning versions
# (a post_delete of reversion's Version) releases the files only they named.
track_images(Partner, "image", "coat_of_arms")
track_images(Contact, "photo")
track_images(OfficePage, "image")
track_images(SignLanguageVideo, "poster")

# Once a change is committed, the open data's files are written again in the background
# (partnerships/open_data/tasks.py: one write for the many changes of a transaction).
content_published.connect(write_after_change, sender=ContentChange)
# ...and the figures of the new content worked out once for its readers (partnerships/figures.py).
content_published.connect(figures.store_after_change, sender=ContentChange)
