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


# The published content's figures (partnerships/figures.py) keep the order of the jubilees of
# the year they were worked out in and of the two after it, so that the pages never sort every
# partnership to show the first few: at 50,000 partners some 15,000 have a jubilee in two years.
STORED_YEARS = 3


def stored_order(today):
    """For the figures: {year: [relationship pk, ...]} of this year's and the next two's
    jubilees, each year's in the pages' order. One query."""
    years = tuple(today.year + offset for offset in range(STORED_YEARS))
    order = {year: [] for year in years}
    for pk, year in jubilee_relationships(years).values_list("pk", "jubilee_year"):
        order[year].append(pk)
    return order


class JubileeList:
    """The jubilees of `years`, in their order, as a Paginator reads a list (count and slices).

    From the order the published content's figures keep, when they hold those years: a count
    without a query, and a page in one query of its own rows. Else (figures from a version older
    than last year) from the database, which sorts them all.
    """

    ordered = True  # for the Paginator, which warns about unordered lists

    def __init__(self, years, figures=None):
        stored = figures.jubilees if figures is not None else {}
        if all(year in stored for year in years):
            self.in_order = [(pk, year) for year in years for pk in stored[year]]
            self.queryset = None
        else:
            self.in_order = None
            self.queryset = jubilee_relationships(years)

    def count(self):
        return len(self.in_order) if self.queryset is None else self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        """The relationships of a slice, each with its `jubilee_year`."""
        if self.queryset is not None:
            return list(self.queryset[index])
        chosen = self.in_order[index]
        # One query even for no jubilee (Django answers an empty in_bulk without asking), so
        # that a page's number of queries does not depend on the year it is read in.
        found = Relationship.objects.select_related("partner", "kind").in_bulk(
            [pk for pk, _year in chosen] or [0]  # no row has the key 0
        )
        relationships = []
        for pk, year in chosen:
            if relationship := found.get(pk):
                relationship.jubilee_year = year
                relationships.append(relationship)
        return relationships


def upcoming_jubilees(today, limit, figures=None):
    """The first `limit` jubilees of this year and the next, and whether there are more."""
    found = JubileeList(coming_years(today), figures)[: limit + 1]
    return [as_jubilee(rel) for rel in found[:limit]], len(found) > limit
