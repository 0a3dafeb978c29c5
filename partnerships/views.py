import math

from django import forms
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from modeltranslation.utils import build_localized_fieldname

from . import figures as published_figures
from . import map as world_map
from . import open_data, search
from .country_names import country_name, named_country
from .exchanges import views as exchanges
from .fallbacks import FallbackNote, association_parts, event_parts, text_in_its_language
from .models import (
    AccessibilityStatement,
    ContentChange,
    Imprint,
    Office,
    OfficePage,
    Page,
    Partner,
    Relationship,
    RelationshipKind,
    SignLanguageVideo,
)
from .search import alphabetical
from .text import html_message

DIRECTORY_PAGE_SIZE = 50


# The most partners a section of the overview lists. More than any German city has in one kind
# (Cologne: 24 twin cities); beyond it, a list would bury the page, and the section links to the
# directory, filtered to its kind, for all of them.
OVERVIEW_SECTION_LIMIT = 30
# What a longer section lists: its first partners, and a link to the directory for every one.
OVERVIEW_SELECTION_SIZE = 10
# The countries the overview's map draws, those with the most partners: a national directory's
# partners live in up to some two hundred countries, a map of which would outweigh the page
# (some 400 bytes each, with its name, its number and its place in a group). The list beside
# the map names every one.
MAP_COUNTRY_LIMIT = 50


# The long texts of a partner, which the overview's lists do not show: not read for them.
PARTNER_TEXTS_NOT_ON_THE_OVERVIEW = [
    f"partner__{field}"
    for field in ["description"]
    + [build_localized_fieldname("description", code) for code, _name in settings.LANGUAGES]
]


def overview_sections(figures):
    """The kinds with published partnerships, each with its count and its first partnerships.

    A kind of at most OVERVIEW_SECTION_LIMIT partnerships is listed whole; a longer one lists
    its first OVERVIEW_SELECTION_SIZE (by name in the reader's language and its collation) and
    links to the directory for all of them. The kinds in one query, their counts from the
    published content's `figures`, and each list in one small query per kind, which reads no
    more rows than it lists, from the name's sort index (search.sort_name).

    Each list is then in the order `alphabetical` gives, which the database's collation agrees
    with for the first ones of a longer kind (Ägypten with the A's).
    """
    sections = []
    for kind in RelationshipKind.objects.all():
        kind.published_count = figures.partnerships_per_kind.get(kind.pk, 0)
        if kind.published_count:
            sections.append(kind)
    name_here = search.sort_name(get_language(), connection.vendor, via="partner__")
    # One object per partner, shared by its sections and the map.
    partners = {}
    for kind in sections:
        whole = kind.published_count <= OVERVIEW_SECTION_LIMIT
        first_ones = (
            kind.relationships.filter(partner__is_published=True)
            .select_related("partner")
            .defer(*PARTNER_TEXTS_NOT_ON_THE_OVERVIEW)
            .order_by(name_here, "pk")[
                : OVERVIEW_SECTION_LIMIT if whole else OVERVIEW_SELECTION_SIZE
            ]
        )
        kind.listed_relationships = []
        for relationship in first_ones:
            partner = partners.setdefault(relationship.partner_id, relationship.partner)
            relationship.partner = partner
            relationship.kind = kind
            kind.listed_relationships.append(relationship)
        kind.listed_relationships.sort(key=lambda rel: alphabetical(rel.partner.name))
        kind.is_selection = kind.published_count > len(kind.listed_relationships)
    return sections, partners


def overview_countries(figures):
    """Every country with published partners (from the published content's `figures`): their
    number and their mean position, in the order of the countries' names."""
    found = [
        world_map.PartnersInCountry(
            named_country(country.code), country.partner_count, country.latitude, country.longitude
        )
        for country in figures.countries
    ]
    return sorted(found, key=lambda country: alphabetical(country.country.name))


def overview(request):
    """The international-relations page: one section per kind, each listing its partners.

    Its number of queries is fixed, however many partners there are (one more per kind), and so
    is its size: each section lists at most OVERVIEW_SECTION_LIMIT partners, and when that is a
    selection, the map counts the partners by country instead of showing each (partnerships/map.py).
    """
    last_change = ContentChange.last()
    figures = published_figures.for_version(last_change)
    sections, listed = overview_sections(figures)
    countries_on_map = overview_countries(figures)
    partner_count = sum(country.partner_count for country in countries_on_map)
    all_listed = not any(kind.is_selection for kind in sections)
    if all_listed:
        # The map shows the partners the page lists, so that its points and its list agree.
        on_map = sorted(listed.values(), key=lambda partner: alphabetical(partner.name))
        map_data = map_context(world_map.map_points(on_map))
    else:
        map_data = map_context([], areas=world_map.country_areas(countries_on_map))
    page = Page.objects.filter(key=Page.Key.OVERVIEW).first()
    office = Office.objects.prefetch_related("contacts").first()
    title = page.title if page else gettext("International relations")
    added = exchanges.overview_context(figures)
    note = overview_fallback_note(page, sections, listed.values(), office)
    event_parts(note, added["upcoming_events"])
    return render(
        request,
        "partnerships/overview.html",
        {
            "fallback_note": note,
            "page": page,
            "sections": sections,
            "partner_count": partner_count,
            "all_listed": all_listed,
            "office": office,
            "map": map_data,
            "last_change": last_change,
            "title": title,
            "description": page.meta_description if page else "",
            "jsonld": office_jsonld(request, office, title),
            "open_data_licence": open_data.licence(),
            **added,
        },
    )


def page_fallback_parts(note, page):
    """The parts of a page text (Page) that a page shows, for its fallback note."""
    if page is None:
        return
    note.add(gettext("the title"), (page, "title"), (page, "subtitle"))
    note.add(gettext("the introduction"), (page, "introduction"))
    note.add(gettext("the quote"), (page, "quote"), (page, "quote_author"))
    note.add(gettext("the text"), (page, "body"))


def office_fallback_parts(note, office):
    if office is not None:
        note.add(
            gettext("the contact"),
            (office, "name"),
            *[(person, "role") for person in office.contacts.all()],
        )


def section_label(kind, heading):
    """A section of a page named by its heading, in the heading's own language."""
    return html_message(gettext("the section “%(name)s”"), name=text_in_its_language(kind, heading))


def overview_fallback_note(page, sections, partners, office):
    note = FallbackNote()
    page_fallback_parts(note, page)
    for kind in sections:
        heading = "section_title" if kind.section_title else "name"
        note.add(
            section_label(kind, heading),
            (kind, heading),
            (kind, "section_text"),
        )
    note.add(gettext("names of partners"), *[(partner, "name") for partner in partners])
    office_fallback_parts(note, office)
    return note


def partner_fallback_note(partner, relationships, events=(), associations=()):
    note = FallbackNote()
    note.add(gettext("the name"), (partner, "name"))
    note.add(gettext("the description"), (partner, "description"))
    note.add(gettext("the image description"), (partner, "image_alt"))
    for relationship in relationships:
        kind = relationship.kind
        note.add(
            section_label(kind, "name"),
            (kind, "name"),
            (relationship, "summary"),
            *[(milestone, "note") for milestone in relationship.milestones.all()],
            (relationship.contact, "role"),
        )
    event_parts(note, events)
    association_parts(note, associations)
    return note


def directory_fallback_note(relationships, kinds):
    note = FallbackNote()
    note.add(gettext("names of partners"), *[(rel.partner, "name") for rel in relationships])
    note.add(gettext("kinds of relationship"), *[(kind, "name") for kind in kinds])
    return note


def partner_detail(request, slug):
    partner = get_object_or_404(Partner.objects.published().with_relationships(), slug=slug)
    relationships = list(partner.relationships.all())
    description = ", ".join(
        [str(partner.name), str(partner.get_kind_display()), partner.country.name]
        + [f"{rel.kind.name} ({rel.get_status_display()})" for rel in relationships]
    )
    added = exchanges.partner_context(partner, relationships)
    jsonld = partner_jsonld(request, partner)
    if added["upcoming_events"]:
        # schema.org: a Place's upcoming events.
        jsonld["event"] = [
            exchanges.event_jsonld(request, event, nested=True)
            for event in added["upcoming_events"]
        ]
    return render(
        request,
        "partnerships/partner_detail.html",
        {
            "fallback_note": partner_fallback_note(
                partner,
                relationships,
                events=[
                    *added["upcoming_events"],
                    *[e.event for e in added["timeline"] if e.event],
                ],
                associations=added["associations"],
            ),
            "partner": partner,
            "relationships": relationships,
            "map": map_context(world_map.map_points([partner]), highlight=partner),
            "last_change": ContentChange.last(),
            "title": gettext("%(partner)s – International relations") % {"partner": partner.name},
            "description": description,
            "jsonld": jsonld,
            **added,
        },
    )


def page_facts(key):
    """What a page is built from besides its texts: a template, and its context."""
    if key == Page.Key.ACCESSIBILITY:
        statement = AccessibilityStatement.objects.prefetch_related("parts").first()
        return "partnerships/accessibility.html", {"statement": statement}
    if key == Page.Key.IMPRINT:
        return "partnerships/imprint.html", {"imprint": Imprint.objects.first()}
    if key == Page.Key.SIGN_LANGUAGE:
        return "partnerships/sign_language.html", {"video": SignLanguageVideo.objects.first()}
    if key == Page.Key.PRIVACY:
        return "partnerships/privacy.html", {
            # The form's reports are deleted after this many days (the feedback app's setting).
            "feedback_retention_days": getattr(settings, "FEEDBACK_RETENTION_DAYS", 90),
            "session_days": settings.SESSION_COOKIE_AGE // (24 * 60 * 60),
        }
    return "partnerships/page.html", {}


def facts_fallback_parts(note, facts):
    """The translated facts a legal page is built from, for its fallback note."""
    if statement := facts.get("statement"):
        note.add(
            gettext("the statement's details"),
            *[
                (statement, name)
                for name in ("method_details", "arbitration_body", "arbitration_address")
            ],
            *[
                (part, name)
                for part in statement.parts.all()
                for name in ("description", "explanation", "alternative")
            ],
        )
    if imprint := facts.get("imprint"):
        note.add(
            gettext("the imprint's details"),
            *[
                (imprint, name)
                for name in (
                    "publisher",
                    "legal_form",
                    "representative",
                    "department",
                    "supervisory_authority",
                    "supervisory_address",
                    "responsible_for_content",
                )
            ],
        )


def legal_page(request, key):
    # Every page's footer links the fixed pages, so one whose texts nobody has written yet (a new
    # installation without the demo, or a page that a later version added to an existing one) is
    # shown under its name, with what it is built from (the statement's facts, the privacy
    # statement's periods), instead of a 404.
    page = Page.objects.filter(key=key).first() or Page(key=key, title=str(Page.Key(key).label))
    template, facts = page_facts(key)
    note = FallbackNote()
    page_fallback_parts(note, page)
    facts_fallback_parts(note, facts)
    return render(
        request,
        template,
        {
            "fallback_note": note,
            "page": page,
            "last_change": ContentChange.last(),
            "title": page.title,
            "description": page.meta_description or page.title,
            **facts,
        },
    )


def office_page(request, slug):
    """One of the office's own pages, in the reader's language (German where not translated)."""
    page = get_object_or_404(OfficePage.objects.published(), slug=slug)
    note = FallbackNote()
    note.add(gettext("the title"), (page, "title"))
    note.add(gettext("the text"), (page, "body"), (page, "image_alt"))
    return render(
        request,
        "partnerships/office_page.html",
        {
            "fallback_note": note,
            "page": page,
            "last_change": ContentChange.last(),
            "title": page.title,
            "description": page.meta_description or page.title,
            "jsonld": office_page_jsonld(request, page),
        },
    )


class DirectoryForm(forms.Form):
    """The directory's filters: a plain GET form, so every filtered view has its own address."""

    # Every parameter the directory reads, in the order of its canonical address; the page cache
    # ignores any other (partnerships/cache_keys.py).
    PARAMETERS = ("q", "kind", "country", "status", "sort", "page")
    DEFAULT_SORT = "name"
    SORTS = {
        "name": ("sort_name", "since"),
        "-name": ("-sort_name", "since"),
        "year": ("since", "sort_name"),
        "-year": ("-since", "sort_name"),
    }

    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind of relationship"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("all"))] + list(Relationship.Status.choices),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("name (A–Z)")),
            ("-name", _("name (Z–A)")),
            ("year", _("year (oldest first)")),
            ("-year", _("year (newest first)")),
        ],
    )

    def __init__(self, *args, kinds, country_codes, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["kind"].choices = [("", _("all"))] + [(k.code, k.name) for k in kinds]
        named = sorted(
            ((code, country_name(code)) for code in country_codes),
            key=lambda item: alphabetical(item[1]),
        )
        self.fields["country"].choices = [("", _("all"))] + named

    def filter(self, relationships):
        # An invalid value (a stale `kind` in a shared link) is reported and ignored, while the
        # valid ones still apply: Django keeps only those in cleaned_data.
        self.is_valid()
        data = self.cleaned_data
        ranking = ()
        if query := data.get("q", "").strip():
            relationships = search.search(relationships, query, via="partner__")
            ranking = search.RANKING
        if data.get("kind"):
            relationships = relationships.filter(kind__code=data["kind"])
        if data.get("country"):
            relationships = relationships.filter(partner__country=data["country"])
        if data.get("status"):
            relationships = relationships.filter(status=data["status"])
        # A search's best matches first, each rank in the chosen order.
        order = self.SORTS[data.get("sort") or self.DEFAULT_SORT]
        return relationships.order_by(*ranking, *order, "pk")

    def summary(self):
        """The applied filters in words, so that a filtered view has its own title."""
        data = self.cleaned_data
        parts = [f"“{data['q'].strip()}”"] if data.get("q", "").strip() else []
        for name in ("kind", "country", "status"):
            if data.get(name):
                parts.append(str(dict(self.fields[name].choices)[data[name]]))
        return ", ".join(parts)

    @classmethod
    def canonical_query(cls, data):
        """The query that shows the same page as `data`, so that equivalent addresses share one.

        Only the directory's own parameters, in a fixed order, each once with the value the page
        reads (a repeated one's last, as QueryDict.get), the search without surrounding spaces,
        and neither empty values nor defaults (sort by name, the first page). Any other value is
        kept, even an invalid one: the page reports it (see filter()), so it is not the page
        without it.
        """
        query = QueryDict(mutable=True)
        for name in cls.PARAMETERS:
            value = data.get(name, "")
            if name == "q":
                value = value.strip()
            elif name == "page":
                value = canonical_page_number(value)
            if value and not (name == "sort" and value == cls.DEFAULT_SORT):
                query[name] = value
        return query


def canonical_page_number(value):
    """A page number as Paginator reads it ("03" is 3, "x" the first page), "" for the first."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return ""
    return "" if number == 1 else str(number)


class CountedPaginator(Paginator):
    """A paginator whose number of objects comes from `count_objects()` instead of a COUNT(*)."""

    def __init__(self, object_list, per_page, count_objects):
        super().__init__(object_list, per_page)
        self.count_objects = count_objects

    @cached_property
    def count(self):
        return self.count_objects()


def directory(request):
    """Every published partnership, filtered, searched in every language, sorted, paginated."""
    kinds = list(RelationshipKind.objects.all())
    last_change = ContentChange.last()
    figures = published_figures.for_version(last_change)
    # The countries with published partners; a partner without a partnership is rare, and its
    # country's filter then shows "none".
    country_codes = [country.code for country in figures.countries]
    form = DirectoryForm(request.GET, kinds=kinds, country_codes=country_codes)
    relationships = (
        Relationship.objects.filter(partner__is_published=True)
        .select_related("partner", "kind")
        # The name the reader sees, in their language's order (partnerships/search.py).
        .annotate(sort_name=search.sort_name(get_language(), connection.vendor, via="partner__"))
    )
    listed = form.filter(relationships)
    if any(form.cleaned_data.get(name) for name in ("q", "kind", "country", "status")):
        paginator = Paginator(listed, DIRECTORY_PAGE_SIZE)
    else:
        paginator = CountedPaginator(listed, DIRECTORY_PAGE_SIZE, lambda: figures.partnership_count)
    page_obj = paginator.get_page(request.GET.get("page"))
    query = DirectoryForm.canonical_query(request.GET)
    if page_obj.number != int(query.get("page", 1)):
        # Past the end (or below 1) the paginator shows the last page: under its own address, so
        # that `page=1000`, `page=1001`... are not each a page of their own in the page cache.
        query.pop("page", None)
        if page_obj.number > 1:
            query["page"] = str(page_obj.number)
        return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
    query.pop("page", None)
    title = gettext("Directory of partnerships")
    if summary := form.summary():
        title = f"{title}: {summary}"
    if page_obj.number > 1:
        title = gettext("%(title)s – page %(number)s") % {"title": title, "number": page_obj.number}
    response = render(
        request,
        "partnerships/directory.html",
        {
            "fallback_note": directory_fallback_note(page_obj.object_list, kinds),
            "form": form,
            "page_obj": page_obj,
            "filtered": any(form.data.get(name) for name in ("q", "kind", "country", "status")),
            "query": query.urlencode(),
            "last_change": last_change,
            "title": title,
            "description": gettext(
                "All partner cities and regions, searchable by name, kind, country and status."
            ),
        },
    )
    if form.errors:
        # The page reports the invalid value itself, so every value would be a page of its own:
        # no cache may keep it (the page cache honours no-store, and so do browsers and CDNs).
        patch_cache_control(response, no_store=True)
    return response


def home_position():
    """The city's own position (settings.CITY_LATITUDE/LONGITUDE), or None where not set."""
    latitude, longitude = settings.CITY_LATITUDE, settings.CITY_LONGITUDE
    if math.isnan(latitude) or math.isnan(longitude):
        return None
    return latitude, longitude


def map_context(points, highlight=None, areas=()):
    """What templates/includes/_map.html draws: the points laid out so that each is a target
    of at least 24 CSS px and none hides another (partnerships/map.py), the home city with its
    arcs, or a circle per country (`areas`, listed beside the map: the MAP_COUNTRY_LIMIT with
    the most partners drawn, single or in groups, laid out likewise)."""
    here = home_position()
    home = world_map.home(settings.CITY_NAME, *here) if here else None
    drawn = sorted(areas, key=lambda area: -area.partner_count)[:MAP_COUNTRY_LIMIT]
    if highlight:
        view_box = world_map.view_box(points[0] if points else None)
        left, top, width, _height = (float(part) for part in view_box.split())
        target_radius = world_map.REGION_TARGET_RADIUS
        laid_out = [world_map.single(p, target_radius, width, left, top) for p in points]
    else:
        view_box = world_map.view_box()
        laid_out = world_map.group_points(points)
        target_radius = world_map.WORLD_TARGET_RADIUS
    return {
        "points": points,
        "laid_out": laid_out,
        "target_radius": target_radius,
        "dot_radius": round(target_radius * 0.4, 1),
        "home": home,
        "arcs": world_map.arcs(here, [point.partner for point in points]),
        "areas": areas,  # in the list beside the map, in the order given
        "area_layout": world_map.group_areas(drawn),
        "areas_drawn": len(drawn),
        "areas_not_drawn": len(areas) - len(drawn),
        "width": world_map.WIDTH,
        "height": world_map.HEIGHT,
        "view_box": view_box,
        "land": world_map.LAND_OUTLINE,
        "highlight": highlight,
    }


def office_jsonld(request, office, title):
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "url": request.build_absolute_uri(reverse("partnerships:overview")),
        "name": office.name if office else title,
        "areaServed": settings.CITY_NAME,
    }
    if office:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": office.street,
            "postalCode": office.postal_code,
            "addressLocality": office.city,
            "addressCountry": "DE",
        }
        if office.phone:
            data["telephone"] = office.phone
        if office.email:
            data["email"] = office.email
    return data


def office_page_jsonld(request, page):
    data = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "name": page.title,
        "url": request.build_absolute_uri(page.get_absolute_url()),
        "inLanguage": get_language(),
        "dateModified": page.updated,
        "isPartOf": {
            "@type": "WebSite",
            "url": request.build_absolute_uri(reverse("partnerships:overview")),
        },
    }
    if page.meta_description:
        data["description"] = page.meta_description
    return data


def partner_jsonld(request, partner):
    data = {
        "@context": "https://schema.org",
        "@type": "Place",
        "name": partner.name,
        "url": request.build_absolute_uri(partner.get_absolute_url()),
        "address": {"@type": "PostalAddress", "addressCountry": partner.country.code},
    }
    if partner.region:
        data["address"]["addressRegion"] = partner.region
    if partner.has_position:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(partner.latitude),
            "longitude": float(partner.longitude),
        }
    if partner.wikidata_id:
        data["sameAs"] = f"https://www.wikidata.org/wiki/{partner.wikidata_id}"
    return data


@require_safe
def favicon_ico(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the page links: the icon
    from the static files, under its current (hashed) name. Not permanent: that name changes
    with the icon."""
    response = redirect(staticfiles_storage.url("icons/favicon.ico"))
    patch_cache_control(response, public=True, max_age=86400)
    return response


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
