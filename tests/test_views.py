import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from partnerships import figures
from partnerships import map as world_map
from partnerships.models import ContentChange, Page, Partner, Relationship
from partnerships.views import alphabetical
from tests.bulk import add_partners
from tests.factories import SEED_PARTNERS_EN


def url(name, language, *args, **kwargs):
    with translation.override(language):
        return reverse(f"partnerships:{name}", args=args, kwargs=kwargs)


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


# --- Overview ---


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_overview_names_every_partner_links_to_its_page_and_puts_it_on_the_map(
    client, demo, language
):
    html = get(client, url("overview", language))
    for partner in Partner.objects.all():
        assert f'href="/{language}/partners/{partner.slug}/"' in html
    assert html.count('class="map-point') == Partner.objects.exclude(latitude=None).count() == 13
    assert "/data/partnerships.csv" in html
    assert "/data/partnerships.json" in html
    assert "/data/partners.geojson" in html
    assert "Lilia Scheliga" in html


def test_overview_in_english_shows_english_texts_and_country_names(client, demo):
    html = get(client, url("overview", "en"))
    for name in SEED_PARTNERS_EN:
        assert name in html
    assert "Poland" in html
    assert "(since 1989)" in html
    assert "fallback-note" not in html


def test_overview_in_german_shows_german_names(client, demo):
    html = get(client, url("overview", "de"))
    assert "Warschau" in html
    assert "Polen" in html


@pytest.mark.parametrize(("language", "direction"), [("de", "ltr"), ("en", "ltr"), ("he", "rtl")])
def test_html_element_has_language_and_direction(client, demo, language, direction):
    html = get(client, url("overview", language))
    assert f'<html lang="{language}" dir="{direction}">' in html


def test_a_text_that_falls_back_to_german_says_so_and_carries_its_own_language(client, demo):
    Partner.objects.filter(slug="toulouse").update(name_he="")
    Page.objects.filter(key="overview").update(introduction_he="", quote_he="")
    html = get(client, url("overview", "he"))
    assert '<div class="introduction" lang="de" dir="ltr">' in html
    # One note for the page, before its content.
    assert html.count('class="fallback-note"') == 1
    assert html.index('class="fallback-note"') < html.index("<h1")
    # A partner whose Hebrew name exists is not marked; one without it is.
    assert '<a href="/he/partners/haifa/">חיפה</a>' in html
    assert '<a href="/he/partners/toulouse/" lang="de" dir="ltr">Toulouse</a>' in html


def test_fallback_note_disappears_once_the_text_is_translated(client, demo):
    page = Page.objects.get(key="overview")
    page.introduction_he = "טקסט בעברית"
    page.save()
    html = get(client, url("overview", "he"))
    assert '<div class="introduction">' in html
    assert "טקסט בעברית" in html
    assert "fallback-note" not in html  # the demo is whole in Hebrew


def test_unpublished_partner_is_not_shown(client, demo):
    Partner.objects.filter(slug="warsaw").update(is_published=False)
    html = get(client, url("overview", "en"))
    assert "/en/partners/warsaw/" not in html
    assert client.get(url("partner-detail", "en", "warsaw")).status_code == 404


# --- Partner page ---


def test_partner_page_shows_everything_about_the_partner(client, demo):
    html = get(client, url("partner-detail", "de", "chongqing"))
    assert "<h1>Chongqing</h1>" in html
    assert "China" in html
    assert "Städtepartnerschaft" in html  # the relationship kind, in German
    assert "Agenda" in html  # its second relationship
    assert html.count('class="status-badge status-active"') == 2
    assert 'href="https://www.wikidata.org/wiki/Q11725"' in html
    assert html.count('class="map-point') == 1
    assert 'href="/de/"' in html  # the way back


def test_partner_page_lists_the_timeline_and_the_contact(client, demo):
    from partnerships.models import Contact

    relationship = Relationship.objects.filter(milestones__isnull=False).first()
    relationship.contact = Contact.objects.get(name="Frauke Hausmann")
    relationship.save()
    html = get(client, relationship.partner.get_absolute_url())
    assert relationship.milestones.exists()
    for milestone in relationship.milestones.all():
        assert f'<time datetime="{milestone.date}">' in html
        assert str(milestone.note) in html
    contact_block = html[html.index("relationship-contact") :]
    assert "Frauke Hausmann" in contact_block
    assert "tel:" in contact_block


def test_partner_page_country_is_in_the_readers_language(client, demo):
    assert "Polen" in get(client, url("partner-detail", "de", "warsaw"))
    assert "Poland" in get(client, url("partner-detail", "en", "warsaw"))
    assert "פולין" in get(client, url("partner-detail", "he", "warsaw"))


def test_unknown_partner_is_404(client, demo):
    assert client.get(url("partner-detail", "en", "atlantis")).status_code == 404


def test_language_switcher_keeps_the_reader_on_the_same_page(client, demo):
    html = get(client, url("partner-detail", "de", "warsaw"))
    assert 'href="/en/partners/warsaw/" hreflang="en"' in html
    assert 'href="/he/partners/warsaw/" hreflang="he"' in html
    html = get(client, url("directory", "de") + "?q=War&status=active")
    assert 'href="/en/partners/?q=War&amp;status=active" hreflang="en"' in html


@pytest.mark.parametrize("name", ["overview", "directory", "accessibility", "imprint"])
def test_every_page_links_the_legal_pages(client, demo, name):
    html = get(client, url(name, "en"))
    assert 'href="/en/imprint/"' in html
    assert 'href="/en/accessibility/"' in html


@pytest.mark.parametrize("name", Page.LEGAL_PAGES)
def test_legal_pages_show_their_text_in_every_language(client, demo, name):
    page = Page.objects.get(key=name)
    assert page.title_de in get(client, url(name, "de"))
    assert page.title_en in get(client, url(name, "en"))
    assert f"<h1>{page.title_he}</h1>" in get(client, url(name, "he"))
    # Polish has no page texts yet: German, marked as German, and said so once before them.
    html = get(client, url(name, "pl"))
    assert f'<h1 lang="de" dir="ltr">{page.title_de}</h1>' in html
    assert html.count('class="fallback-note"') == 1
    assert html.index('class="fallback-note"') < html.index("<h1")


# --- Directory ---


def directory(client, language="en", **params):
    response = client.get(url("directory", language), params)
    assert response.status_code == 200
    html = response.content.decode()
    return html, re.findall(rf'href="/{language}/partners/([a-z0-9-]+)/"', html)


def test_directory_lists_every_partnership(client, demo):
    html, slugs = directory(client)
    assert len(slugs) == Relationship.objects.count() == 15
    assert "15 partnerships found" in html


@pytest.mark.parametrize(
    ("language", "query"),
    [("en", "Warschau"), ("de", "Warsaw"), ("he", "warsch"), ("en", "ורשה"), ("de", "WARS")],
)
def test_directory_finds_a_partner_by_its_name_in_any_language(client, demo, language, query):
    Partner.objects.filter(slug="warsaw").update(name_he="ורשה")
    _html, slugs = directory(client, language, q=query)
    assert slugs == ["warsaw"]


def test_directory_filters_by_kind_country_and_status(client, demo):
    _html, slugs = directory(client, kind="agenda21_partnership")
    assert sorted(slugs) == ["belo-horizonte", "chongqing", "mbombela"]
    _html, slugs = directory(client, country="CN")
    assert sorted(slugs) == ["chongqing", "chongqing", "guangzhou", "shenyang"]
    _html, slugs = directory(client, status="suspended")
    assert slugs == ["moscow"]
    _html, slugs = directory(client, country="CN", kind="twin_city")
    assert slugs == ["chongqing"]


def test_directory_country_filter_names_countries_in_the_readers_language(client, demo):
    html, _slugs = directory(client, "de")
    assert '<option value="PL">Polen</option>' in html
    html, _slugs = directory(client, "en")
    assert '<option value="PL">Poland</option>' in html


def test_directory_sorts_by_name_and_by_year(client, demo):
    _html, by_name = directory(client, kind="twin_city")
    assert by_name == ["chiba", "chongqing", "haifa", "moscow", "reading", "warsaw"]
    _html, by_name_desc = directory(client, kind="twin_city", sort="-name")
    assert by_name_desc == list(reversed(by_name))
    _html, by_year = directory(client, kind="twin_city", sort="year")
    years = [
        Relationship.objects.get(partner__slug=slug, kind__code="twin_city").since[:4]
        for slug in by_year
    ]
    assert years == sorted(years)
    _html, by_year_desc = directory(client, kind="twin_city", sort="-year")
    assert by_year_desc[0] == "chiba"


def test_directory_sorts_by_the_name_in_the_readers_language(client, demo):
    Partner.objects.filter(slug="moscow").update(name_de="Aaa-Moskau")
    _html, slugs = directory(client, "de", kind="twin_city")
    assert slugs[0] == "moscow"
    _html, slugs = directory(client, "en", kind="twin_city")
    assert slugs[0] == "chiba"


def test_directory_reports_a_bad_filter_and_still_applies_the_good_ones(client, demo):
    html, slugs = directory(client, kind="no-such-kind", q="Warsaw")
    assert slugs == ["warsaw"]
    assert "Select a valid choice" in html
    assert 'role="alert"' in html


def test_directory_without_results_says_so(client, demo):
    html, slugs = directory(client, q="Atlantis")
    assert slugs == []
    assert "No partnership matches these filters." in html


def test_directory_paginates_and_keeps_the_filters_in_its_links(client, demo):
    add_partners(120)
    html, slugs = directory(client, status="active")
    assert len(slugs) == 50
    assert 'href="?status=active&amp;page=2" rel="next"' in html
    html2, slugs2 = directory(client, status="active", page="2")
    assert not set(slugs) & set(slugs2)
    assert "page 2 of" in html2
    # Past the end: the last page, under its own address (not one page cached per number).
    response = client.get(url("directory", "en"), {"status": "active", "page": "999"})
    assert response.status_code == 302
    assert response["Location"] == "/en/partners/?status=active&page=2"
    assert client.get(response["Location"]).status_code == 200


def test_directory_works_without_javascript(client, demo):
    html, _slugs = directory(client)
    assert '<form class="filters" method="get" action="/en/partners/"' in html
    assert "<script" not in html


# --- Map ---


def test_map_outline_file_matches_the_projection():
    svg = Path(settings.BASE_DIR, "static", world_map.LAND_OUTLINE).read_text()
    assert f'viewBox="0 0 {world_map.WIDTH} {world_map.HEIGHT}"' in svg
    assert "Natural Earth" in svg


def test_map_projection_places_known_points():
    assert world_map.project(0, 0) == (500.0, round(84 * world_map.SCALE, 1))
    assert world_map.project(84, -180) == (0.0, 0.0)
    # Below the map's southern edge: on the edge, not outside the picture.
    assert world_map.project(-80, 180)[1] == pytest.approx(world_map.HEIGHT, abs=0.5)


def test_map_points_link_to_partners_with_their_names(client, demo):
    html = get(client, url("overview", "en"))
    # Out of the keyboard's order (the list beside the map is the way), each with its name.
    assert re.search(
        r'<a href="/en/partners/warsaw/" class="map-point" aria-label="Warsaw, Poland" '
        r'tabindex="-1"><circle class="map-target" cx="\d+\.\d" cy="\d+\.\d" r="\d+"/>'
        r'<circle class="map-dot" [^>]*/><text class="map-label" [^>]*>Warsaw</text></a>',
        html,
    )


def test_map_coordinates_are_not_localised(client, demo):
    # German formats decimals with a comma, which SVG would not understand.
    html = get(client, url("overview", "de"))
    assert not re.search(r'c[xy]="\d+,\d', html)


# --- Nothing from another host, nothing inline that a CSP would block ---

PAGES = [
    ("overview", ()),
    ("directory", ()),
    ("partner-detail", ("warsaw",)),
    ("accessibility", ()),
    ("imprint", ()),
    ("privacy", ()),
    ("easy-language", ()),
    ("sign-language", ()),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_pages_load_nothing_from_another_host_and_have_no_inline_code(client, demo, name, args):
    html = get(client, url(name, "he", *args))
    resources = re.findall(r"<(?:img|script|link|image|source|iframe)\b[^>]*>", html)
    for tag in resources:
        if tag.startswith("<link") and 'rel="stylesheet"' not in tag:
            continue  # canonical and alternates are addresses, not loads
        assert "//" not in tag, tag
    assert "style=" not in html
    assert not re.search(r"<\w[^>]*\son[a-z]+=", html)
    # Structured data, and on the overview the map's aid for the eye (static/js/map-focus.js),
    # a file from this site: nothing the page needs to be used.
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all(
        tag
        in ('<script type="application/ld+json">', '<script src="/static/js/map-focus.js" defer>')
        for tag in scripts
    ), scripts


# --- Query counts: fixed, whatever the number of partners ---

# Every page's count includes the office's pages in its navigation (one query); the sitemap's
# index counts its pages section, which lists the office's pages too.
QUERIES = {
    # With the next events and this year's and next year's jubilees (partnerships/exchanges/),
    # and on every page the office's own pages for the navigation.
    "overview": 15,
    "directory": 5,
    "directory-filtered": 6,
    # With its next events, its past ones on the timeline and its associations.
    "partner-detail": 8,
    "accessibility": 5,  # the page, the statement, its parts, the last change, the navigation
    "imprint": 4,  # the page, the imprint's facts, the last change, the navigation
    "privacy": 3,
    "easy-language": 3,
    "sign-language": 4,  # the page, the video, the last change, the navigation
    "sitemap": 6,
    "sitemap-partners": 2,
    "office-page": 3,
}


@pytest.fixture(params=[15, 2000], ids=["15-partners", "2000-partners"])
def partners(request, demo):
    add_partners(request.param - Partner.objects.count())
    assert Partner.objects.count() == request.param
    return request.param


@pytest.mark.parametrize("page", QUERIES)
def test_public_pages_cost_a_fixed_number_of_queries(
    client, django_assert_num_queries, partners, page, settings
):
    # The views' own queries; a page-cache hit costs one query (tests/test_caching.py).
    settings.PUBLIC_PAGE_CACHE = False
    # What every reader but the version's first finds: its figures, stored (tests/test_overview.py).
    figures.for_version(ContentChange.last())
    paths = {
        "overview": url("overview", "en"),
        "directory": url("directory", "en"),
        "directory-filtered": url("directory", "en") + "?q=war&kind=twin_city&sort=-year",
        "partner-detail": url("partner-detail", "en", "chongqing"),
        "accessibility": url("accessibility", "en"),
        "imprint": url("imprint", "en"),
        "privacy": url("privacy", "en"),
        "easy-language": url("easy-language", "en"),
        "sign-language": url("sign-language", "en"),
        "sitemap": "/sitemap.xml",
        "sitemap-partners": "/sitemap-partners.xml",
        "office-page": url("office-page", "en", "exchange-funding"),
    }
    with django_assert_num_queries(QUERIES[page]):
        response = client.get(paths[page])
    assert response.status_code == 200


# --- Images: one include renders them all ---


def png(name="photo.png", size=(40, 30)):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, "steelblue").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_partner_image_has_its_description_size_and_credit(client, demo):
    partner = Partner.objects.get(slug="warsaw")
    partner.image = png("warsaw.png", (80, 60))
    partner.image_alt_en = "The old town market square"
    partner.image_credit = "Photo: Jan Kowalski"
    partner.image_licence = "CC BY-SA 4.0"
    partner.save()
    html = get(client, url("partner-detail", "en", "warsaw"))
    img = re.search(r"<img [^>]*>", html.split("<picture>")[1]).group(0)
    assert 'src="/media/partners/warsaw' in img
    assert 'width="80" height="60"' in img
    assert 'alt="The old town market square"' in img
    assert "Photo: Jan Kowalski" in html and "Licence: CC BY-SA 4.0" in html


def test_contact_photo_is_shown_with_its_description(
    client, demo, django_capture_on_commit_callbacks
):
    from partnerships.models import Contact

    person = Contact.objects.get(name="Lilia Scheliga")
    person.photo = png()
    person.photo_alt_en = "Lilia Scheliga at her desk"
    with django_capture_on_commit_callbacks(execute=True):
        person.save()  # and the background task makes its renditions
    html = get(client, url("overview", "en"))
    assert re.search(
        r'<img src="/media/contacts/[^"]+" srcset="[^"]+" sizes="[^"]+" '
        r'width="40" height="30" alt="Lilia',
        html,
    )
    assert 'loading="lazy"' in html


def test_unknown_address_gets_a_helpful_page_in_the_readers_language(client, demo):
    response = client.get("/en/partners/atlantis/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="/en/partners/"' in html
    assert '<html lang="en" dir="ltr">' in html


def test_server_error_page_needs_no_database(db, rf, django_assert_num_queries):
    from django.views.defaults import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/en/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_partner_map_shows_the_region_around_the_partner():
    whole = world_map.view_box()
    assert whole == f"0 0 {world_map.WIDTH} {world_map.HEIGHT}"
    x, y = world_map.project(52.23, 21.01)  # Warsaw
    left, top, width, height = map(
        float, world_map.view_box(world_map.MapPoint(None, x, y)).split()
    )
    assert left < x < left + width and top < y < top + height
    assert width < world_map.WIDTH
    # Near the edge the region stays inside the map.
    left, top, width, height = map(
        float, world_map.view_box(world_map.MapPoint(None, 1, 1)).split()
    )
    assert (left, top) == (0, 0)


def test_names_sort_as_readers_expect_not_by_code_point():
    names = ["Zürich", "Łódź", "Århus", "Ägypten", "Österreich", "Oslo", "Albanien", "Næstved"]
    assert sorted(names, key=alphabetical) == [
        "Ägypten",
        "Albanien",
        "Århus",
        "Łódź",
        "Næstved",
        "Oslo",
        "Österreich",
        "Zürich",
    ]


def test_the_country_filter_lists_egypt_with_the_a(client, demo):
    Partner.objects.filter(slug="warsaw").update(country="EG")
    html = client.get("/de/partners/").content.decode()
    select = html[
        html.index('<select name="country"') : html.index(
            "</select>", html.index('<select name="country"')
        )
    ]
    names = re.findall(r'<option value="[A-Z]{2}">([^<]+)</option>', select)
    assert names[0] == "Ägypten"  # by code point it came after "Südafrika"
    assert names == sorted(names, key=alphabetical)


@pytest.mark.parametrize("unpublished", [0, 3])
def test_the_unfiltered_directory_counts_every_published_partnership(client, demo, unpublished):
    """Its count is every partnership less the unpublished partners' (partnerships/figures.py):
    the same."""
    for partner in Partner.objects.order_by("slug")[:unpublished]:
        partner.is_published = False
        partner.save()
    published = Relationship.objects.filter(partner__is_published=True).count()
    assert (published < Relationship.objects.count()) == bool(unpublished)

    assert figures.work_out().partnership_count == published
    html = client.get("/en/partners/").content.decode()
    assert f"{published} partnerships found" in html
