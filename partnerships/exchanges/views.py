"""The public pages of associations, events and jubilees, and what they add to the overview and
the partner page. Every list has a fixed number of queries however many partners there are."""

import datetime
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from .. import figures as published_figures
from ..fallbacks import listing_note, partner_names_note
from ..models import ContentChange, Partner, Relationship
from ..search import alphabetical
from . import calendar, clock, jubilees
from .models import Association, Event

# The overview lists the next few events and jubilees, each list with a link to all of them.
OVERVIEW_EVENT_LIMIT = 5
OVERVIEW_JUBILEE_LIMIT = 10
# A partner page lists its next events, and its latest past ones in the timeline.
PARTNER_UPCOMING_LIMIT = 10
PARTNER_TIMELINE_EVENT_LIMIT = 20
EVENTS_PAGE_SIZE = 20
# The calendar feeds hold the events of the last year besides those to come: the whole city's
# at most the next CALENDAR_COMING_LIMIT and the latest CALENDAR_RECENT_LIMIT of them. A city
# has tens a year; a national directory's thousands would make a feed of megabytes that takes
# longer to build than a worker may take (some 1 ms an event), read by every subscribed calendar
# every few hours. The events page and the archive list every one.
CALENDAR_PAST_DAYS = 366
CALENDAR_COMING_LIMIT = 200
CALENDAR_RECENT_LIMIT = 50
ASSOCIATIONS_PAGE_SIZE = 50
# The associations' page names at most this many of each association's partnerships, with the
# number of the others: an umbrella society in a national directory may carry thousands, and
# each partner's page names its associations.
ASSOCIATION_PARTNERSHIPS_SHOWN = 12
JUBILEES_PAGE_SIZE = 50
# The most partners the archive's partner filter offers in its list. A national directory's
# archive may have events of thousands of partners, a list that would outweigh the page: then
# the list offers the partner asked for alone, and each partner's page links to its own events.
ARCHIVE_PARTNER_CHOICES = 100


# --- Lists of events that stay fast at any number ---


def published_count(events):
    """How many of `events` are of published partners: all of them less those of unpublished
    partners (who are few), each count read from the events' own index instead of joining every
    event to its partner."""
    return events.count() - events.filter(relationship__partner__is_published=False).count()


class UpcomingEvents:
    """The published events not over on `today`, the soonest first, as a Paginator reads a list
    (its count and slices): those running (begun before today: few) and then those from today
    on, each part from its own index. Five queries: three counts (those running; those from
    today on, and the unpublished partners' among them), and a page's rows of each part.
    """

    ordered = True  # for the Paginator, which warns about unordered lists

    def __init__(self, events, today):
        self.events, self.today = events, today

    def count(self):
        running = self.events.published().running(self.today).count()
        return running + published_count(self.events.from_day(self.today))

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        start, stop = index.start or 0, index.stop
        running = list(self.events.published().running(self.today).for_pages()[:stop])
        rest = max(start - len(running), 0), max(stop - len(running), 0)
        coming = self.events.published().from_day(self.today).for_pages()
        return running[start:stop] + (list(coming[rest[0] : rest[1]]) if rest[1] else [])


class PastEvents:
    """The published events over before `today`, the latest first, as a Paginator reads a list:
    the count from the start dates' index (less those still running), a page from its rows."""

    ordered = True  # for the Paginator, which warns about unordered lists

    def __init__(self, events, today):
        self.events, self.today = events, today

    def count(self):
        running = self.events.published().running(self.today).count()
        return published_count(self.events.filter(start_date__lt=self.today)) - running

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        return list(self.events.published().past(self.today).for_pages()[index])


# --- On the overview and the partner page ---


def overview_context(figures=None, today=None):
    """The next events (those running, those to come) and the jubilees of this year and the
    next (in the order `figures`, the published content's, keep): three queries."""
    today = today or clock.today()
    upcoming = UpcomingEvents(Event.objects.all(), today)[: OVERVIEW_EVENT_LIMIT + 1]
    found, more_jubilees = jubilees.upcoming_jubilees(today, OVERVIEW_JUBILEE_LIMIT, figures)
    return {
        "upcoming_events": upcoming[:OVERVIEW_EVENT_LIMIT],
        "more_upcoming_events": len(upcoming) > OVERVIEW_EVENT_LIMIT,
        "jubilees": found,
        "more_jubilees": more_jubilees,
    }


@dataclass(frozen=True)
class TimelineEntry:
    """A milestone or a past event, on the partner page's one timeline."""

    sort_key: str
    milestone: object = None
    event: object = None


@dataclass(frozen=True)
class StatusNotice:
    """A suspended or ended relationship, said at the top of the partner page in words."""

    relationship: Relationship
    text: str
    reason: object  # the milestone that changed the status, or None


def status_notice(relationship, partner):
    milestone = relationship.status_milestone
    date = milestone.date_display if milestone else ""
    if relationship.status == Relationship.Status.ENDED:
        date = date or relationship.until_display
        text = (
            gettext("%(kind)s with %(partner)s: ended (%(date)s).")
            if date
            else gettext("%(kind)s with %(partner)s: ended.")
        )
    else:
        text = (
            gettext("%(kind)s with %(partner)s: suspended since %(date)s.")
            if date
            else gettext("%(kind)s with %(partner)s: suspended.")
        )
    text %= {"kind": relationship.kind.name, "partner": partner.name, "date": date}
    return StatusNotice(relationship, text, milestone)


def partner_context(partner, relationships, today=None):
    """What the partner page adds: its status notices, associations, next events, jubilees and
    one timeline of its milestones and past events. Three queries (events to come, past events,
    associations); milestones come with the relationships."""
    today = today or clock.today()
    events = Event.objects.filter(relationship__partner=partner).select_related(
        "relationship__kind", "association"
    )
    upcoming = list(events.upcoming(today)[:PARTNER_UPCOMING_LIMIT])
    past = list(events.past(today)[: PARTNER_TIMELINE_EVENT_LIMIT + 1])
    associations = list(
        Association.objects.published()
        .filter(relationships__partner=partner)
        .distinct()
        .order_by("name", "pk")
    )
    for event in [*upcoming, *past]:
        event.relationship.partner = partner
    entries = [
        TimelineEntry(milestone.date, milestone=milestone)
        for relationship in relationships
        for milestone in relationship.milestones.all()
    ] + [TimelineEntry(event.start_date.isoformat(), event=event) for event in past]
    entries.sort(key=lambda entry: entry.sort_key)
    years = jubilees.coming_years(today)
    return {
        "status_notices": [
            status_notice(relationship, partner)
            for relationship in relationships
            if relationship.status != Relationship.Status.ACTIVE
        ],
        "associations": associations,
        "upcoming_events": upcoming,
        "timeline": entries,
        "more_past_events": len(past) > PARTNER_TIMELINE_EVENT_LIMIT,
        "jubilees": [j for rel in relationships for j in jubilees.jubilees_of(rel, years)],
        "several_relationships": len(relationships) > 1,
    }


def event_jsonld(request, event, nested=False):
    """schema.org Event (`nested` in another object, without its own @context)."""
    data = {} if nested else {"@context": "https://schema.org"}
    data |= {
        "@type": "Event",
        "name": event.title,
        "startDate": event.start_iso,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "url": event.link
        or request.build_absolute_uri(event.relationship.partner.get_absolute_url()),
        "location": {"@type": "Place", "name": event.place or event.relationship.partner.name},
    }
    if event.end_iso:
        data["endDate"] = event.end_iso
    elif event.is_all_day and event.end_date:
        data["endDate"] = event.end_date.isoformat()
    if event.association:
        data["organizer"] = {"@type": "Organization", "name": event.association.name}
        if event.association.website:
            data["organizer"]["url"] = event.association.website
    return data


# --- Pages of their own ---


def paginate(request, object_list, per_page, count=None):
    """(The page, None), or (None, a redirect) for a page number past the end or below 1:
    that page is shown under its own address (see views.directory), so that the page cache
    keeps one entry for it."""
    paginator = Paginator(object_list, per_page)
    if count is not None:
        paginator.count = count
    page_obj = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    asked = query.get("page", "1")
    if str(page_obj.number) != asked:
        query.pop("page", None)
        if page_obj.number > 1:
            query["page"] = str(page_obj.number)
        return None, redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
    return page_obj, None


def query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def events(request):
    """Every event to come, the soonest first."""
    listed = UpcomingEvents(Event.objects.all(), clock.today())
    page_obj, redirection = paginate(request, listed, EVENTS_PAGE_SIZE)
    if redirection:
        return redirection
    title = gettext("Exchanges and events")
    if page_obj.number > 1:
        title = gettext("%(title)s – page %(number)s") % {"title": title, "number": page_obj.number}
    return render(
        request,
        "exchanges/events.html",
        {
            "fallback_note": listing_note(events=page_obj),
            "page_obj": page_obj,
            "query": "",
            "last_change": ContentChange.last(),
            "title": title,
            "description": gettext(
                "Exchange visits, school and youth exchanges, delegations, cultural weeks and "
                "sports meetings with our partner cities, to come."
            ),
            "jsonld": [event_jsonld(request, event) for event in page_obj],
        },
    )


class ArchiveForm(forms.Form):
    """The archive's filters: a plain GET form, so every filtered view has its own address."""

    # Every parameter the archive reads, in the order of its canonical address.
    PARAMETERS = ("partner", "kind", "page")

    partner = forms.ChoiceField(label=_("Partner"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of event"),
        required=False,
        choices=[("", _("all"))] + list(Event.Kind.choices),
    )

    def __init__(self, *args, partners, every_partner_listed=True, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        if not every_partner_listed:
            self.fields["partner"].help_text = _(
                "More partners have events than this list can show: a partner's page links to "
                "its events."
            )
        self.fields["partner"].choices = [("", _("all"))] + [
            (partner.slug, partner.name)
            for partner in sorted(partners, key=lambda p: alphabetical(p.name))
        ]

    def filter(self, listed):
        self.is_valid()  # an invalid value is reported, the valid ones still apply
        data = self.cleaned_data
        if data.get("partner"):
            listed = listed.filter(relationship__partner__slug=data["partner"])
        if data.get("kind"):
            listed = listed.filter(kind=data["kind"])
        return listed

    def summary(self):
        return ", ".join(
            str(dict(self.fields[name].choices)[self.cleaned_data[name]])
            for name in ("partner", "kind")
            if self.cleaned_data.get(name)
        )

    @classmethod
    def canonical_query(cls, data):
        """Only the archive's own parameters, in a fixed order, none empty (partnerships/
        cache_keys.py); the first page has no number."""
        from ..views import canonical_page_number

        query = QueryDict(mutable=True)
        for name in cls.PARAMETERS:
            value = data.get(name, "")
            if name == "page":
                value = canonical_page_number(value)
            if value:
                query[name] = value
        return query


def events_archive(request):
    """Past events, the latest first, filtered by partner and kind."""
    names = [build_localized_fieldname("name", code) for code, _n in settings.LANGUAGES]
    with_events = (
        Partner.objects.published()
        .filter(relationships__events__isnull=False)
        .order_by()  # sorted in the reader's order below
        .distinct()
        .only("slug", *names)
    )
    partners = list(with_events[: ARCHIVE_PARTNER_CHOICES + 1])
    every_partner_listed = len(partners) <= ARCHIVE_PARTNER_CHOICES
    if not every_partner_listed:
        partners = list(with_events.filter(slug=request.GET.get("partner", "")))
    form = ArchiveForm(request.GET, partners=partners, every_partner_listed=every_partner_listed)
    listed = PastEvents(form.filter(Event.objects.all()), clock.today())
    page_obj, redirection = paginate(request, listed, EVENTS_PAGE_SIZE)
    if redirection:
        return redirection
    title = gettext("Past exchanges and events")
    if summary := form.summary():
        title = f"{title}: {summary}"
    if page_obj.number > 1:
        title = gettext("%(title)s – page %(number)s") % {"title": title, "number": page_obj.number}
    response = render(
        request,
        "exchanges/events_archive.html",
        {
            "form": form,
            "fallback_note": listing_note(events=page_obj),
            "page_obj": page_obj,
            "query": query_without_page(request),
            "last_change": ContentChange.last(),
            "title": title,
            "description": gettext("The archive of past exchanges and events with our partners."),
            "jsonld": [event_jsonld(request, event) for event in page_obj],
        },
    )
    if form.errors:
        # The page reports the invalid value: no cache may keep a page for every such value.
        patch_cache_control(response, no_store=True)
    return response


def associations(request):
    """Every published association, with the partnerships it carries."""
    carried = Relationship.objects.filter(partner__is_published=True)
    listed = (
        Association.objects.published()
        .annotate(
            # Counted for the page's associations only, each from the index of its own.
            partnership_count=Subquery(
                carried.filter(associations=OuterRef("pk"))
                .order_by()
                .values("associations")
                .annotate(count=Count("*"))
                .values("count"),
                output_field=IntegerField(),
            )
        )
        .prefetch_related(
            Prefetch(
                "relationships",
                # The first ones of each (a sliced prefetch: one query, a window per association).
                queryset=carried.select_related("partner", "kind")[:ASSOCIATION_PARTNERSHIPS_SHOWN],
                to_attr="shown_relationships",
            )
        )
    )
    count = Association.objects.published().count()
    page_obj, redirection = paginate(request, listed, ASSOCIATIONS_PAGE_SIZE, count=count)
    if redirection:
        return redirection
    title = gettext("Partnership associations")
    if page_obj.number > 1:
        title = gettext("%(title)s – page %(number)s") % {"title": title, "number": page_obj.number}
    return render(
        request,
        "exchanges/associations.html",
        {
            "fallback_note": listing_note(associations=page_obj),
            "page_obj": page_obj,
            "query": "",
            "last_change": ContentChange.last(),
            "title": title,
            "description": gettext(
                "The associations, friendship societies and school partnerships that carry our "
                "city's partnerships, and how to reach them."
            ),
        },
    )


def jubilee_list(request):
    """Every jubilee of this year and the next, in the order the published content's figures
    keep (partnerships/figures.py)."""
    last_change = ContentChange.last()
    listed = jubilees.JubileeList(
        jubilees.coming_years(clock.today()), published_figures.for_version(last_change)
    )
    page_obj, redirection = paginate(request, listed, JUBILEES_PAGE_SIZE)
    if redirection:
        return redirection
    title = gettext("Anniversaries of our partnerships")
    if page_obj.number > 1:
        title = gettext("%(title)s – page %(number)s") % {"title": title, "number": page_obj.number}
    return render(
        request,
        "exchanges/jubilees.html",
        {
            "fallback_note": partner_names_note([rel.partner for rel in page_obj]),
            "page_obj": page_obj,
            "jubilees": [jubilees.as_jubilee(rel) for rel in page_obj],
            "query": "",
            "last_change": last_change,
            "title": title,
            "description": gettext(
                "The round anniversaries of our partnerships this year and next."
            ),
        },
    )


# --- iCalendar feeds ---


def calendar_response(request, listed, name, file_name):
    content = calendar.calendar(listed, name, request.build_absolute_uri)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{file_name}"'
    return response


def events_calendar(request):
    """The events to come and of the last year (at most CALENDAR_COMING_LIMIT and
    CALENDAR_RECENT_LIMIT), as an iCalendar feed in the reader's language: two queries.

    A calendar that subscribes reads the whole feed every few hours: the archive's older events
    stay on the archive page (and in the open data)."""
    today = clock.today()
    since = today - datetime.timedelta(days=CALENDAR_PAST_DAYS)
    coming = UpcomingEvents(Event.objects.all(), today)[:CALENDAR_COMING_LIMIT]
    published = Event.objects.published().for_pages()
    recent = list(published.past(today).filter(last_day__gte=since)[:CALENDAR_RECENT_LIMIT])
    listed = [*reversed(recent), *coming]
    name = gettext("%(city)s: international exchanges and events") % {"city": settings.CITY_NAME}
    return calendar_response(request, listed, name, "events.ics")


def partner_calendar(request, slug):
    """One partner's events, to come and of the last year, as an iCalendar feed."""
    partner = get_object_or_404(Partner.objects.published(), slug=slug)
    since = clock.today() - datetime.timedelta(days=CALENDAR_PAST_DAYS)
    listed = (
        Event.objects.filter(relationship__partner=partner)
        .upcoming(since)
        .select_related("relationship__kind", "association")
        .order_by("start_date", "start_time", "pk")
    )
    listed = list(listed)
    for event in listed:
        event.relationship.partner = partner
    name = gettext("%(city)s and %(partner)s: exchanges and events") % {
        "city": settings.CITY_NAME,
        "partner": partner.name,
    }
    return calendar_response(request, listed, name, f"{partner.slug}.ics")
