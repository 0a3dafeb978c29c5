"""The world map: partners placed on a land outline drawn once from Natural Earth.

The outline (static/img/world-land.svg) is built by scripts/build-map.mjs from npm world-atlas
(Natural Earth 1:110m land, public domain); this module places points with the same
equirectangular projection, so the page draws the map without any request to another host.

A map of every partner stays readable, and small, only for tens of partners. When the overview
lists a selection, its map counts the partners by country instead: one circle per country, at
the mean position of its partners, sized by their number and linked to the directory filtered to
that country. There are at most some two hundred countries, however many partners; where they
are too close for a finger (Europe, at national scale), they are grouped (`group_areas`).
"""

import math
from dataclasses import dataclass

# Keep in step with scripts/build-map.mjs (tests/test_views.py compares them).
WIDTH = 1000
NORTH = 84
SOUTH = -58
SCALE = WIDTH / 360
HEIGHT = round((NORTH - SOUTH) * SCALE)
LAND_OUTLINE = "img/world-land.svg"


@dataclass(frozen=True)
class MapPoint:
    partner: object
    x: float
    y: float


@dataclass(frozen=True)
class PartnersInCountry:
    """How many partners a country has, and the mean position of those with one."""

    country: object  # django_countries' Country: .code, .name
    partner_count: int
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class CountryArea:
    country: object
    partner_count: int
    x: float
    y: float
    radius: float


def project(latitude, longitude):
    """SVG coordinates of a position; latitudes outside the map sit on its edge."""
    latitude = min(max(float(latitude), SOUTH), NORTH)
    x = (float(longitude) + 180) * SCALE
    y = (NORTH - latitude) * SCALE
    return round(x, 1), round(y, 1)


def map_points(partners):
    """A point for every partner with a position, in the order given."""
    return [
        MapPoint(partner, *project(partner.latitude, partner.longitude))
        for partner in partners
        if partner.has_position
    ]


def view_box(around=None):
    """The whole map, or a region around one point (a partner's page shows its neighbourhood)."""
    if around is None:
        return f"0 0 {WIDTH} {HEIGHT}"
    width, height = WIDTH * 0.36, HEIGHT * 0.46
    x = min(max(around.x - width / 2, 0), WIDTH - width)
    y = min(max(around.y - height / 2, 0), HEIGHT - height)
    return f"{x:.0f} {y:.0f} {width:.0f} {height:.0f}"


def country_areas(countries):
    """A circle for every country with a position, its area growing with its partners."""
    return [
        CountryArea(
            country.country,
            country.partner_count,
            *project(country.latitude, country.longitude),
            radius=round(6 + 5 * math.log10(country.partner_count), 1),
        )
        for country in countries
        if country.latitude is not None and country.longitude is not None
    ]


# --- Points people can use: targets, groups, names, the home city ---
#
# WCAG 2.2 (2.5.8) asks for targets of at least 24 x 24 CSS px. On a 375 px phone the world map
# is 343 px wide (the page's 1 rem margins), 0.343 px per map unit: a point's target is a circle
# of 36 units' radius there (24.7 px across), drawn transparent around its small visible dot.
# Points whose targets would overlap are grouped: a group shows how many it holds and opens,
# on hover or when tapped (it takes focus), into a ring of its members, each a target of the
# same size, with a line to its place. No script: CSS :hover and :focus-within.
PHONE_MAP_PIXELS = 343
TARGET_PIXELS = 24
WORLD_TARGET_RADIUS = math.ceil(TARGET_PIXELS / 2 * WIDTH / PHONE_MAP_PIXELS) + 1
# A partner's page shows a region 0.36 of the map wide, in a column at least 300 px wide.
REGION_TARGET_RADIUS = 16
ARC_SEGMENTS = 32


@dataclass(frozen=True)
class RingMember:
    """A grouped point, shown in its group's ring at (x, y), with a line to its place."""

    point: MapPoint
    x: float
    y: float
    label_x: float
    label_y: float
    label_anchor: str  # "start", "middle" or "end": the names point away from the ring

    # Relative to (x, y), for markup drawn there (the countries' grid: one transform a member).
    @property
    def place_offset(self):
        return offset(self.point.x - self.x, self.point.y - self.y)

    @property
    def label_offset(self):
        return offset(self.label_x - self.x, self.label_y - self.y)


def offset(dx, dy):
    """An SVG (dx, dy), to one decimal."""
    return round(dx, 1), round(dy, 1)


@dataclass(frozen=True)
class MapGroup:
    points: tuple
    x: float
    y: float
    members: tuple  # RingMember, in the order given
    panel: tuple | None = None  # (x, y, width, height) behind a grid's members (area_grid)

    @property
    def count(self):
        return len(self.points)

    @property
    def partner_count(self):
        """A group of countries (CountryArea): how many partners they have together."""
        return sum(point.partner_count for point in self.points)


@dataclass(frozen=True)
class SinglePoint:
    point: MapPoint
    label_x: float
    label_y: float

    @property
    def x(self):
        return self.point.x

    @property
    def y(self):
        return self.point.y

    @property
    def label_offset(self):
        return offset(self.label_x - self.x, self.label_y - self.y)


@dataclass(frozen=True)
class Home:
    name: str
    x: float
    y: float


def label_position(x, y, target_radius, width=WIDTH, left=0, top=0):
    """Where a point's name is centred: above its target (below it at the map's top edge),
    and far enough from the sides to be read whole."""
    margin = width * 0.12
    label_x = min(max(x, left + margin), left + width - margin)
    above = y - 1.1 * target_radius
    label_y = above if above > top + target_radius else y + 1.9 * target_radius
    return round(label_x, 1), round(label_y, 1)


def single(point, target_radius, width=WIDTH, left=0, top=0):
    return SinglePoint(point, *label_position(point.x, point.y, target_radius, width, left, top))


def group_points(points, target_radius=WORLD_TARGET_RADIUS):
    """The points as SinglePoints and MapGroups whose targets do not overlap, in the order given
    (a group where its first member is).

    The two closest clusters are merged, at their members' mean position, until every two are
    at least two target radii apart: a few hundred points at most (the overview lists at most
    OVERVIEW_SECTION_LIMIT per kind), so the simple way is fast enough.
    """
    clusters = [[point] for point in points]
    minimum = 2 * target_radius

    def centre(cluster):
        return (
            sum(p.x for p in cluster) / len(cluster),
            sum(p.y for p in cluster) / len(cluster),
        )

    while len(clusters) > 1:
        centres = [centre(cluster) for cluster in clusters]
        closest = None
        for i in range(len(clusters)):
            for j in range(i + 1, len(clusters)):
                distance = math.dist(centres[i], centres[j])
                if distance < minimum and (closest is None or distance < closest[0]):
                    closest = (distance, i, j)
        if closest is None:
            break
        _distance, i, j = closest
        clusters[i] = clusters[i] + clusters[j]
        del clusters[j]

    order = {id(point): number for number, point in enumerate(points)}
    laid_out = []
    for cluster in sorted(clusters, key=lambda c: min(order[id(p)] for p in c)):
        cluster.sort(key=lambda p: order[id(p)])
        if len(cluster) == 1:
            laid_out.append(single(cluster[0], target_radius))
            continue
        x, y = centre(cluster)
        laid_out.append(ring(cluster, x, y, target_radius))
    return laid_out


def ring(points, x, y, target_radius):
    """A group at (x, y): its members around it, their targets apart from each other's and
    from the group's, the ring kept inside the map."""
    count = len(points)
    radius = max(2.2 * target_radius, 1.1 * target_radius / math.sin(math.pi / count))
    # Room for the names above and below the ring, too.
    x = min(max(x, radius + target_radius), WIDTH - radius - target_radius)
    y = min(max(y, radius + 1.6 * target_radius), HEIGHT - radius - 1.6 * target_radius)
    # The members take their places on the ring in the order of their directions from its
    # centre, so that the lines to their places do not cross, turned so that the lines are
    # shortest (tried in steps of a quarter of the places' spacing).
    directions = {id(point): math.atan2(point.y - y, point.x - x) for point in points}
    around = sorted(points, key=lambda point: directions[id(point)])

    def slots_from(start):
        return {
            id(point): start + 2 * math.pi * number / count for number, point in enumerate(around)
        }

    def total_length(slots):
        return sum(
            math.dist(
                (x + radius * math.cos(slots[id(p)]), y + radius * math.sin(slots[id(p)])),
                (p.x, p.y),
            )
            for p in points
        )

    steps = 4 * count
    slots = min((slots_from(2 * math.pi * step / steps) for step in range(steps)), key=total_length)
    members = []
    for point in points:
        angle = slots[id(point)]
        member_x = round(x + radius * math.cos(angle), 1)
        member_y = round(y + radius * math.sin(angle), 1)
        # An open group names all its members at once: each name outside the ring, away from
        # its centre, so that the names do not cover each other.
        reach = radius + 1.2 * target_radius
        label_x = round(x + reach * math.cos(angle), 1)
        label_y = round(y + reach * math.sin(angle) + 0.35 * target_radius, 1)
        anchor = "start" if math.cos(angle) > 0.3 else "end" if math.cos(angle) < -0.3 else "middle"
        members.append(RingMember(point, member_x, member_y, label_x, label_y, anchor))
    return MapGroup(tuple(points), round(x, 1), round(y, 1), tuple(members))


# A group of countries opens into a grid of its members, not a ring: at national scale all of
# Europe is one group (its countries lie within a few finger-widths of each other on a phone's
# world map), and a ring of forty targets does not fit on the map; a grid of rows does.
AREA_GRID_ROWS = 4


def group_areas(areas, target_radius=WORLD_TARGET_RADIUS):
    """The countries' circles as SinglePoints and MapGroups whose targets do not overlap.

    The country with the most partners stays where it is and takes in every country whose
    target would overlap its own; then the next one left, and so on (at most some two hundred
    countries: one pass over the groups made so far each). Each group sits where its largest
    country is, so that groups stay two target radii apart, and opens into a grid of its
    members (`area_grid`), which name themselves on hover and focus.
    """
    minimum = 2 * target_radius
    groups = []
    for area in sorted(areas, key=lambda area: -area.partner_count):
        for group in groups:
            if math.dist((area.x, area.y), (group[0].x, group[0].y)) < minimum:
                group.append(area)
                break
        else:
            groups.append([area])
    laid_out = []
    for group in groups:
        if len(group) == 1:
            laid_out.append(single(group[0], target_radius))
        else:
            laid_out.append(area_grid(group, group[0].x, group[0].y, target_radius))
    return laid_out


def area_grid(areas, x, y, target_radius, rows=AREA_GRID_ROWS):
    """A group of countries at (x, y): its members in rows, north to south and west to east as
    on the map, each a target of the same size with a line to its place; the grid kept inside
    the map, with its cell over the group's own badge left empty (a pointer opening the group
    there would otherwise land on a country). Each member's name shows on hover and focus, in
    one place above the grid, so that no name covers another's target."""
    count = len(areas)
    columns = max(math.ceil((count + 1) / rows), min(count + 1, 3))
    # A grid with one cell more than members; where the badge lies between cells (an even
    # number of columns or rows), up to four are taken: one column more, until all fit.
    while True:
        # More countries than fit at full size (some fifty, never on Earth's map): the grid
        # narrows to stay inside the map.
        spacing = min(2.2 * target_radius, (WIDTH - 2 * target_radius) / max(columns - 1, 1))
        rows_needed = math.ceil((count + 1) / columns)
        width, height = (columns - 1) * spacing, (rows_needed - 1) * spacing
        left = min(max(x - width / 2, target_radius), WIDTH - target_radius - width)
        # Room above the grid for the names.
        top = min(max(y - height / 2, 2.6 * target_radius), HEIGHT - target_radius - height)
        cells = [
            (left + column * spacing, top + row * spacing)
            for row in range(rows_needed)
            for column in range(columns)
        ]
        free = [cell for cell in cells if math.dist(cell, (x, y)) >= 2 * target_radius]
        if len(free) >= count:
            break
        columns += 1
    cells = free[:count]
    by_latitude = sorted(areas, key=lambda area: area.y)
    label_x, label_y = round(left + width / 2, 1), round(top - 1.4 * target_radius, 1)
    members = []
    start = 0
    # Fill row by row: the countries of each row, west to east, into that row's free cells.
    for row_top in sorted({cell_y for _cell_x, cell_y in cells}):
        row_cells = [cell for cell in cells if cell[1] == row_top]
        in_row = sorted(by_latitude[start : start + len(row_cells)], key=lambda a: a.x)
        start += len(row_cells)
        for (cell_x, cell_y), area in zip(row_cells, in_row, strict=True):
            members.append(
                RingMember(area, round(cell_x, 1), round(cell_y, 1), label_x, label_y, "middle")
            )
    # Behind the members: a backdrop, so that the map's other points do not show through.
    margin = 1.15 * target_radius
    panel = tuple(
        round(value, 1)
        for value in (
            left - margin,
            label_y - 1.2 * target_radius,
            width + 2 * margin,
            height + margin + (top - label_y) + 1.2 * target_radius,
        )
    )
    return MapGroup(tuple(areas), round(x, 1), round(y, 1), tuple(members), panel)


def home(name, latitude, longitude):
    if latitude is None or longitude is None:
        return None
    return Home(name, *project(latitude, longitude))


def great_circle(start, end, segments=ARC_SEGMENTS):
    """The shortest way between two (latitude, longitude) positions, as an SVG path.

    Points along the great circle (spherical interpolation), each projected like the map; where
    the way crosses the antimeridian the path jumps to the other edge instead of across the map.
    """

    def vector(latitude, longitude):
        lat, lon = math.radians(float(latitude)), math.radians(float(longitude))
        return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))

    a, b = vector(*start), vector(*end)
    angle = math.acos(max(-1.0, min(1.0, sum(p * q for p, q in zip(a, b, strict=True)))))
    if angle < 1e-9:
        return ""
    commands = []
    previous_x = None
    for step in range(segments + 1):
        t = step / segments
        weight_a = math.sin((1 - t) * angle) / math.sin(angle)
        weight_b = math.sin(t * angle) / math.sin(angle)
        x3, y3, z3 = (weight_a * p + weight_b * q for p, q in zip(a, b, strict=True))
        latitude = math.degrees(math.atan2(z3, math.hypot(x3, y3)))
        longitude = math.degrees(math.atan2(y3, x3))
        x, y = project(latitude, longitude)
        jump = previous_x is not None and abs(x - previous_x) > WIDTH / 2
        commands.append(f"{'M' if previous_x is None or jump else 'L'}{x:.1f} {y:.1f}")
        previous_x = x
    return " ".join(commands)


def arcs(home_position, partners):
    """A great-circle arc from the home city to every partner with a position."""
    if home_position is None:
        return []
    return [
        path
        for partner in partners
        if partner.has_position
        and (path := great_circle(home_position, (partner.latitude, partner.longitude)))
    ]
