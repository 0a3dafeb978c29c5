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


# Countries at national scale: Europe's, where a directory of German partnerships has most of them.
EUROPE = {
    "FR": (46.6, 2.4, 2200), "PL": (52.0, 19.4, 600), "GB": (54.0, -2.0, 500),
    "IT": (42.8, 12.5, 400), "HU": (47.2, 19.4, 200), "AT": (47.6, 14.1, 150),
    "CZ": (49.8, 15.5, 150), "RU": (56.0, 38.0, 100), "NL": (52.2, 5.5, 100),
    "BE": (50.6, 4.6, 80), "ES": (40.2, -3.6, 60), "UA": (49.0, 31.0, 60), "CH": (46.8, 8.2, 50),
    "TR": (39.0, 35.0, 40), "RO": (45.9, 25.0, 40), "DK": (56.0, 10.0, 30), "BY": (53.7, 28.0, 25),
    "SE": (62.0, 15.0, 20), "SK": (48.7, 19.7, 20), "GR": (39.0, 22.0, 20), "LT": (55.3, 23.9, 20),
    "IE": (53.4, -8.0, 20), "FI": (64.0, 26.0, 15), "HR": (45.1, 15.2, 15), "PT": (39.6, -8.0, 15),
    "LV": (56.9, 24.6, 15), "NO": (62.0, 10.0, 12), "SI": (46.1, 14.8, 10), "EE": (58.7, 25.5, 10),
    "BG": (42.7, 25.5, 10), "RS": (44.0, 21.0, 10), "LU": (49.8, 6.1, 10), "BA": (44.0, 17.8, 5),
    "AL": (41.0, 20.0, 3), "MK": (41.6, 21.7, 3), "ME": (42.7, 19.3, 2), "MD": (47.2, 28.5, 4),
    "US": (39.0, -98.0, 150), "CA": (56.0, -106.0, 10), "CN": (35.0, 103.0, 100),
    "JP": (36.0, 138.0, 40), "BR": (-10.0, -52.0, 8), "TZ": (-6.0, 35.0, 6),
}  # fmt: skip


def european_areas():
    return [
        world_map.CountryArea(code, count, *world_map.project(lat, lon), radius=10)
        for code, (lat, lon, count) in EUROPE.items()
    ]


def test_countries_too_close_for_a_finger_are_grouped_and_no_targets_overlap():
    laid_out = world_map.group_areas(european_areas())
    minimum = 2 * world_map.WORLD_TARGET_RADIUS
    # Every country once, single or in a group.
    shown = [item.point.country for item in laid_out if isinstance(item, SinglePoint)]
    shown += [
        m.point.country for item in laid_out if isinstance(item, MapGroup) for m in item.members
    ]
    assert sorted(shown) == sorted(EUROPE)
    closed, grids = targets(laid_out)
    for a, b in itertools.combinations(closed, 2):
        assert math.dist(a, b) >= minimum
    groups = [item for item in laid_out if isinstance(item, MapGroup)]
    # France's group takes in the countries around it, and sits where France is, with its number.
    france = next(group for group in groups if "FR" in [a.country for a in group.points])
    assert (france.x, france.y) == world_map.project(46.6, 2.4)
    assert {"BE", "NL", "LU", "CH", "PL", "IT"} <= {area.country for area in france.points}
    assert france.partner_count == sum(EUROPE[area.country][2] for area in france.points)
    # Open, each group is a grid of targets of the same size, inside the map, apart, with a
    # panel behind them.
    for group, grid in zip(groups, grids, strict=True):
        for a, b in itertools.combinations(grid, 2):
            assert math.dist(a, b) >= minimum
        # The cell over the group's own badge stays empty: a pointer that opens the group
        # there does not land on a country.
        for member in grid:
            assert math.dist(member, (group.x, group.y)) >= minimum
        x, y, width, height = group.panel
        assert 0 <= x and x + width <= world_map.WIDTH and 0 <= y and y + height <= world_map.HEIGHT
        for member_x, member_y in grid:
            radius = world_map.WORLD_TARGET_RADIUS
            assert x <= member_x - radius and member_x + radius <= x + width
            assert y <= member_y - radius and member_y + radius <= y + height
    # The grid reads like the map: north to south in rows, west to east within a row.
    rows = {}
    for member in france.members:
        rows.setdefault(member.y, []).append(member)
    for row in rows.values():
        assert [m.point.x for m in row] == sorted(m.point.x for m in row)
    southern_edges = [max(m.point.y for m in row) for _y, row in sorted(rows.items())]
    assert southern_edges == sorted(southern_edges)


def test_a_group_of_any_size_shows_every_country_apart_and_off_its_badge():
    """Wherever the badge falls among the grid's cells (between four of them, for an even
    number of columns and rows), every country of the group gets a cell of its own."""
    minimum = 2 * world_map.WORLD_TARGET_RADIUS
    for count in range(2, 49):
        for x, y in [(500, 200), (40, 30), (980, 380), (300, 120)]:
            areas = [
                world_map.CountryArea(
                    f"c{number}", 100 - number, x + number % 5, y + number // 5, 8
                )
                for number in range(count)
            ]
            group = world_map.area_grid(areas, x, y, world_map.WORLD_TARGET_RADIUS)
            assert sorted(m.point.country for m in group.members) == sorted(
                a.country for a in areas
            )
            places = [(m.x, m.y) for m in group.members]
            for a, b in itertools.combinations(places, 2):
                assert math.dist(a, b) >= minimum, (count, x, y)
            for place in places:
                assert math.dist(place, (group.x, group.y)) >= minimum, (count, x, y)


def test_countries_far_apart_each_keep_their_circle():
    areas = [world_map.CountryArea(code, 5, x, 200, 8) for code, x in [("a", 100), ("b", 600)]]
    assert [type(item) for item in world_map.group_areas(areas)] == [SinglePoint, SinglePoint]


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
