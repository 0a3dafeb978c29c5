import re

import pytest
from django.urls import reverse
from django.utils import translation

from partnerships import views
from partnerships.models import Contact, Page, Partner
from partnerships.views import OVERVIEW_SELECTION_SIZE

from .factories import SEED_PARTNERS_EN, bulk_partners, make_kind

pytestmark = pytest.mark.django_db

SEED_PARTNERS_DE = [
    name.replace("Warsaw", "Warschau")
    .replace("Moscow", "Moskau")
    .replace("Chiba Prefecture", "Präfektur Chiba")
    for name in SEED_PARTNERS_EN
]


def overview_url(language):
    with translation.override(language):
        return reverse("partnerships:overview")


@pytest.mark.parametrize("language,names", [("de", SEED_PARTNERS_DE), ("en", SEED_PARTNERS_EN)])
def test_overview_names_every_partner_and_contact(client, demo, language, names):
    response = client.get(overview_url(language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    for name in names:
        assert name in html, name
    for person in Contact.objects.all():
        assert person.name in html
        assert person.phone in html
    assert "Burgplatz 1" in html


def test_overview_shows_the_page_texts_in_the_readers_language(client, demo):
    german = client.get("/de/").content.decode()
    english = client.get("/en/").content.decode()
    assert "Oberbürgermeister Dirk Elbers" in german
    assert "Lord Mayor Dirk Elbers" in english
    assert "Kontakt" in german and "Contact" in english
    assert "Verfügbare Sprachen" in german and "Available languages" in english


def test_overview_lists_partners_per_kind_with_since_years(client, demo):
    html = client.get("/en/").content.decode()
    twin = html.split('id="twin_city"')[1].split("</section>")[0]
    assert "Warsaw</a>, Poland" in twin and "since 1989" in twin
    agenda = html.split('id="agenda21_partnership"')[1].split("</section>")[0]
    assert "Chongqing" in agenda and "Belo Horizonte" in agenda


def test_unpublished_partners_are_not_shown(client, demo):
    Partner.objects.filter(slug="reading").update(is_published=False)
    assert "/en/partners/reading/" not in client.get("/en/").content.decode()


def test_hebrew_page_is_right_to_left_and_falls_back_to_german(client, demo):
    html = client.get("/he/").content.decode()
    assert '<html lang="he" dir="rtl">' in html
    assert "ורשה" in html  # a Hebrew name where one is given
    assert "ראש העיר דירק אלברס" in html  # the demo is whole in Hebrew
    page = Page.objects.get(key="overview")
    page.quote_author_he = ""
    page.save()
    html = client.get("/he/").content.decode()
    assert '<figcaption lang="de" dir="ltr">Oberbürgermeister Dirk Elbers</figcaption>' in html


def test_root_redirects_by_the_browsers_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="he")["Location"] == "/he/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr")["Location"] == "/de/"


def test_language_switcher_links_the_same_page_in_every_language(client, demo):
    html = client.get("/en/partners/warsaw/").content.decode()
    for code in ("de", "he"):
        assert f'href="/{code}/partners/warsaw/" hreflang="{code}"' in html


def test_last_content_change_is_shown(client, demo):
    assert "<time datetime=" in client.get("/en/").content.decode()


def test_overview_queries_do_not_grow_with_partners(
    client, demo, django_assert_num_queries, settings
):
    """The last change, its figures, the kinds, the first partnerships of each of the demo's 5
    kinds, page, office, contacts, the next events (those running, those to come), the
    jubilees, the office's own pages; the first reader of a version the figures were not stored
    for (in a test, every version: its changes are never committed) works them out and stores
    them, in 8 more (3 aggregates and the jubilees' order; a savepoint, the insert, its release;
    the delete of older ones'),
    and the delete reads them first when there are some (the site's post_delete receiver keeps
    Django from deleting them without reading)."""
    settings.PUBLIC_PAGE_CACHE = False  # the view's own queries, not the page cache's
    with django_assert_num_queries(15 + 8):
        client.get("/de/")
    with django_assert_num_queries(15):
        client.get("/de/")
    bulk_partners(500, make_kind("twin_city"))
    with django_assert_num_queries(15 + 9):
        client.get("/de/")
    with django_assert_num_queries(15):
        response = client.get("/de/")
    assert "bulk Stadt 0" in response.content.decode()


def section_of(html, code):
    start = html.index(f'id="{code}"')
    return html[start : html.index("</section>", start)]


def test_a_long_section_lists_a_selection_and_links_to_all_of_its_kind(client, demo):
    """However many partners there are, the overview stays a page one can read (and load)."""
    kind = make_kind("twin_city")
    demo_twin_cities = Partner.objects.filter(relationships__kind=kind).count()
    bulk_partners(200, kind)
    total = demo_twin_cities + 200

    html = client.get("/de/").content.decode()
    section = section_of(html, "twin_city")
    assert section.count("<li") == OVERVIEW_SELECTION_SIZE
    # Alphabetically: "bulk Stadt 0", "bulk Stadt 1", "bulk Stadt 10", ... come first.
    assert "bulk Stadt 0<" in section and "bulk Stadt 10<" in section
    assert "bulk Stadt 106<" in section and "bulk Stadt 107<" not in section
    assert (
        f'<a href="/de/partners/?kind=twin_city">Alle {total} Partnerschaften der Art '
        f"„{kind.name_de}“ im Verzeichnis</a>"
    ) in section
    directory = client.get("/de/partners/?kind=twin_city").content.decode()
    assert f"{total} Partnerschaften" in directory


def test_a_selection_comes_first_in_the_readers_language(client, demo):
    kind = make_kind("twin_city")
    bulk_partners(100, kind, prefix="zz")
    # Last in German ("zz Stadt 98", "zz Stadt 99"), first in English.
    Partner.objects.filter(slug__in=["zz-98", "zz-99"]).update(name_en="Aachen-on-Sea")
    english = section_of(client.get("/en/").content.decode(), "twin_city")
    german = section_of(client.get("/de/").content.decode(), "twin_city")
    assert english.count(">Aachen-on-Sea</a>") == 2
    assert "zz Stadt 98<" not in german and "zz Stadt 99<" not in german
    assert "zz Stadt 0<" in german


def test_a_selection_shows_the_partners_by_country_on_the_map(client, demo):
    """Every partner is counted on the map, by country, with a link to that country's list."""
    kind = make_kind("twin_city")
    bulk_partners(200, kind)  # all in France
    html = client.get("/en/").content.decode()

    partner_count = Partner.objects.count()
    note = re.search(r'<p class="selection-note">(.*?)</p>', html, re.S).group(1)
    assert "the map the number of partners in each country" in note
    assert f"All {partner_count} partners are in the" in note
    assert 'class="map-point"' not in html
    areas = re.findall(
        # Out of the keyboard's order: the list of countries beside the map is the way. Alone or
        # in a group (tests/test_map.py), each country is a link with its name and number, which
        # it shows on hover and focus.
        r'<a href="/en/partners/\?country=(\w\w)" class="map-area" tabindex="-1" '
        r'transform="translate\([\d.]+ [\d.]+\)">'
        r'.*?<text class="map-label" [^>]*>([^<]+)</text></a>',
        html,
    )
    assert len(areas) == len({code for code, _label in areas})  # each country once
    counted = {
        code: (label, re.search(r": ([\d,]+) partners?$", label).group(1)) for code, label in areas
    }
    french = Partner.objects.filter(country="FR").count()
    assert counted["FR"] == (f"France: {french} partners", str(french))
    assert counted["PL"] == ("Poland: 1 partner", "1")
    positioned_countries = set(
        Partner.objects.exclude(latitude=None).values_list("country", flat=True)
    )
    assert set(counted) == {str(code) for code in positioned_countries}
    # The list beside the map names the same countries, with the same numbers.
    listed = re.findall(
        r'<li><a href="/en/partners/\?country=(\w\w)">[^<]+</a> <span class="muted">(\d+)</span>',
        html,
    )
    assert {code: number for code, number in listed} == {
        code: number for code, (_label, number) in counted.items()
    }
    french_partners = client.get("/en/partners/?country=FR").content.decode()
    assert f"{french} partnerships" in french_partners


def test_the_map_draws_the_countries_with_the_most_partners_and_the_list_names_all(
    client, demo, monkeypatch
):
    """A national directory's two hundred countries would outweigh the page: the map draws the
    MAP_COUNTRY_LIMIT with the most partners and says so; the list beside it names every one."""
    monkeypatch.setattr(views, "MAP_COUNTRY_LIMIT", 3)
    kind = make_kind("twin_city")
    bulk_partners(200, kind)  # all in France
    html = client.get("/en/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    drawn = re.findall(r'<a href="/en/partners/\?country=(\w\w)" class="map-area"', svg)
    listed = re.findall(
        r'<li><a href="/en/partners/\?country=(\w\w)">[^<]+</a> <span class="muted">', html
    )
    positioned = Partner.objects.exclude(latitude=None).values_list("country", flat=True)
    assert len(listed) == len(set(positioned)) > 3
    assert len(drawn) == 3 and "FR" in drawn  # France's 200 first
    assert (
        f"The map shows the 3 countries with the most partners; the list beside it names all "
        f"{len(listed)}."
    ) in html


def test_the_overview_stays_under_100_kb_with_partners_in_every_country(client, demo):
    """A national directory's partners in every one of the world's countries: the map draws
    MAP_COUNTRY_LIMIT of them, and the page with its stylesheet and script stays under 100 KB."""
    from django.contrib.staticfiles import finders
    from django_countries import countries

    from partnerships.models import ContentChange, Relationship

    kind = make_kind("twin_city")
    partners = Partner.objects.bulk_create(
        Partner(
            slug=f"every-{code.lower()}",
            name_de=f"Stadt in {code}",
            country=code,
            latitude=(number * 7) % 140 - 55,
            longitude=(number * 13) % 360 - 180,
        )
        for number, (code, _name) in enumerate(countries)
    )
    Relationship.objects.bulk_create(Relationship(partner=p, kind=kind) for p in partners)
    ContentChange.touch()
    for language in ["en", "he"]:
        html = client.get(f"/{language}/").content.decode()
        assert html.count('class="map-area"') == views.MAP_COUNTRY_LIMIT
        loaded = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
        weight = len(html.encode()) + sum(len(open(finders.find(f), "rb").read()) for f in loaded)
        assert weight < 100 * 1024, (language, weight)


def test_short_sections_list_everything_without_a_selection_note(client, demo):
    html = client.get("/de/").content.decode()
    assert "?kind=" not in html
    assert 'class="selection-note"' not in html
    assert 'class="map-area"' not in html
    assert html.count('class="map-point"') == Partner.objects.exclude(latitude=None).count()


def test_large_counts_are_written_with_the_languages_thousands_separator(client, demo):
    """ "Alle 1013 Partner" reads like a year; German writes 1.013, English 1,013."""
    kind = make_kind("twin_city")
    bulk_partners(1000, kind)
    total = Partner.objects.count()
    twin_cities = Partner.objects.filter(relationships__kind=kind).count()
    assert twin_cities > 1000
    german = client.get("/de/").content.decode()
    english = client.get("/en/").content.decode()
    assert f"Alle {twin_cities // 1000}.{twin_cities % 1000:03} Partnerschaften der Art" in german
    assert f"All {total // 1000},{total % 1000:03} partners are in the" in english
    french = Partner.objects.filter(country="FR").count()
    assert f">France: {french:,} partners</text>" in english  # its name on the map
