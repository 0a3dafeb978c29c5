"""In Chromium: map points big enough to hit on a phone, with their names; the directory on a
phone; Hebrew phone numbers in order."""

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


@pytest.mark.parametrize("viewport", [SMALL_PHONE, {"width": 1280, "height": 900}])
def test_the_partner_pages_point_is_a_target_of_24_px_with_its_name(page, viewport):
    page.set_viewport_size(viewport)
    page.goto(page.site + "/en/partners/warsaw/")
    point = page.locator("svg.world-map a.map-point-current")
    width, height = box_size(point.locator(".map-target"))
    assert width >= 24 and height >= 24, (width, height)
    assert point.locator(".map-label").is_visible()  # the page's own partner is always named
    assert page.locator("svg.world-map .map-home text").text_content() == "Düsseldorf"
