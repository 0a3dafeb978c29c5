"""Today, in the city's time zone: the one place the pages ask, so that tests can set it."""

from django.utils import timezone


def today():
    """The date in settings.TIME_ZONE (Europe/Berlin): an event ends at the city's midnight."""
    return timezone.localdate()
