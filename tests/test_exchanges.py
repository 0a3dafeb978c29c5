"""Associations, exchanges and events, their calendars, the jubilees and the status banner."""

import datetime
import json
import re

import icalendar
import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from partnerships import figures
from partnerships.exchanges import clock, jubilees
from partnerships.exchanges import views as exchange_views
from partnerships.exchanges.calendar import event_uid
from partnerships.exchanges.models import Association, Event
from partnerships.exchanges.views import CALENDAR_PAST_DAYS, EVENTS_PAGE_SIZE
from partnerships.models import ContentChange, Milestone, Partner, Relationship
from partnerships.open_data import files
from tests.bulk import add_events, add_partners

from .factories import make_kind, make_relationship

TODAY = datetime.date(2026, 12, 1)


def url(name, language, *args):
    with translation.override(language):
        return reverse(f"partnerships:{name}", args=args)


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The pages' "today", set by the test (clock.today is the one place they ask)."""
    day = {"value": TODAY}
    monkeypatch.setattr(clock, "today", lambda: day["value"])
    return day


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def relationship_of(slug, kind="twin_city"):
    return Relationship.objects.get(partner__slug=slug, kind__code=kind)


def make_event(relationship, **values):
    values.setdefault("title_de", "Austausch")
    values.setdefault("start_date", TODAY + datetime.timedelta(days=30))
    return Event.objects.create(relationship=relationship, **values)


# --- Associations ---


def test_an_association_is_shown_on_its_partners_page_and_on_its_own_page(client, demo):
    association = Association.objects.create(
        name_de="Partnerschaftsverein Warschau",
        name_en="Warsaw twinning association",
        kind=Association.Kind.PARTNERSHIP_ASSOCIATION,
        email="verein@example.org",
        website="https://verein.example.org/",
        contact_person="Anna Nowak",
        description_en="<p>Visits <script>alert(1)</script>every year.</p>",
    )
    association.relationships.add(relationship_of("warsaw"))
    page = get(client, url("partner-detail", "en", "warsaw"))
    assert "Warsaw twinning association" in page
    assert "Anna Nowak" in page and "mailto:verein@example.org" in page
    assert "<script>alert" not in page  # the sanitiser cleaned it on save
    assert "Warsaw twinning association" not in get(client, url("partner-detail", "en", "haifa"))

    listing = get(client, url("associations", "en"))
    assert "Warsaw twinning association" in listing
    assert 'href="/en/partners/warsaw/"' in listing
    assert "Partnerschaftsverein Warschau" in get(client, url("associations", "de"))


def test_an_association_of_thousands_of_partnerships_names_the_first_and_counts_them_all(
    client, demo, monkeypatch
):
    """An umbrella society in a national directory carries thousands: the page names the first
    ASSOCIATION_PARTNERSHIPS_SHOWN of them and the number of all its published ones."""
    monkeypatch.setattr(exchange_views, "ASSOCIATION_PARTNERSHIPS_SHOWN", 3)
    add_partners(7)
    association = Association.objects.create(name_de="Dachverband")
    carried = Relationship.objects.filter(partner__slug__startswith="bulk-")
    association.relationships.set(carried)
    Partner.objects.filter(slug="bulk-0").update(is_published=False)
    published = carried.filter(partner__is_published=True).count()
    html = get(client, url("associations", "en"))
    section = re.search(
        rf'<section class="association" id="association-{association.pk}".*?</section>',
        html,
        re.S,
    ).group(0)
    assert section.count('href="/en/partners/bulk-') == 3
    assert "/en/partners/bulk-0/" not in section
    assert f"({published} partnerships in all)" in section
    german = get(client, url("associations", "de"))
    assert f"({published} Partnerschaften insgesamt)" in german


def test_an_unpublished_association_is_not_shown(client, demo):
    association = Association.objects.create(name_de="Geheimverein", is_published=False)
    association.relationships.add(relationship_of("warsaw"))
    assert "Geheimverein" not in get(client, url("partner-detail", "de", "warsaw"))
    assert "Geheimverein" not in get(client, url("associations", "de"))


def test_adding_a_partnership_to_an_association_changes_the_content_version(demo):
    association = Association.objects.create(name_de="Verein")
    before = ContentChange.last()
    association.relationships.add(relationship_of("warsaw"))
    assert ContentChange.last() > before


# --- Events: to come, past, one timeline ---


def test_upcoming_events_are_on_the_overview_and_the_partner_page(client, demo):
    make_event(
        relationship_of("warsaw"),
        title_de="Kulturwoche Warschau",
        title_en="Warsaw culture week",
        kind=Event.Kind.CULTURAL_WEEK,
        start_date=datetime.date(2027, 5, 10),
        end_date=datetime.date(2027, 5, 16),
    )
    for path in (url("overview", "en"), url("partner-detail", "en", "warsaw"), url("events", "en")):
        html = get(client, path)
        assert "Warsaw culture week" in html, path
        assert 'datetime="2027-05-10"' in html
    assert "Kulturwoche Warschau" in get(client, url("overview", "de"))
    assert "Warsaw culture week" not in get(client, url("events-archive", "en"))


def test_an_event_moves_to_the_archive_the_day_after_it_ends(client, demo, today):
    make_event(
        relationship_of("warsaw"),
        title_en="Visit from Warsaw",
        start_date=datetime.date(2026, 12, 1),
        end_date=datetime.date(2026, 12, 3),
    )
    today["value"] = datetime.date(2026, 12, 3)
    assert "Visit from Warsaw" in get(client, url("events", "en"))
    today["value"] = datetime.date(2026, 12, 4)
    # The page cache keys pages by the day too: yesterday's page is not served today.
    assert "Visit from Warsaw" not in get(client, url("events", "en"))
    assert "Visit from Warsaw" in get(client, url("events-archive", "en"))


def test_the_archive_filters_by_partner_and_kind_and_paginates(client, demo):
    warsaw, haifa = relationship_of("warsaw"), relationship_of("haifa")
    for number in range(EVENTS_PAGE_SIZE + 3):
        make_event(
            warsaw,
            title_en=f"Warsaw visit {number}",
            start_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=number),
            kind=Event.Kind.EXCHANGE_VISIT,
        )
    make_event(
        haifa,
        title_en="Haifa football",
        start_date=datetime.date(2024, 6, 1),
        kind=Event.Kind.SPORTS_MEETING,
    )
    archive = url("events-archive", "en")
    first = get(client, archive)
    assert "Haifa football" in first  # the latest first
    assert "Warsaw visit 22" in first and "Warsaw visit 0<" not in first
    assert 'rel="next"' in first
    assert "Warsaw visit 0<" in get(client, f"{archive}?page=2")

    only_haifa = get(client, f"{archive}?partner=haifa")
    assert "Haifa football" in only_haifa and "Warsaw visit" not in only_haifa
    sports = get(client, f"{archive}?kind=sports_meeting")
    assert "Haifa football" in sports and "Warsaw visit" not in sports

    # Past the end: the last page, under its own address.
    response = client.get(f"{archive}?page=99")
    assert response.status_code == 302 and response["Location"].endswith("?page=2")
    # An unknown partner is reported, and the page is not stored.
    response = client.get(f"{archive}?partner=atlantis")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_the_archives_partner_list_stays_short_with_thousands_of_partners(
    client, demo, monkeypatch
):
    """Past ARCHIVE_PARTNER_CHOICES partners with events, the list offers the one asked for
    alone (a national directory's list would outweigh the page), and filtering still works."""
    monkeypatch.setattr(exchange_views, "ARCHIVE_PARTNER_CHOICES", 5)
    add_partners(8)
    add_events(prefix="bulk", around=TODAY)
    archive = url("events-archive", "en")
    html = get(client, archive)
    select = re.search(r'<select name="partner"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert select.count("<option") == 1  # "all"
    assert "page links to its events" in html

    slug = Event.objects.filter(relationship__partner__slug__startswith="bulk-").values_list(
        "relationship__partner__slug", flat=True
    )[0]
    html = get(client, f"{archive}?partner={slug}")
    select = re.search(r'<select name="partner"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert select.count("<option") == 2 and f'value="{slug}" selected' in select


def test_the_partner_page_has_one_timeline_of_milestones_and_past_events(client, demo):
    moscow = relationship_of("moscow")
    make_event(
        moscow,
        title_en="Youth exchange in Moscow",
        start_date=datetime.date(2005, 8, 1),
        kind=Event.Kind.YOUTH_EXCHANGE,
    )
    html = get(client, url("partner-detail", "en", "moscow"))
    timelines = re.findall(r'<ol class="timeline">(.*?)</ol>', html, re.S)
    assert len(timelines) == 1
    timeline = timelines[0]
    signed = timeline.index("Partnership agreement signed")  # 1992
    exchange = timeline.index("Youth exchange in Moscow")  # 2005
    suspended = timeline.index("Suspended in February 2022")  # 2022
    assert signed < exchange < suspended


# --- iCalendar ---


def parse_calendar(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_the_calendars_parse_with_stable_uids_berlin_time_and_the_readers_language(
    client, demo, settings
):
    settings.CALENDAR_UID_DOMAIN = "example.org"
    timed = make_event(
        relationship_of("warsaw"),
        title_de="Empfang",
        title_en="Reception",
        place_de="Rathaus",
        summary_en="<p>With <strong>music</strong>.</p>",
        start_date=datetime.date(2027, 7, 1),
        start_time=datetime.time(18, 0),
        end_time=datetime.time(20, 30),
    )
    all_day = make_event(
        relationship_of("haifa"),
        title_de="Jugendwoche",
        start_date=datetime.date(2027, 3, 1),
        end_date=datetime.date(2027, 3, 5),
    )
    feed = url("events-calendar", "en")
    calendar = parse_calendar(client, feed)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    in_feed = Event.objects.upcoming(TODAY - datetime.timedelta(days=CALENDAR_PAST_DAYS))
    assert set(events) == {f"event-{event.pk}@example.org" for event in in_feed}
    # The demo's school exchange of October 2025 is older than a year: on the archive only.
    assert Event.objects.count() == len(events) + 1
    reception = events[f"event-{timed.pk}@example.org"]
    assert str(reception["SUMMARY"]) == "Reception"
    assert str(reception["DESCRIPTION"]) == "With music."
    start = reception.decoded("DTSTART")
    assert start == datetime.datetime(2027, 7, 1, 18, 0, tzinfo=start.tzinfo)
    assert reception["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert start.utcoffset() == datetime.timedelta(hours=2)  # summer time
    assert reception.decoded("DTEND").hour == 20
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    week = events[f"event-{all_day.pk}@example.org"]
    assert week.decoded("DTSTART") == datetime.date(2027, 3, 1)
    assert week.decoded("DTEND") == datetime.date(2027, 3, 6)  # the day after the last

    # The same UIDs on every request, in every language, through another host too.
    again = parse_calendar(client, url("events-calendar", "de"))
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == set(events)
    assert "Empfang" in {str(e["SUMMARY"]) for e in again.walk("VEVENT")}
    other_host = client.get(feed, HTTP_HOST="localhost")
    assert f"event-{timed.pk}@example.org".encode() in other_host.content

    partner_feed = parse_calendar(client, url("partner-calendar", "en", "warsaw"))
    assert [str(e["UID"]) for e in partner_feed.walk("VEVENT")] == [
        f"event-{event.pk}@example.org"
        for event in Event.objects.filter(relationship__partner__slug="warsaw").order_by(
            "start_date"
        )
    ]


def test_the_citys_calendar_holds_the_next_events_and_the_latest_past_ones_at_most(
    client, demo, monkeypatch
):
    """A national directory's thousands of events would make a feed no worker builds in time:
    the feed holds the next CALENDAR_COMING_LIMIT and the latest CALENDAR_RECENT_LIMIT."""
    monkeypatch.setattr(exchange_views, "CALENDAR_COMING_LIMIT", 3)
    monkeypatch.setattr(exchange_views, "CALENDAR_RECENT_LIMIT", 2)
    Event.objects.all().delete()
    warsaw = relationship_of("warsaw")
    days = [-400, -200, -30, -3, 0, 5, 60, 90, 300]
    made = {
        day: make_event(warsaw, start_date=TODAY + datetime.timedelta(days=day)) for day in days
    }
    calendar = parse_calendar(client, url("events-calendar", "en"))
    listed = [str(event["UID"]) for event in calendar.walk("VEVENT")]
    # The two latest of the last year, then the next three (today's among them), in date order.
    assert listed == [event_uid(made[day]) for day in [-30, -3, 0, 5, 60]]


def test_the_pages_link_to_their_calendar(client, demo):
    assert url("events-calendar", "en") in get(client, url("events", "en"))
    assert url("events-calendar", "en") in get(client, url("overview", "en"))
    partner = get(client, url("partner-detail", "en", "warsaw"))
    assert url("partner-calendar", "en", "warsaw") in partner
    assert "Subscribe" in partner


def test_an_unpublished_partners_calendar_is_not_found(client, demo):
    Partner.objects.filter(slug="warsaw").update(is_published=False)
    assert client.get(url("partner-calendar", "en", "warsaw")).status_code == 404


# --- Jubilees ---


def test_jubilees_follow_the_start_year_across_years(db):
    relationship = make_relationship(since="1987-06-01")
    found = jubilees.jubilees_of(relationship, (2026, 2027))
    assert [(j.year, j.years) for j in found] == [(2027, 40)]
    assert [j.years for j in jubilees.jubilees_of(relationship, (2061, 2062))] == [75]
    assert jubilees.jubilees_of(relationship, (2028, 2029)) == []
    assert [j.years for j in jubilees.every_jubilee(relationship)] == list(jubilees.JUBILEE_YEARS)
    # Ended partnerships and those without a start celebrate nothing.
    relationship.status = Relationship.Status.ENDED
    assert jubilees.jubilees_of(relationship, (2027,)) == []
    assert jubilees.jubilees_of(make_relationship(since=""), (2027,)) == []


def test_the_query_finds_this_years_and_next_years_jubilees(db):
    kind = make_kind()
    ages = {}
    for since in ("1987", "2017-05-01", "1977", "1952", "1990", "2026"):
        relationship = make_relationship(kind=kind, since=since)
        ages[relationship.pk] = since
    found = [jubilees.as_jubilee(r) for r in jubilees.jubilee_relationships((2026, 2027))]
    assert [(j.relationship.since, j.year, j.years) for j in found] == [
        ("1952", 2027, 75),  # 2027's, by start
        ("1977", 2027, 50),
        ("1987", 2027, 40),
        ("2017-05-01", 2027, 10),
    ]
    found = [jubilees.as_jubilee(r) for r in jubilees.jubilee_relationships((2027, 2028))]
    assert [(j.year, j.years) for j in found][-1] == (2027, 10)


def test_the_figures_keep_the_jubilees_order_and_a_later_year_asks_the_database(db, today):
    """The published content's figures keep three years' jubilees in the pages' order, so a
    page never sorts every partnership; read in a year they do not hold, the list asks the
    database, with the same result."""
    kind = make_kind()
    for since in ("1987", "2017-05-01", "1977", "1952", "1990", "2026", "1978", "2018"):
        make_relationship(kind=kind, since=since)
    stored = figures.work_out()
    assert set(stored.jubilees) == {2026, 2027, 2028}
    for years in [(2026, 2027), (2027, 2028), (2028, 2029)]:
        listed = jubilees.JubileeList(years, stored)
        expected = list(jubilees.jubilee_relationships(years))
        assert (listed.queryset is None) == (years != (2028, 2029))
        assert listed.count() == len(expected)
        assert [(r.pk, r.jubilee_year) for r in listed[0:100]] == [
            (r.pk, r.jubilee_year) for r in expected
        ]
        assert [r.pk for r in listed[1:3]] == [r.pk for r in expected[1:3]]


@pytest.mark.parametrize("language", ["de", "en", "he"])
def test_the_overview_and_the_partner_page_show_this_and_next_years_jubilees(
    client, demo, today, language
):
    Relationship.objects.filter(partner__slug="warsaw").update(since="1987")
    with translation.override(language):
        text = jubilees.as_jubilee(
            jubilees.jubilee_relationships((2026, 2027)).get(partner__slug="warsaw")
        ).text
    if language == "en":
        assert text == "40 years: Twin city with Warsaw"
    for path in (url("overview", language), url("partner-detail", language, "warsaw")):
        jubilee_list = re.search(r'<ul class="jubilee-list">.*?</ul>', get(client, path), re.S)
        assert jubilee_list, path
        assert '<span class="jubilee-year">2027:</span>' in jubilee_list.group()
        assert text in jubilee_list.group()
    # Two years on, the fortieth is past and the fiftieth ten years away.
    today["value"] = datetime.date(2028, 1, 1)
    assert 'class="jubilee-list"' not in get(client, url("partner-detail", language, "warsaw"))


def test_the_jubilees_page_lists_them_all(client, demo):
    Relationship.objects.filter(partner__slug__in=["warsaw", "haifa"]).update(since="1977")
    html = get(client, url("jubilees", "en"))
    assert "50 years: Twin city with Warsaw" in html
    assert "50 years: Twin city with Haifa" in html


# --- The status you can't miss ---


def test_a_suspended_partnership_says_so_at_the_top_with_date_and_reason(client, demo):
    html = get(client, url("partner-detail", "en", "moscow"))
    banner = re.search(r'<div class="status-banner status-suspended".*?</div>', html, re.S)
    assert banner, "no status banner"
    assert "Twin city with Moscow: suspended since 2022." in banner.group()
    assert "Suspended in February 2022 after the Russian invasion of Ukraine" in banner.group()
    assert html.index("status-banner") < html.index("<h2>Relationships</h2>")
    assert "status-banner" not in get(client, url("partner-detail", "en", "warsaw"))


def test_an_ended_partnership_says_when_it_ended(client, demo):
    relationship = relationship_of("warsaw")
    relationship.status = Relationship.Status.ENDED
    relationship.until = "2030-03-01"
    relationship.save()
    html = get(client, url("partner-detail", "en", "warsaw"))
    assert "Twin city with Warsaw: ended (March 1, 2030)." in html
    Milestone.objects.create(
        relationship=relationship, date="2030", note_en="Council decision", sets_status="ended"
    )
    html = get(client, url("partner-detail", "en", "warsaw"))
    assert "Twin city with Warsaw: ended (2030)." in html and "Council decision" in html


def test_the_directory_filters_by_status_and_the_overview_marks_it(client, demo):
    html = get(client, url("directory", "en") + "?status=suspended")
    assert 'href="/en/partners/moscow/"' in html
    assert 'href="/en/partners/warsaw/"' not in html
    overview = get(client, url("overview", "en"))
    listed = overview[overview.index('<ul class="partner-list">') :]
    moscow = re.search(r'href="/en/partners/moscow/".*?</li>', listed, re.S).group()
    assert 'class="status-badge status-suspended"' in moscow


# --- Open data ---


def read_document(document):
    files.write_current(force=True)
    return json.loads((files.current_edition().path / document.file_name).read_text())


def test_events_associations_and_jubilees_are_in_the_open_data(client, demo, settings):
    settings.CALENDAR_UID_DOMAIN = "example.org"
    association = Association.objects.create(name_de="Verein", name_en="Society")
    association.relationships.add(relationship_of("warsaw"))
    event = make_event(
        relationship_of("warsaw"),
        association=association,
        title_de="Besuch",
        title_en="Visit",
        start_date=datetime.date(2027, 1, 2),
        start_time=datetime.time(9, 30),
    )
    events = read_document(files.EVENTS)["events"]
    row = next(row for row in events if row["id"] == event.pk)
    assert row["partner"] == "warsaw" and row["relationship"] == "twin_city"
    assert (row["title_de"], row["title_en"]) == ("Besuch", "Visit")
    assert row["start"] == "2027-01-02T09:30:00+01:00"
    assert row["uid"] == f"event-{event.pk}@example.org"
    assert row["association"] == association.pk

    associations = read_document(files.ASSOCIATIONS)["associations"]
    row = next(row for row in associations if row["id"] == association.pk)
    assert row["name_en"] == "Society"
    assert row["partnerships"] == [{"partner": "warsaw", "relationship": "twin_city"}]

    jubilee_rows = read_document(files.JUBILEES)["jubilees"]
    warsaw = [row for row in jubilee_rows if row["partner"] == "warsaw"]
    assert [row["years"] for row in warsaw] == list(jubilees.JUBILEE_YEARS)
    assert warsaw[0]["year"] == 1999  # since 1989
    assert not [row for row in jubilee_rows if row["partner"] == "moscow"]  # suspended

    response = client.get("/data/events.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "/data/events.json" in get(client, url("overview", "en"))


# --- Cache, sitemap, hreflang, JSON-LD ---


def test_an_edit_of_an_event_shows_on_the_next_request(client, demo, settings):
    settings.PUBLIC_PAGE_CACHE = True
    event = make_event(relationship_of("warsaw"), title_en="Old title")
    assert "Old title" in get(client, url("events", "en"))
    assert client.get(url("events", "en"))["X-Page-Cache"] == "hit"
    event.title_en = "New title"
    event.save()
    assert "New title" in get(client, url("events", "en"))


@pytest.mark.parametrize("name", ["events", "events-archive", "associations", "jubilees"])
def test_the_new_pages_are_in_the_sitemap_with_hreflang(client, demo, name):
    sitemap = get(client, "/sitemap-pages.xml")
    for language in ("de", "en", "he"):
        assert f"http://testserver{url(name, language)}</loc>" in sitemap
    html = get(client, url(name, "he"))
    assert '<html lang="he" dir="rtl">' in html
    for language in ("de", "en", "he"):
        assert f'hreflang="{language}" href="http://testserver{url(name, language)}"' in html


def test_events_carry_schema_org_event_data(client, demo):
    make_event(relationship_of("warsaw"), title_en="Visit", place_en="Town hall")
    html = get(client, url("events", "en"))
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )
    assert data[0]["@type"] == "Event" and data[0]["name"] == "Visit"
    assert data[0]["location"]["name"] == "Town hall"
    partner = get(client, url("partner-detail", "en", "warsaw"))
    place = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', partner).group(1)
    )
    assert place["@type"] == "Place" and place["event"][0]["name"] == "Visit"


# --- Admin ---


def test_editors_edit_associations_and_events_with_history(client, demo):
    editor = User.objects.create_user("redaktion", password="pw-for-tests-only", is_staff=True)
    editor.groups.add(Group.objects.get(name="Partnership editors"))
    client.force_login(editor)
    event = make_event(relationship_of("warsaw"))
    association = Association.objects.create(name_de="Verein")
    for path in (
        reverse("admin:exchanges_event_changelist"),
        reverse("admin:exchanges_event_add"),
        reverse("admin:exchanges_event_change", args=[event.pk]),
        reverse("admin:exchanges_event_history", args=[event.pk]),
        reverse("admin:exchanges_association_changelist"),
        reverse("admin:exchanges_association_change", args=[association.pk]),
    ):
        assert client.get(path).status_code == 200, path


def test_an_event_cannot_end_before_it_starts(db):
    from django.core.exceptions import ValidationError

    event = Event(
        relationship=make_relationship(),
        title_de="x",
        start_date=datetime.date(2027, 1, 2),
        end_date=datetime.date(2027, 1, 1),
    )
    with pytest.raises(ValidationError):
        event.full_clean()


# --- Query counts: the same with 15 and 2,000 partners ---

# Each HTML page also reads the office's own pages for the navigation (one query).
# The lists of events count and read the events running and those to come (or past) apart,
# each from its own index (views.UpcomingEvents, PastEvents); the jubilees come in the order
# the published content's figures keep (read here as every reader but a version's first does).
QUERIES = {
    "events": 7,  # counts: those running, those to come less unpublished partners'; two lists
    "events-archive": 7,  # the partners to filter by, three counts as above, the page's events
    "events-archive-filtered": 7,
    "associations": 5,
    "jubilees": 4,  # the last change, its figures, the page's jubilees, the navigation
    "events-calendar": 3,  # the events running, to come, and of the last year
    "partner-calendar": 2,
}


@pytest.fixture(params=[15, 2000], ids=["15-partners", "2000-partners"])
def partners(request, demo):
    add_partners(request.param - Partner.objects.count())
    relationships = list(Relationship.objects.order_by("pk")[:60])
    association = Association.objects.create(name_de="Verein")
    association.relationships.set(relationships[:30])
    Event.objects.bulk_create(
        Event(
            relationship=relationship,
            title_de=f"Ereignis {number}",
            start_date=TODAY + datetime.timedelta(days=number - 30),
            association=association,
        )
        for number, relationship in enumerate(relationships)
    )
    return request.param


@pytest.mark.parametrize("page", QUERIES)
def test_new_pages_cost_a_fixed_number_of_queries(
    client, django_assert_num_queries, partners, page, settings
):
    settings.PUBLIC_PAGE_CACHE = False
    figures.for_version(ContentChange.last())
    paths = {
        "events": url("events", "en"),
        "events-archive": url("events-archive", "en"),
        "events-archive-filtered": url("events-archive", "en") + "?partner=warsaw&kind=other",
        "associations": url("associations", "en"),
        "jubilees": url("jubilees", "en"),
        "events-calendar": url("events-calendar", "en"),
        "partner-calendar": url("partner-calendar", "en", "warsaw"),
    }
    with django_assert_num_queries(QUERIES[page]):
        response = client.get(paths[page])
    assert response.status_code == 200


# --- An event's image ---


def test_an_events_image_is_shown_with_its_description_and_needs_one(client, demo):
    from django.core.exceptions import ValidationError

    from tests.test_views import png

    event = make_event(relationship_of("warsaw"), title_en="Photo walk")
    event.image = png("walk.png", (80, 60))
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "image_alt_de" in error.value.error_dict or "image_alt" in str(error.value)
    event.image_alt_en = "People on the old town square"
    event.image_alt_de = "Menschen auf dem Altstadtmarkt"
    event.image_credit = "Photo: Jan Kowalski"
    event.full_clean()
    event.save()
    html = get(client, url("events", "en"))
    img = re.search(r"<img [^>]*>", html.split("<picture>")[1]).group(0)
    assert 'src="/media/events/walk' in img
    assert 'alt="People on the old town square"' in img
    assert "Photo: Jan Kowalski" in html
