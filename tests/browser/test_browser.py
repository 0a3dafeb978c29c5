import os
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from PIL import Image

from partnerships.views import OVERVIEW_SECTION_LIMIT

from ..factories import bulk_partners, make_kind
from .conftest import ARTIFACTS, DESKTOP, PHONE, ROOT

# Every configured language, however many.
LANGUAGES = [code for code, _name in settings.LANGUAGES]

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = {
    "overview": "/{lang}/",
    "directory": "/{lang}/partners/",
    "directory-filtered": "/{lang}/partners/?kind=twin_city&sort=-year",
    "partner": "/{lang}/partners/chongqing/",
    "accessibility": "/{lang}/accessibility/",
    "imprint": "/{lang}/imprint/",
    "office-page": "/{lang}/pages/exchange-funding/",
    "office-page-navigation": "/{lang}/pages/school-exchange/",
    "privacy": "/{lang}/privacy/",
    "easy-language": "/{lang}/easy-language/",
    "sign-language": "/{lang}/sign-language/",
}


def test_reader_switches_language_opens_a_partner_filters_and_follows_the_map(page):
    page.goto(page.site + "/de/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert "Warschau" in page.locator("main").inner_text()

    # Switch to English on the same page.
    page.locator(".language-switcher").get_by_role("link", name="English").click()
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"

    # Open a partner from its section.
    page.locator("#twin_city").get_by_role("link", name="Warsaw").click()
    page.wait_for_url("**/en/partners/warsaw/")
    assert page.locator("h1").inner_text() == "Warsaw"
    assert "Poland" in page.locator("main").inner_text()

    # The switcher keeps the reader on this partner.
    page.locator(".language-switcher a[hreflang=de]").click()
    page.wait_for_url("**/de/partners/warsaw/")
    assert page.locator("h1").inner_text() == "Warschau"
    page.locator(".language-switcher a[hreflang=en]").click()
    page.wait_for_url("**/en/partners/warsaw/")

    # Filter the directory with its form: a German name found from the English site.
    page.goto(page.site + "/en/partners/")
    page.locator("input[name=q]").fill("Warschau")
    page.locator("select[name=status]").select_option("active")
    page.locator(".filters button[type=submit]").click()
    page.wait_for_url("**/en/partners/?*")
    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == ["Warschau"] and query["status"] == ["active"]
    rows = page.locator("table.directory tbody tr")
    assert rows.count() == 1
    assert "Warsaw" in rows.first.inner_text()

    # Follow a point on the map: Haifa is grouped with Moscow, the group opens on hover.
    page.goto(page.site + "/en/")
    page.locator(".map-group:has(a[aria-label^='Haifa']) .map-group-badge").hover()
    page.locator("svg.world-map a[aria-label^='Haifa']").click()
    page.wait_for_url("**/en/partners/haifa/")
    assert page.locator("h1").inner_text() == "Haifa"


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(page):
    page.goto(page.site + "/en/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    box = skip.bounding_box()
    assert box["y"] >= 0, "the skip link must come into view when focused"
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab goes into the content, and a focused link shows its focus.
    page.keyboard.press("Tab")
    focused = page.evaluate_handle("document.activeElement")
    assert focused.evaluate("e => e.closest('main') !== null")
    assert focused.evaluate("e => getComputedStyle(e).outlineStyle") != "none"


def test_the_keyboard_goes_through_the_list_beside_the_map_once_never_the_map(page):
    page.goto(page.site + "/en/")
    page.locator(".map-list a").first.focus()
    listed = page.locator(".map-list a").count()
    reached = []
    for _step in range(listed):
        reached.append(page.evaluate("document.activeElement.textContent"))
        assert page.evaluate("document.activeElement.closest('svg') === null")
        page.keyboard.press("Tab")
    assert reached == page.locator(".map-list a").all_inner_texts()
    # A point that has focus (a click or a tap gives it) still follows its link with Enter.
    point = page.locator("svg.world-map a").first
    point.focus()
    assert point.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/partners/*/")


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    return [
        f"{violation['id']}: {violation['help']} – "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_wcag_21_aa_violation(page, name, language):
    page.goto(page.site + PAGES[name].format(lang=language))
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)


@pytest.mark.parametrize("language", ["de", "he"])
def test_an_overview_with_more_partners_than_it_lists_passes_axe(page, language):
    bulk_partners(OVERVIEW_SECTION_LIMIT + 5, make_kind("twin_city"))
    page.goto(page.site + f"/{language}/")
    more = page.locator("#twin_city .more a")
    assert more.count() == 1
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)
    more.click()
    page.wait_for_url("**/partners/?kind=twin_city")
    assert page.locator("#id_kind").input_value() == "twin_city"


def test_axe_audit_does_report_a_violation(page):
    """The audit above is worth something only if it sees a fault: plant one."""
    page.goto(page.site + "/en/")
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    assert any(violation.startswith("image-alt") for violation in axe_violations(page))


def test_hebrew_layout_mirrors(page):
    page.goto(page.site + "/he/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    name_box = page.locator(".site-name").bounding_box()
    assert name_box["x"] > DESKTOP["width"] / 2, "the site name starts on the right in Hebrew"
    page.goto(page.site + "/en/")
    assert page.locator(".site-name").bounding_box()["x"] < DESKTOP["width"] / 2


@pytest.mark.parametrize("path", ["/de/", "/de/partners/", "/he/partners/chongqing/"])
def test_phone_width_needs_no_sideways_scrolling(page, path):
    page.set_viewport_size(PHONE)
    page.goto(page.site + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_screenshots_of_the_overview_at_phone_and_desktop_width(page):
    ARTIFACTS.mkdir(exist_ok=True)
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        page.goto(page.site + "/de/")
        path = ARTIFACTS / f"overview-de-{label}.png"
        page.screenshot(path=path, full_page=True)
        assert path.stat().st_size > 10_000
    if os.environ.get("UPDATE_README_SCREENSHOT") == "1":
        page.set_viewport_size(DESKTOP)
        page.goto(page.site + "/en/")
        page.screenshot(path=ARTIFACTS / "overview-en-desktop-top.png")
        # A palette of 64 colours keeps the committed picture small.
        with Image.open(ARTIFACTS / "overview-en-desktop-top.png") as picture:
            small = picture.convert("RGB").quantize(colors=64)
            small.save(ROOT / "docs" / "screenshot-overview.png", optimize=True)


def test_no_page_asks_another_host_for_anything(page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for path in PAGES.values():
        page.goto(page.site + path.format(lang="he"))
        page.wait_for_load_state("networkidle")
    assert any(url.endswith("/static/css/site.css") for url in requested)
    assert any(url.endswith("/static/img/world-land.svg") for url in requested)
    site = urlsplit(page.site).netloc
    assert {urlsplit(url).netloc for url in requested} == {site}
