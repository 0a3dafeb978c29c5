"""The published content's figures: partnerships per kind, partners per country, and the order
of the coming years' jubilees.

The overview shows how many partnerships each kind has and draws the partners' countries on its
map; the directory counts its partnerships and offers their countries as a filter. Each of these
figures is an aggregate over every published partner: a few milliseconds for a city's tens of
partners, some 30 ms of scans at 50,000, on every render of both pages. The overview and the
anniversaries page list the jubilees of this year and the next in order: a sort of every
partnership with one, some 15,000 at 50,000 partners (partnerships/exchanges/jubilees.py).

They change only when the content does, so they are worked out once per content version, right
after the change that made it is committed (`content_published`, connected in signals.py), in the
process that made it: an editor's save or an import pays those 30 ms once, not every reader.
They are stored with that version, and a page uses them only when the version is the content's
current one (`ContentChange.last()`, which every public page reads anyway): never older than the
content they are shown with. A page that finds no figures for its version (the change's process
ended before it stored them, or a reader came between the commit and the storing) works them out
itself and stores them for the next one.

One row per version; the older ones are deleted when a newer one is stored.
"""

import logging
import threading
from dataclasses import dataclass, field

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Avg, Count, Q

from .exchanges import clock, jubilees
from .models import ContentChange, Partner, PublishedFigures, Relationship

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CountryFigures:
    """How many published partners a country has, and the mean position of those with one."""

    code: str
    partner_count: int
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Figures:
    # Published partnerships per kind's pk; a kind without any is absent.
    partnerships_per_kind: dict
    # Every country with published partners, in no particular order.
    countries: list
    # {year: [relationship pk, ...]}: the jubilees of the year the figures were worked out in
    # and of the next two, each year's in the pages' order.
    jubilees: dict = field(default_factory=dict)

    @property
    def partnership_count(self):
        return sum(self.partnerships_per_kind.values())

    @property
    def partner_count(self):
        return sum(country.partner_count for country in self.countries)


def work_out():
    """The figures of the content in the database now: two aggregate queries, and one for the
    jubilees' order.

    The partnerships per kind read the kinds' index and the few unpublished partners' (every
    partnership of a kind less those of unpublished partners); the countries read the published
    partners alone. A published partner without a partnership counts for its country too: rare,
    and leaving it out would read every partnership as well.
    """
    per_kind = dict(Relationship.objects.order_by().values_list("kind").annotate(count=Count("*")))
    unpublished = (
        Relationship.objects.filter(partner__is_published=False)
        .order_by()
        .values_list("kind")
        .annotate(count=Count("*"))
    )
    for kind, count in unpublished:
        per_kind[kind] -= count
    positioned = Q(latitude__isnull=False, longitude__isnull=False)
    countries = (
        Partner.objects.published()
        .values_list("country")
        .annotate(
            partner_count=Count("pk"),
            mean_latitude=Avg("latitude", filter=positioned),
            mean_longitude=Avg("longitude", filter=positioned),
        )
        .order_by()
    )
    return Figures(
        partnerships_per_kind={kind: count for kind, count in per_kind.items() if count},
        countries=[
            # The means of decimal positions are decimals: floats, to be stored as JSON.
            CountryFigures(code, count, as_float(latitude), as_float(longitude))
            for code, count, latitude, longitude in countries
        ],
        jubilees=jubilees.stored_order(clock.today()),
    )


def as_float(number):
    return None if number is None else float(number)


def for_version(version):
    """The figures of content version `version` (`ContentChange.last()`): stored ones, or worked
    out now and stored. One query when they are stored, four when not."""
    if version is None:
        # No change was ever recorded (an empty database): nothing to store them with.
        return work_out()
    stored = PublishedFigures.objects.filter(version=version).first()
    if stored is not None:
        return stored.figures()
    figures = work_out()
    store(version, figures)
    return figures


def store(version, figures):
    """Keep `figures` as those of `version`, and drop the older versions' figures.

    Storing them only spares the next reader the work: a database that refuses the write
    (another process stored them first; SQLite busy with a writer) leaves the page as it is.
    """
    try:
        with transaction.atomic():
            PublishedFigures.objects.create(
                version=version,
                partnerships_per_kind={
                    str(kind): count for kind, count in figures.partnerships_per_kind.items()
                },
                countries=[
                    [c.code, c.partner_count, c.latitude, c.longitude] for c in figures.countries
                ],
                jubilees={str(year): pks for year, pks in figures.jubilees.items()},
            )
            PublishedFigures.objects.filter(version__lt=version).delete()
    except IntegrityError:
        pass  # another process stored this version's figures first: the same figures
    except DatabaseError:
        logger.warning("Could not store the figures of content version %s.", version, exc_info=True)


_lock = threading.Lock()
_stored_through = None  # the latest version this process has stored the figures of


def store_after_change(sender, changed_at, **kwargs):
    """Store the figures of the content just committed (a `content_published` receiver).

    A transaction that saved a thousand rows announces a thousand versions, in their order; the
    first works the figures out and stores them as those of the version current at that moment,
    which includes them all, so the other announcements find nothing to do. Failing here must
    not fail the editor's change, which is committed: the next page works the figures out.
    """
    global _stored_through
    with _lock:
        if _stored_through is not None and changed_at <= _stored_through:
            return
        try:
            version = ContentChange.last()
            store(version, work_out())
        except Exception:
            logger.exception("Could not store the figures of the published content.")
            return
        _stored_through = version


def forget_stored():
    """As in a new process (for the tests)."""
    global _stored_through
    with _lock:
        _stored_through = None
