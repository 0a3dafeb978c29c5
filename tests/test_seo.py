import json
import re
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from partnerships.models import OfficePage, Page, Partner
from partnerships.sitemaps import PartnerSitemap

from .bulk import copy_partners

# Every configured language, however many: none is assumed.
LANGUAGES = [code for code, _name in settings.LANGUAGES]
PAGES = [
    ("overview", ()),
    ("directory", ()),
    ("partner-detail", ("warsaw",)),
    ("partner-detail", ("chongqing",)),
    ("accessibility", ()),
    ("imprint", ()),
    ("privacy", ()),
    ("easy-language", ()),
    ("sign-language", ()),
]


def url(name, language, *args):
    with translation.override(language):
        return reverse(f"partnerships:{name}", args=args)


def head(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    return html[: html.index("</head>")]


def meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return match and match.group(1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_its_own_title_and_description(client, demo, language):
    titles, descriptions = set(), set()
    for name, args in PAGES:
        html = head(client, url(name, language, *args))
        title = re.search(r"<title>([^<]+)</title>", html).group(1).strip()
        description = meta(html, "name", "description")
        assert title and description, name
        titles.add(title)
        descriptions.add(description)
    assert len(titles) == len(descriptions) == len(PAGES)


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_head_has_canonical_hreflang_alternates_and_opengraph(client, demo, name, args):
    path = url(name, "en", *args)
    html = head(client, path)
    assert f'<link rel="canonical" href="http://testserver{path}">' in html
    for language in LANGUAGES:
        alternate = f"http://testserver{url(name, language, *args)}"
        assert f'<link rel="alternate" hreflang="{language}" href="{alternate}">' in html
    x_default = f"http://testserver{url(name, 'de', *args)}"
    assert f'<link rel="alternate" hreflang="x-default" href="{x_default}">' in html
    assert meta(html, "property", "og:url") == f"http://testserver{path}"
    assert meta(html, "property", "og:title")
    assert meta(html, "property", "og:description")
    assert meta(html, "property", "og:locale") == "en"


def jsonld(client, path):
    html = head(client, path)
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_overview_describes_the_office_as_a_government_organization(client, demo):
    data = jsonld(client, url("overview", "en"))
    assert data["@type"] == "GovernmentOrganization"
    assert data["url"] == "http://testserver/en/"
    assert data["address"]["postalCode"] == "40213"


def test_partner_is_a_place_with_its_wikidata_entity(client, demo):
    data = jsonld(client, url("partner-detail", "en", "warsaw"))
    assert data["@type"] == "Place"
    assert data["name"] == "Warsaw"
    assert data["sameAs"] == "https://www.wikidata.org/wiki/Q270"
    assert data["address"]["addressCountry"] == "PL"
    assert data["geo"]["latitude"] == pytest.approx(52.23, abs=0.1)


def test_partner_without_wikidata_id_has_no_same_as(client, demo):
    Partner.objects.filter(slug="warsaw").update(wikidata_id="")
    assert "sameAs" not in jsonld(client, url("partner-detail", "en", "warsaw"))


def test_jsonld_cannot_close_its_script_element(client, demo):
    Partner.objects.filter(slug="warsaw").update(name_en="</script><b>x</b>")
    html = head(client, url("partner-detail", "en", "warsaw"))
    assert "</script><b>" not in html
    assert jsonld(client, url("partner-detail", "en", "warsaw"))["name"] == "</script><b>x</b>"


SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}


def sitemap_index(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return [loc.text for loc in root.findall("s:sitemap/s:loc", SITEMAP_NS)]


def sitemap_urls(client, location):
    response = client.get(location.removeprefix("http://testserver"))
    assert response.status_code == 200
    return ElementTree.fromstring(response.content).findall("s:url", SITEMAP_NS)


def sitemap_locations(client):
    """Every address the sitemap names, through its index and the pages it lists."""
    return [
        url.find("s:loc", SITEMAP_NS).text
        for page in sitemap_index(client)
        for url in sitemap_urls(client, page)
    ]


def test_sitemap_is_an_index_of_its_sections(client, demo):
    assert sitemap_index(client) == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-partners.xml",
    ]


def test_sitemap_lists_every_page_in_every_language_with_alternates(client, demo):
    Partner.objects.filter(slug="moscow").update(is_published=False)
    locations = sitemap_locations(client)
    published = Partner.objects.filter(is_published=True)
    expected = set()
    for language in LANGUAGES:
        for name in (
            "overview",
            "directory",
            "events",
            "events-archive",
            "associations",
            "jubilees",
            *Page.LEGAL_PAGES,
        ):
            expected.add(f"http://testserver{url(name, language)}")
        expected.add(f"http://testserver/{language}/accessibility/feedback/")
        for partner in published:
            expected.add(f"http://testserver{url('partner-detail', language, partner.slug)}")
        for slug in OfficePage.objects.published().values_list("slug", flat=True):
            expected.add(f"http://testserver{url('office-page', language, slug)}")
    assert sorted(locations) == sorted(expected)
    assert not any("moscow" in location for location in locations)
    first = sitemap_urls(client, "/sitemap-partners.xml")[0]
    hreflangs = {link.get("hreflang") for link in first.findall("x:link", SITEMAP_NS)}
    assert hreflangs == {*LANGUAGES, "x-default"}


def test_sitemap_leaves_out_a_legal_page_that_does_not_exist(client, demo):
    Page.objects.filter(key="imprint").delete()
    assert b"/imprint/" not in client.get("/sitemap-pages.xml").content


def test_robots_txt_points_to_the_sitemap_index(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_a_filtered_directory_has_its_own_title(client, demo):
    path = url("directory", "en") + "?q=war&kind=twin_city&country=PL&status=active&page=1"
    html = head(client, path)
    assert "<title>Directory of partnerships: “war”, Twin city, Poland, active</title>" in html
    html = head(client, url("directory", "de") + "?country=PL")
    assert ": Polen</title>" in html


def test_a_sitemap_of_more_than_50000_addresses_is_split_into_pages_of_at_most_50000(
    client, demo, django_assert_num_queries, settings
):
    """The protocol's limit: 50,000 addresses in one file, each page in each language counted.

    (Set as high as the protocol allows; the default pages are smaller, see the next test.)
    """
    settings.PUBLIC_PAGE_CACHE = False  # the views' own queries
    settings.SITEMAP_PAGE_ADDRESSES = 60_000  # more than the protocol allows: it is the cap
    copy_partners(16_700)
    partners = Partner.objects.filter(is_published=True).count()
    assert partners * len(LANGUAGES) > 50_000

    # Sections' changes, the pages' keys, the office's pages, the partners' count.
    with django_assert_num_queries(6):
        index = sitemap_index(client)
    assert index == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-partners.xml",
        "http://testserver/sitemap-partners.xml?p=2",
    ]
    # The first page, full, is read without rendering its 50,000 addresses (seconds): the same
    # paginator, page by page, is what the view renders.
    first_page = PartnerSitemap().paginator.page(1).object_list
    assert 50_000 - len(LANGUAGES) < len(first_page) <= 50_000
    with django_assert_num_queries(2):  # the count, the page's partners
        second_page = sitemap_urls(client, "/sitemap-partners.xml?p=2")
    assert len(first_page) + len(second_page) == partners * len(LANGUAGES)
    # Every partner in every language, each once: the first page's and the second's.
    named = [(partner.slug, language) for partner, language in first_page]
    for entry in second_page:
        path = entry.find("s:loc", SITEMAP_NS).text.removeprefix("http://testserver/")
        language, _partners, slug, _end = path.split("/")
        named.append((slug, language))
    assert len(set(named)) == len(named)
    slugs = set(Partner.objects.filter(is_published=True).values_list("slug", flat=True))
    assert {slug for slug, _language in named} == slugs
    assert client.get("/sitemap-partners.xml?p=3").status_code == 404


def test_sitemap_pages_hold_10000_addresses_by_default(client, demo, settings):
    settings.PUBLIC_PAGE_CACHE = False
    # With the demo's, more than 10,000 addresses in three or four languages.
    copy_partners(3_400)
    partners = Partner.objects.filter(is_published=True).count()
    assert 10_000 < partners * len(LANGUAGES) <= 20_000

    assert sitemap_index(client)[1:] == [
        "http://testserver/sitemap-partners.xml",
        "http://testserver/sitemap-partners.xml?p=2",
    ]
    first_page = PartnerSitemap().paginator.page(1).object_list
    assert len(first_page) == 10_000 // len(LANGUAGES) * len(LANGUAGES)
    second_page = sitemap_urls(client, "/sitemap-partners.xml?p=2")
    assert len(first_page) + len(second_page) == partners * len(LANGUAGES)


def test_sitemap_pages_cost_a_fixed_number_of_queries(
    client, demo, django_assert_num_queries, settings
):
    settings.PUBLIC_PAGE_CACHE = False
    # The legal pages that exist, the last change, the office's published pages.
    with django_assert_num_queries(3):
        client.get("/sitemap-pages.xml")
    with django_assert_num_queries(2):  # the count, the page's partners
        client.get("/sitemap-partners.xml")
