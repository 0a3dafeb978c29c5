"""The events as iCalendar (RFC 5545), built with the `icalendar` package.

Each event's UID is its primary key at settings.CALENDAR_UID_DOMAIN, the same whatever host or
language it is read through, so a calendar that subscribed keeps one entry per event and sees
its edits. Times are Europe/Berlin's wall clock, with the VTIMEZONE that describes it; an
all-day event is a DATE, whose DTEND is the day after its last (RFC 5545, 3.6.1).
"""

import datetime

import icalendar
from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import get_language

from ..sanitize import clean_rich_text


def event_uid(event):
    return f"event-{event.pk}@{settings.CALENDAR_UID_DOMAIN}"


def plain_text(html):
    """A summary's rich text as the plain text a calendar shows."""
    text = strip_tags(clean_rich_text(html or "").replace("</p>", "\n\n").replace("<br>", "\n"))
    return "\n".join(line.strip() for line in text.strip().splitlines())


def calendar(events, name, build_url):
    """A VCALENDAR of `events` called `name`; `build_url(path)` makes an absolute address."""
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{settings.CITY_NAME}//International relations//{get_language()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    first = last = None
    for event in events:
        cal.add_component(calendar_event(event, build_url))
        first = min(first or event.start_date, event.start_date)
        last = max(last or event.last_date, event.last_date)
    if first is not None:
        # The time zone's rules for the years the events span, not the default 1970–2038.
        cal.add_missing_timezones(
            first_date=datetime.date(first.year, 1, 1),
            last_date=datetime.date(last.year + 1, 12, 31),
        )
    return cal.to_ical()


def calendar_event(event, build_url):
    entry = icalendar.Event()
    entry.add("uid", event_uid(event))
    entry.add("dtstamp", event.updated.astimezone(datetime.UTC))
    entry.add("last-modified", event.updated.astimezone(datetime.UTC))
    entry.add("summary", event.title)
    if event.is_all_day:
        entry.add("dtstart", event.start_date)
        entry.add("dtend", event.last_date + datetime.timedelta(days=1))
    else:
        entry.add("dtstart", event.starts())
        if event.ends():
            entry.add("dtend", event.ends())
    partner = event.relationship.partner
    description = plain_text(event.summary)
    if event.association:
        description = f"{description}\n\n{event.association.name}".strip()
    if description:
        entry.add("description", description)
    if event.place:
        entry.add("location", event.place)
    entry.add("categories", [str(event.get_kind_display()), str(partner.name)])
    entry.add("url", event.link or build_url(partner.get_absolute_url()))
    return entry
