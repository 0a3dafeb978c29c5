"""In Chromium: map points big enough to hit on a phone, with their names; the directory on a
phone; Hebrew phone numbers in order."""

import re

import pytest

from .conftest import PHONE

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 375, "height": 812}


def box_size(locator):
    box = locator.bounding_box()
    return box["width"], box["height"]


def test_every_map_point_is_a_target_of_24_px_on_a_375_px_phone(page):
    page.set_viewport_size(SMALL_PHONE)
    page.goto(page.site + "/en/")
    closed = page.locator(
        "svg.world-map > a.map-point .map-target, svg.world-map .map-group-badge .map-target"
    )
    assert closed.count() > 0
    for number in range(closed.count()):
        width, height = box_size(closed.nth(number))
        assert width >= 24 and height >= 24, (number, width, height)
    groups = page.locator(".map-group")
    assert groups.count() > 0
    for number in range(groups.count()):
        group = groups.nth(number)
        group.locator(".map-group-badge").click()  # a tap: the group takes focus and opens
        members = group.locator("a.map-point")
        for member in range(members.count()):
            target = members.nth(member).locator(".map-target")
            assert target.is_visible()
            width, height = box_size(target)
            assert width >= 24 and height >= 24
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]


def test_a_focused_or_hovered_point_shows_its_name(page):
    page.set_viewport_size(SMALL_PHONE)
    page.goto(page.site + "/en/")
    single = page.locator("svg.world-map > a.map-point").first
    label = single.locator(".map-label")
    assert not label.is_visible()
    single.focus()
    assert label.is_visible()
    name = label.text_content()
    assert name and single.get_attribute("aria-label").startswith(name)
    box = label.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= SMALL_PHONE["width"]
    page.mouse.move(0, 0)
    page.locator("h1").focus()
    # A group's members are named once it opens.
    group = page.locator(".map-group").first
    group.locator(".map-group-badge").hover()
    for member_label in group.locator(".map-label").all():
        assert member_label.is_visible()


@pytest.mark.parametrize("language", ["de", "en", "he"])
def test_the_directory_needs_no_sideways_scroll_at_375_px_and_shows_the_year(page, language):
    page.set_viewport_size(SMALL_PHONE)
    page.goto(page.site + f"/{language}/partners/?sort=year")
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    # The first partnership with a year (those without one come first), its year on screen.
    since = page.locator("table.directory tbody td:nth-child(5):not(:empty)").first
    assert since.is_visible() and any(char.isdigit() for char in since.inner_text())
    box = since.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= SMALL_PHONE["width"]
    for status in page.locator("table.directory .status-badge").all()[:5]:
        box = status.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= SMALL_PHONE["width"]


def test_hebrew_phone_numbers_render_in_their_order(page):
    page.set_viewport_size(PHONE)
    page.goto(page.site + "/he/")
    phone = page.locator(".contact address a[href^='tel:']").first
    assert phone.inner_text() == "+49 (0) 211.89-23155"
    # Each character's place on the screen, left to right, in the order it is written.
    lefts = phone.evaluate(
        """element => {
            const text = element.firstChild;
            const lefts = [];
            for (let i = 0; i < text.length; i++) {
                if (text.data[i] === " ") continue;
                const range = document.createRange();
                range.setStart(text, i);
                range.setEnd(text, i + 1);
                lefts.push(range.getBoundingClientRect().left);
            }
            return lefts;
        }"""
    )
    assert lefts == sorted(lefts), lefts


def national_scale():
    """Partners by the hundred in Europe's countries (tests/test_map.py's), each at its
    country's centre: the overview then lists a selection and maps the partners by country."""
    from partnerships.models import ContentChange, Partner, Relationship, RelationshipKind
    from tests.test_map import EUROPE

    kind = RelationshipKind.objects.order_by("order").first()
    partners = Partner.objects.bulk_create(
        Partner(
            slug=f"national-{code.lower()}-{number}",
            name_de=f"Partnerstadt {code} {number}",
            country=code,
            latitude=latitude,
            longitude=longitude,
        )
        for code, (latitude, longitude, count) in EUROPE.items()
        for number in range(max(1, count // 20))
    )
    Relationship.objects.bulk_create(Relationship(partner=p, kind=kind) for p in partners)
    ContentChange.touch()


@pytest.mark.parametrize("viewport", [SMALL_PHONE, {"width": 1280, "height": 900}])
def test_at_national_scale_every_country_and_group_is_a_target_of_24_px(page, viewport):
    national_scale()
    page.set_viewport_size(viewport)
    page.goto(page.site + "/en/")
    assert page.locator("svg.world-map a.map-point").count() == 0  # the map counts by country
    closed = page.locator(
        "svg.world-map > a.map-area .map-target, svg.world-map .map-group-badge .map-target"
    )
    assert closed.count() > 0
    boxes = [closed.nth(number).bounding_box() for number in range(closed.count())]
    for box in boxes:
        assert box["width"] >= 24 and box["height"] >= 24, box
    # No target overlaps another: a tap reaches the country it is on.
    centres = [(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, b["width"]) for b in boxes]
    for number, (x, y, width) in enumerate(centres):
        for other_x, other_y, other_width in centres[number + 1 :]:
            distance = ((x - other_x) ** 2 + (y - other_y) ** 2) ** 0.5
            assert distance >= (width + other_width) / 2 - 1
    groups = page.locator(".map-area-group")
    assert groups.count() > 0
    for number in range(groups.count()):
        group = groups.nth(number)
        group.locator(".map-group-badge").click()  # a tap: the group opens into its grid
        members = group.locator("a.map-area")
        assert members.count() > 1
        for member in members.all():
            target = member.locator(".map-target")
            assert target.is_visible()
            box = target.bounding_box()
            assert box["width"] >= 24 and box["height"] >= 24
        # A country's name shows when it has focus (a tap gives it focus), on the screen.
        first = members.first
        first.focus()
        label = first.locator(".map-label")
        assert label.is_visible() and re.fullmatch(r"[^:]+: \d+ partners?", label.text_content())
        box = label.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        # A tap on a member opens its country's partners.
        if number == 0:
            code = first.get_attribute("href").rsplit("=", 1)[1]
            first.locator(".map-target").click()
            page.wait_for_url(f"**/en/partners/?country={code}")
            page.go_back()
        page.mouse.move(0, 0)  # the group closes: neither hovered nor holding focus
        page.evaluate("document.activeElement.blur()")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize("scale", ["city", "national"])
def test_the_list_entry_with_focus_lights_up_its_place_on_the_map(page, scale):
    """The map is out of the keyboard's order: the list beside it is the way, and the entry
    that has focus shows where it is on the map, named, its group opened
    (static/js/map-focus.js)."""
    if scale == "national":
        national_scale()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(page.site + "/en/")
    entries = page.locator(".map-list a")
    assert entries.count() > 5
    grouped = 0
    for entry in entries.all():
        entry.focus()
        on_map = page.locator(f'svg.world-map a[href="{entry.get_attribute("href")}"]')
        if not on_map.count():
            continue  # a partner or country without a position is only in the list
        assert "map-linked" in on_map.get_attribute("class")
        label = on_map.locator(".map-label")
        assert label.is_visible(), entry.text_content()
        assert on_map.locator(".map-target").is_visible()
        grouped += on_map.locator("xpath=ancestor::*[contains(@class, 'map-group')]").count()
    assert grouped > 0  # a grouped place too: its group opened
    page.evaluate("document.activeElement.blur()")
    assert page.locator("svg.world-map .map-linked").count() == 0
    # From the keyboard: the first entry, reached with Tab, lights up likewise.
    page.locator(".map-section h2").evaluate("heading => heading.setAttribute('tabindex', '-1')")
    page.locator(".map-section h2").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == entries.first.get_attribute("href")
    if page.locator(f'svg.world-map a[href="{focused}"]').count():
        assert page.locator("svg.world-map .map-linked .map-label").is_visible()


@pytest.mark.parametrize("viewport", [SMALL_PHONE, {"width": 1280, "height": 900}])
def test_the_partner_pages_point_is_a_target_of_24_px_with_its_name(page, viewport):
    page.set_viewport_size(viewport)
    page.goto(page.site + "/en/partners/warsaw/")
    point = page.locator("svg.world-map a.map-point-current")
    width, height = box_size(point.locator(".map-target"))
    assert width >= 24 and height >= 24, (width, height)
    assert point.locator(".map-label").is_visible()  # the page's own partner is always named
    assert page.locator("svg.world-map .map-home text").text_content() == "Düsseldorf"
