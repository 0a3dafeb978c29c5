from django_tasks import task

from .models import Report
from .notify import notify


@task()
def notify_office(report_pk, admin_url=""):
    """E-mail the office of a new report (or again, from the admin), linking to `admin_url`."""
    report = Report.objects.filter(pk=report_pk).first()
    if report is not None:  # deleted meanwhile: nothing to tell
        notify(report, admin_url)
