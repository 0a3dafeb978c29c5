"""The map people can use: targets that do not overlap, groups, names, the home city's arcs."""

import itertools
import math
import re

from partnerships import map as world_map
from partnerships.map import MapGroup, MapPoint, SinglePoint


def targets(laid_out):
    """Every target's centre a reader can hit with the groups closed, and each open ring's."""
    closed = [(item.x, item.y) for item in laid_out]
    rings = [
        [(member.x, member.y) for member in item.members]
        for item in laid_out
        if isinstance(item, MapGroup)
    ]
    return closed, rings


def test_points_whose_targets_would_overlap_are_grouped_and_none_overlap():
    points = [MapPoint(number, 500 + number * 5, 100 + number * 3) for number in range(6)]
    points += [MapPoint("far", 900, 300)]
    laid_out = world_map.group_points(points)
    assert [type(item) for item in laid_out] == [MapGroup, SinglePoint]
    group = laid_out[0]
    assert group.count == 6
    assert [member.point for member in group.members] == points[:6]  # every member, in order
    closed, rings = targets(laid_out)
    minimum = 2 * world_map.WORLD_TARGET_RADIUS
    for a, b in itertools.combinations(closed, 2):
        assert math.dist(a, b) >= minimum
    for ring in rings:
        for a, b in itertools.combinations(ring, 2):
            assert math.dist(a, b) >= minimum
        for member in ring:  # apart from the group's own target too
            assert math.dist(member, (group.x, group.y)) >= minimum
            assert 0 <= member[0] <= world_map.WIDTH and 0 <= member[1] <= world_map.HEIGHT


def test_points_far_apart_stay_single_in_the_order_given():
    points = [MapPoint(name, x, 200) for name, x in [("b", 800), ("a", 100), ("c", 450)]]
    laid_out = world_map.group_points(points)
    assert [item.point.partner for item in laid_out] == ["b", "a", "c"]


def test_a_target_is_24_css_pixels_on_a_375_pixel_phone():
    pixels_per_unit = world_map.PHONE_MAP_PIXELS / world_map.WIDTH
    assert 2 * world_map.WORLD_TARGET_RADIUS * pixels_per_unit >= 24


def test_great_circle_arcs_bend_towards_the_pole_and_cross_the_antimeridian_at_the_edge():
    # Düsseldorf to Chiba: the great circle runs north of the straight line on the map.
    path = world_map.great_circle((51.23, 6.77), (35.6, 140.1))
    ys = [float(y) for y in re.findall(r"[ML][\d.]+ ([\d.]+)", path)]
    assert min(ys) < world_map.project(51.23, 6.77)[1]
    assert path.count("M") == 1
    # Tokyo to San Francisco crosses the antimeridian: the path starts again on the other side.
    crossing = world_map.great_circle((35.7, 139.7), (37.8, -122.4))
    assert crossing.count("M") == 2


def test_overview_marks_the_home_city_with_arcs_to_every_partner(client, demo):
    html = client.get("/en/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert '<g class="map-home">' in svg and ">Düsseldorf</text>" in svg
    arcs = re.search(r'<g class="map-arcs">(.*?)</g>', svg, re.S).group(1)
    assert arcs.count("<path") == svg.count('class="map-point') == 13
    # A picture of the list beside it: nothing in it is tabbed to or read out twice.
    assert 'aria-hidden="true"' in svg[:200]
    assert re.findall(r"<a [^>]*>", svg) and all(
        'tabindex="-1"' in tag for tag in re.findall(r"<a [^>]*>", svg)
    )
    # Every name is in the map, shown on hover and focus (tests/browser/test_map.py).
    assert svg.count('class="map-label"') == 13


def test_overview_stays_under_100_kb_without_images(client, demo):
    assert len(client.get("/en/").content) < 100_000


def test_partner_page_map_shows_the_arc_from_home(client, demo):
    html = client.get("/en/partners/chongqing/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count("<path") == 1
    assert "map-point-current" in svg
