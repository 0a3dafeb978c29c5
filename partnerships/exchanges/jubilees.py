"""Anniversaries without typing: each partnership's round years, from the year it began.

A partnership begun in 1987 turns 40 in 2027. Only active partnerships celebrate: a suspended or
ended one has its status banner instead. The overview and the partner page show the jubilees of
this year and the next; the open data lists every jubilee up to the hundredth.
"""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Substr
from django.utils.translation import ngettext

from ..models import Relationship

JUBILEE_YEARS = (10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 100)


@dataclass(frozen=True)
class Jubilee:
    relationship: Relationship
    year: int
    years: int

    @property
    def partner(self):
        return self.relationship.partner

    @property
    def text(self):
        """“40 years: Twin city with Warsaw” (“40 Jahre Städtepartnerschaft mit Warschau”), in
        the reader's language, with its plural form (Hebrew has four)."""
        return ngettext(
            "%(years)s year: %(kind)s with %(partner)s",
            "%(years)s years: %(kind)s with %(partner)s",
            self.years,
        ) % {"years": self.years, "kind": self.relationship.kind.name, "partner": self.partner.name}


def jubilees_of(relationship, years):
    """The jubilees of one relationship in each of `years` (none without a start year)."""
    if relationship.status != Relationship.Status.ACTIVE or not relationship.since_year:
        return []
    found = []
    for year in years:
        age = year - relationship.since_year
        if age in JUBILEE_YEARS:
            found.append(Jubilee(relationship, year, age))
    return found


def every_jubilee(relationship):
    """Every jubilee of the relationship, from its tenth year to its hundredth."""
    if not relationship.since_year:
        return []
    return [Jubilee(relationship, relationship.since_year + age, age) for age in JUBILEE_YEARS]


def coming_years(today):
    """This year and the next: the years whose jubilees the pages show."""
    return (today.year, today.year + 1)


def jubilee_relationships(years):
    """The published, active partnerships with a jubilee in one of `years` (ascending), the
    earliest year's first, then by start date: one query, which the database orders and cuts,
    so that a page lists the first ones without reading every partnership.

    A partnership has a jubilee in at most one of two consecutive years (no two jubilee ages are
    a year apart).
    """
    begun_in = {year: [f"{year - age:04d}" for age in JUBILEE_YEARS] for year in years}
    return (
        Relationship.objects.filter(partner__is_published=True, status=Relationship.Status.ACTIVE)
        .annotate(start_year=Substr("since", 1, 4))
        .filter(start_year__in=[start for starts in begun_in.values() for start in starts])
        .annotate(
            jubilee_year=Case(
                *(
                    When(start_year__in=starts, then=Value(year))
                    for year, starts in begun_in.items()
                ),
                output_field=IntegerField(),
            )
        )
        .select_related("partner", "kind")
        .order_by("jubilee_year", "since", "pk")
    )


def as_jubilee(relationship):
    """The jubilee of a relationship that `jubilee_relationships` found."""
    year = relationship.jubilee_year
    return Jubilee(relationship, year, year - relationship.since_year)


def upcoming_jubilees(today, limit):
    """The first `limit` jubilees of this year and the next, and whether there are more."""
    found = list(jubilee_relationships(coming_years(today))[: limit + 1])
    return [as_jubilee(rel) for rel in found[:limit]], len(found) > limit
