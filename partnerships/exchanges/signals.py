"""What a save of an event or an association sets off beyond partnerships/signals.py (which
moves the content version for both): an event's image renditions, and the content version when
an association's partnerships change, a many-to-many relation whose change saves no row of a
content model."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from ..images import track_images
from ..models import ContentChange
from .models import Association, Event

# Renditions after each save, and the files kept while a version names them (images.py).
track_images(Event, "image")


@receiver(m2m_changed, sender=Association.relationships.through)
def relationships_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        ContentChange.touch()
