"""Tell the office of a report, by a plain-text e-mail through Django's mail settings.

Plain text only, no HTML part: whatever a reader typed, markup included, reaches the office as
the characters typed, never as markup a mail client would render. The outcome is recorded on
the report (sent, or failed with the error), which the admin shows and can send again.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partnerships.models import Office

from .models import Report

logger = logging.getLogger(__name__)


class NoRecipient(Exception):
    pass


def recipients():
    """settings.FEEDBACK_RECIPIENTS, else the office's own e-mail address."""
    if settings.FEEDBACK_RECIPIENTS:
        return list(settings.FEEDBACK_RECIPIENTS)
    office_email = Office.objects.exclude(email="").values_list("email", flat=True).first()
    if not office_email:
        raise NoRecipient(
            _("No one to tell: set FEEDBACK_RECIPIENTS or the office's e-mail address.")
        )
    return [office_email]


def admin_url(request, report):
    """The report's page in the admin, as an address the office can follow from the e-mail."""
    return request.build_absolute_uri(reverse("admin:feedback_report_change", args=[report.pk]))


def notification(report, to, admin_url=""):
    """The e-mail for `report`, in the office's language (the site's default)."""
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "feedback/notification.txt",
            {"report": report, "admin_url": admin_url, "language": report.get_language_name()},
        )
        subject = _("Barrier reported on the website (report %(number)s)") % {"number": report.pk}
    return EmailMessage(
        subject=subject,
        body=body,
        to=to,
        reply_to=[report.email] if report.email else None,
    )


def notify(report, admin_url=""):
    """Send the office the e-mail for `report` and record how that went. Never raises."""
    try:
        notification(report, recipients(), admin_url).send()
    except Exception as error:
        logger.warning("Could not tell the office of feedback report %s.", report.pk, exc_info=True)
        Report.objects.filter(pk=report.pk).update(
            notification=Report.Notification.FAILED,
            notification_error=f"{type(error).__name__}: {error}"[:2000],
        )
        return False
    Report.objects.filter(pk=report.pk).update(
        notification=Report.Notification.SENT, notified_at=timezone.now(), notification_error=""
    )
    return True
