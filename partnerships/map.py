"""The world map: partners placed on a land outline drawn once from Natural Earth.

The outline (static/img/world-land.svg) is built by scripts/build-map.mjs from npm world-atlas
(Natural Earth 1:110m land, public domain); this module places points with the same
equirectangular projection, so the page draws the map without any request to another host.

A map of every partner stays readable, and small, only for tens of partners. When the overview
lists a selection, its map counts the partners by country instead: one circle per country, at
the mean position of its partners, sized by their number and linked to the directory filtered to
that country. There are at most some two hundred countries, however many partners.
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
