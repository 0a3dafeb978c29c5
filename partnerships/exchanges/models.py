"""The civic side of a partnership: the associations that carry it, and what happens in it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from ..fields import WebsiteField
from ..images import ImageField, require_image_texts
from ..models import Relationship


class AssociationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Association(models.Model):
    """A civic group that carries partnerships: a Partnerschaftsverein, a friendship society,
    a school's partnership."""

    class Kind(models.TextChoices):
        PARTNERSHIP_ASSOCIATION = "partnership_association", _("partnership association")
        FRIENDSHIP_SOCIETY = "friendship_society", _("friendship society")
        SCHOOL_PARTNERSHIP = "school_partnership", _("school partnership")
        YOUTH_ORGANISATION = "youth_organisation", _("youth organisation")
        OTHER = "other", _("other association")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind of association"),
        max_length=30,
        choices=Kind,
        default=Kind.PARTNERSHIP_ASSOCIATION,
    )
    website = WebsiteField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    contact_person = models.CharField(
        _("contact person"),
        max_length=200,
        blank=True,
        help_text=_("The person the public may contact, e.g. the chair."),
    )
    description = models.TextField(_("description"), blank=True)
    relationships = models.ManyToManyField(
        Relationship,
        related_name="associations",
        blank=True,
        verbose_name=_("relationships"),
        help_text=_("The partnerships the association carries."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    updated = models.DateTimeField(_("last change"), auto_now=True)

    objects = AssociationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("association")
        verbose_name_plural = _("associations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('partnerships:associations')}#association-{self.pk}"


UPCOMING_ORDER = ("start_date", models.F("start_time").asc(nulls_first=True), "pk")


class EventQuerySet(models.QuerySet):
    def published(self):
        """Events of published partners."""
        return self.filter(relationship__partner__is_published=True)

    def with_last_day(self):
        return self.annotate(last_day=Coalesce("end_date", "start_date"))

    def upcoming(self, today):
        """Not over yet on `today`: running or still to come, the soonest first."""
        return self.with_last_day().filter(last_day__gte=today).order_by(*UPCOMING_ORDER)

    def past(self, today):
        """Over before `today`, the latest first.

        (Begun before `today` too, which follows, but lets the database read the start dates'
        index backwards from today instead of every event to come first.)
        """
        return (
            self.with_last_day()
            .filter(start_date__lt=today, last_day__lt=today)
            .order_by("-start_date", models.F("start_time").desc(nulls_last=True), "-pk")
        )

    # `upcoming` in two parts, each read from an index of its own (the start dates', the end
    # dates'), so that a list of the first few reads no more rows than it lists, however many
    # events there are: see UpcomingEvents in views.py.

    def running(self, today):
        """Begun before `today` and not over yet (few: only those with an end date)."""
        return self.filter(start_date__lt=today, end_date__gte=today).order_by(*UPCOMING_ORDER)

    def from_day(self, today):
        """Beginning on `today` or later, the soonest first."""
        return self.filter(start_date__gte=today).order_by(*UPCOMING_ORDER)

    def for_pages(self):
        return self.select_related("relationship__partner", "relationship__kind", "association")


class Event(models.Model):
    """A dated activity of a relationship: an exchange visit, a delegation, a cultural week...

    Dates and times are the city's wall clock (settings.TIME_ZONE, Europe/Berlin), as the office
    announces them; an event without a time lasts whole days. Without an end date it ends on
    the day it starts.
    """

    class Kind(models.TextChoices):
        EXCHANGE_VISIT = "exchange_visit", _("exchange visit")
        SCHOOL_EXCHANGE = "school_exchange", _("school exchange")
        YOUTH_EXCHANGE = "youth_exchange", _("youth exchange")
        DELEGATION = "delegation", _("delegation")
        CULTURAL_WEEK = "cultural_week", _("cultural week")
        SPORTS_MEETING = "sports_meeting", _("sports meeting")
        ANNIVERSARY = "anniversary", _("anniversary")
        OTHER = "other", _("other event")

    relationship = models.ForeignKey(
        Relationship,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("relationship"),
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("association"),
    )
    kind = models.CharField(_("kind of event"), max_length=30, choices=Kind, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("e.g. “Rathaus, Marktplatz 2”")
    )
    start_date = models.DateField(_("start date"))
    start_time = models.TimeField(
        _("start time"), null=True, blank=True, help_text=_("Empty for an all-day event.")
    )
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Empty when it ends on its start date.")
    )
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    link = WebsiteField(_("link"), blank=True, help_text=_("A page with more about the event."))
    image = ImageField(
        _("image"),
        upload_to="events/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        renditions_field="image_renditions_ready",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Set by the background task once the renditions exist; until then pages show the image.
    image_renditions_ready = models.BooleanField(default=False, editable=False)
    image_alt = models.CharField(
        _("image description (alt text)"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    image_credit = models.CharField(
        _("image credit"), max_length=200, blank=True, help_text=_("e.g. “Photo: Jan Kowalski”")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("last change"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "start_time", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("exchanges and events")
        indexes = [
            models.Index(fields=["start_date"], name="event_start_date"),
            # The events running today (EventQuerySet.running): few have an end date.
            models.Index(
                fields=["end_date"], name="event_end_date", condition=Q(end_date__isnull=False)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_it_starts",
                violation_error_message=_("An event cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=False) | Q(end_time__isnull=True),
                name="event_end_time_needs_start_time",
                violation_error_message=_("An end time needs a start time."),
            ),
        ]

    def __str__(self):
        return f"{self.start_date.isoformat()}: {self.title}"

    def clean(self):
        super().clean()
        require_image_texts(self, "image", "image_alt", "image_credit")
        if (
            self.start_time
            and self.end_time
            and (self.end_date is None or self.end_date == self.start_date)
            and self.end_time < self.start_time
        ):
            raise ValidationError({"end_time": _("An event cannot end before it starts.")})

    @property
    def is_all_day(self):
        return self.start_time is None

    @property
    def last_date(self):
        return self.end_date or self.start_date

    @property
    def start_iso(self):
        """For <time datetime> and schema.org: a date, or a date and time with its offset."""
        return self.starts().isoformat()

    @property
    def end_iso(self):
        ends = self.ends()
        return ends.isoformat() if ends else ""

    def starts(self):
        """The start as a date (all day), or an aware datetime in the city's time zone."""
        if self.start_time is None:
            return self.start_date
        return as_city_time(self.start_date, self.start_time)

    def ends(self):
        """The end as given (a date, or an aware datetime), or None when none is given."""
        if self.start_time is None:
            return self.end_date
        if self.end_time is None:
            return None
        return as_city_time(self.end_date or self.start_date, self.end_time)

    @property
    def when_display(self):
        """The dates (and times) in the reader's format: "2. Mai 2027, 10:00–12:00"."""
        start = formats.date_format(self.start_date, "DATE_FORMAT")
        if self.start_time:
            start = f"{start}, {formats.time_format(self.start_time, 'TIME_FORMAT')}"
        if self.end_date and self.end_date != self.start_date:
            end = formats.date_format(self.end_date, "DATE_FORMAT")
            if self.end_time:
                end = f"{end}, {formats.time_format(self.end_time, 'TIME_FORMAT')}"
            return f"{start} – {end}"
        if self.end_time:
            return f"{start}–{formats.time_format(self.end_time, 'TIME_FORMAT')}"
        return start


def as_city_time(date, time):
    return timezone.make_aware(datetime.datetime.combine(date, time))
