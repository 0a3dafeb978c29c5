"""Reports of barriers on the site, sent through the public form (BGG §12b).

A report is stored before anything else happens to it; telling the office by e-mail is a
separate step whose outcome the report records (notify.py), so a mail server that is down
never loses one.
"""

import calendar
import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language_info, pgettext_lazy
from django.utils.translation import gettext_lazy as _


def one_month_after(day):
    """The deadline of a period of one month from `day` (BGB §188 (2), (3), as BGG §12b means it).

    The day of the next month with the same number; where that month is shorter, its last day
    (31 January → 28/29 February).
    """
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state=Report.State.ANSWERED)

    def overdue(self, today=None):
        """Open reports whose one-month deadline has passed."""
        return self.open().filter(deadline__lt=today or timezone.localdate())

    def received_before(self, moment):
        return self.filter(received_at__lt=moment)


class Report(models.Model):
    class State(models.TextChoices):
        NEW = "new", _("new")
        IN_PROGRESS = "in_progress", _("in progress")
        ANSWERED = "answered", _("answered")

    class Notification(models.TextChoices):
        PENDING = "pending", _("not sent yet")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    received_at = models.DateTimeField(
        _("received"), default=timezone.now, editable=False, db_index=True
    )
    page = models.CharField(_("page concerned"), max_length=500, blank=True)
    message = models.TextField(_("what is wrong"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language of the form"), max_length=10, editable=False)

    state = models.CharField(
        pgettext_lazy("report", "state"), max_length=20, choices=State, default=State.NEW
    )
    answered_on = models.DateField(
        _("reply date"),
        null=True,
        blank=True,
        help_text=_("Today's date if a report is marked answered without one."),
    )
    deadline = models.DateField(_("deadline"), editable=False)
    note = models.TextField(_("internal note"), blank=True)

    notification = models.CharField(
        _("notification of the office"),
        max_length=20,
        choices=Notification,
        default=Notification.PENDING,
        editable=False,
    )
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True, editable=False)
    notification_error = models.TextField(_("notification error"), blank=True, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("reported barrier")
        verbose_name_plural = _("reported barriers")
        indexes = [models.Index(fields=["state", "deadline"], name="feedback_open_deadline")]
        constraints = [
            models.CheckConstraint(condition=~Q(message=""), name="feedback_message_not_empty"),
            models.CheckConstraint(
                condition=~Q(state="answered") | Q(answered_on__isnull=False),
                name="feedback_answered_has_reply_date",
            ),
        ]

    def __str__(self):
        return _("Report of %(received)s") % {
            "received": timezone.localtime(self.received_at).strftime("%Y-%m-%d %H:%M")
        }

    def save(self, *args, **kwargs):
        self.deadline = one_month_after(timezone.localdate(self.received_at))
        self.fill_reply_date()
        super().save(*args, **kwargs)

    def clean(self):
        self.fill_reply_date()

    def fill_reply_date(self):
        """An answered report without a reply date was answered today."""
        if self.state == self.State.ANSWERED and self.answered_on is None:
            self.answered_on = timezone.localdate()

    def get_language_name(self):
        """The form's language by name, in the active language ("" if unknown)."""
        try:
            return get_language_info(self.language)["name_translated"]
        except KeyError:
            return self.language

    @property
    def is_overdue(self):
        return self.state != self.State.ANSWERED and self.deadline < timezone.localdate()
