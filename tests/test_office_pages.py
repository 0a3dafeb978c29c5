"""The office's own pages (OfficePage): every language, navigation, overview, sitemap, cache."""

import json
import re
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from partnerships.models import OfficePage, Partner

from .bulk import add_partners

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}


def url(slug, language):
    with translation.override(language):
        return reverse("partnerships:office-page", args=[slug])


def html_of(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, path
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_office_page_is_shown_in_every_language_with_hreflang(client, demo, language):
    html = html_of(client, url("exchange-funding", language))
    title = {
        "de": "<h1>Förderung von Austauschen</h1>",
        "en": "<h1>Funding for exchanges</h1>",
        "he": "<h1>מימון חילופי משלחות</h1>",
    }.get(language, '<h1 lang="de" dir="ltr">Förderung von Austauschen</h1>')  # a fallback
    assert title in html
    assert f'<html lang="{language}"' in html
    for other in LANGUAGES:
        alternate = f"http://testserver{url('exchange-funding', other)}"
        assert f'<link rel="alternate" hreflang="{other}" href="{alternate}">' in html
    x_default = f"http://testserver{url('exchange-funding', 'de')}"
    assert f'<link rel="alternate" hreflang="x-default" href="{x_default}">' in html
    # The rich text as the editor structured it, through the sanitiser.
    assert "<h2>" in html and "<ul><li>" in html


def test_a_missing_translation_shows_the_german_text_with_the_fallback_note(client, demo):
    html = html_of(client, url("exchange-funding", "he"))
    assert '<div class="page-body" lang="de" dir="ltr">' in html
    assert html.count('class="fallback-note"') == 1
    # The title is Hebrew: it is not marked as German.
    assert "<h1>מימון חילופי משלחות</h1>" in html
    school = html_of(client, url("school-exchange", "he"))
    assert '<h1 lang="de" dir="ltr">Schüleraustausch</h1>' in school
    assert school.count('class="fallback-note"') == 1  # one note for title and text


def test_office_page_has_webpage_jsonld(client, demo):
    html = html_of(client, url("exchange-funding", "en"))
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(blocks[0])
    assert data["@type"] == "WebPage"
    assert data["name"] == "Funding for exchanges"
    assert data["inLanguage"] == "en"
    assert data["url"] == f"http://testserver{url('exchange-funding', 'en')}"


def test_navigation_and_overview_link_the_pages_as_their_placement_says(client, demo):
    overview = html_of(client, "/en/")
    navigation = overview[overview.index('<nav class="site-nav"') :]
    navigation = navigation[: navigation.index("</nav>")]
    assert 'href="/en/pages/school-exchange/"' in navigation
    assert "exchange-funding" not in navigation
    section = overview[overview.index('class="office-pages"') :]
    assert 'href="/en/pages/exchange-funding/">Funding for exchanges</a>' in section
    # Every page has the navigation; the current one is marked.
    directory = html_of(client, "/de/partners/")
    assert 'href="/de/pages/school-exchange/">Schüleraustausch</a>' in directory
    page = html_of(client, url("school-exchange", "de"))
    assert 'href="/de/pages/school-exchange/" aria-current="page">' in page


def test_unpublished_pages_are_nowhere(client, demo):
    OfficePage.objects.filter(slug="school-exchange").update(is_published=False)
    OfficePage.objects.get(slug="exchange-funding").save()  # a change through save()
    assert client.get(url("school-exchange", "en")).status_code == 404
    assert "school-exchange" not in html_of(client, "/en/")
    assert "school-exchange" not in client.get("/sitemap-pages.xml").content.decode()


def test_office_pages_are_in_the_sitemap_in_every_language(client, demo):
    root = ElementTree.fromstring(client.get("/sitemap-pages.xml").content)
    locations = [loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)]
    for language in LANGUAGES:
        for slug in ("exchange-funding", "school-exchange"):
            assert f"http://testserver{url(slug, language)}" in locations
    entry = next(
        u
        for u in root.findall("s:url", SITEMAP_NS)
        if u.find("s:loc", SITEMAP_NS).text.endswith("/en/pages/exchange-funding/")
    )
    alternates = {link.get("hreflang") for link in entry.findall("x:link", SITEMAP_NS)}
    assert alternates == {*LANGUAGES, "x-default"}
    assert entry.find("s:lastmod", SITEMAP_NS) is not None


def test_the_body_is_sanitised_in_every_language(db):
    page = OfficePage.objects.create(
        slug="x",
        title_de="X",
        body_de='<p onclick="x()">Hallo</p><script>alert(1)</script>',
        body_en='<a href="javascript:alert(1)">link</a>',
    )
    page.refresh_from_db()
    assert page.body_de == "<p>Hallo</p>"
    assert "javascript" not in page.body_en


def test_an_edit_reaches_the_cached_page_at_once(client, demo, settings):
    settings.PUBLIC_PAGE_CACHE = True
    path = url("exchange-funding", "en")
    assert client.get(path)["X-Page-Cache"] == "miss"
    assert client.get(path)["X-Page-Cache"] == "hit"
    page = OfficePage.objects.get(slug="exchange-funding")
    page.title_en = "Grants for exchanges"
    page.save()
    response = client.get(path)
    assert response["X-Page-Cache"] == "miss"
    assert "<h1>Grants for exchanges</h1>" in response.content.decode()
    page.delete()
    assert client.get(path).status_code == 404


def test_an_edit_is_kept_in_the_history(demo):
    import reversion
    from reversion.models import Version

    page = OfficePage.objects.get(slug="school-exchange")
    with reversion.create_revision():
        page.title_en = "School exchanges"
        page.save()
    assert Version.objects.get_for_object(page).count() == 1


def test_editors_create_order_and_publish_pages_in_the_admin(client, db):
    admin = User.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(admin)
    response = client.post(
        reverse("admin:partnerships_officepage_add"),
        {
            "title_de": "Partnerschaftsbeauftragte",
            "title_en": "Partnership officers",
            "slug": "partnership-officers",
            "body_de": "Text",
            "placement": "navigation",
            "order": "5",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = OfficePage.objects.get(slug="partnership-officers")
    assert (page.title_en, page.order, page.is_published) == ("Partnership officers", 5, True)
    assert client.get(reverse("admin:partnerships_officepage_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:partnerships_officepage_history", args=[page.pk])).status_code
        == 200
    )


def test_the_fixed_legal_pages_stay_protected(client, demo):
    from partnerships.models import Page

    admin = User.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(admin)
    imprint = Page.objects.get(key="imprint")
    client.post(reverse("admin:partnerships_page_delete", args=[imprint.pk]), {"post": "yes"})
    assert Page.objects.filter(key="imprint").exists()


# --- Query counts: the same with 15 and 2,000 partners ---


@pytest.fixture(params=[15, 2000], ids=["15-partners", "2000-partners"])
def partners(request, demo):
    add_partners(request.param - Partner.objects.count())
    assert Partner.objects.count() == request.param


def test_an_office_page_costs_a_fixed_number_of_queries(
    client, django_assert_num_queries, partners, settings
):
    settings.PUBLIC_PAGE_CACHE = False
    # The page, the navigation's pages, the last change.
    with django_assert_num_queries(3):
        response = client.get(url("exchange-funding", "en"))
    assert response.status_code == 200
    with django_assert_num_queries(3):  # the legal pages, the last change, the office pages
        client.get("/sitemap-pages.xml")
