"""An association's partnerships are a many-to-many relation: adding one saves no row of a
content model, so the content version would not move (partnerships/signals.py has the rest)."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from ..models import ContentChange
from .models import Association


@receiver(m2m_changed, sender=Association.relationships.through)
def relationships_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        ContentChange.touch()
