"""Associations and events keep a version for every change, like the other content (history.py)."""

import reversion

from .models import Association, Event

for model in (Association, Event):
    if not reversion.is_registered(model):
        reversion.register(model)
