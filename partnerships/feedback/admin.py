"""The reported barriers in the admin: what was reported, its state, reply date and deadline.

Whatever a reader typed is shown as text (read-only fields and list columns are escaped by the
admin; nothing here marks it safe). Reports come from the public form only: none is added here.
"""

import datetime

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import notify
from .models import Report
from .tasks import notify_office


class DeadlineFilter(admin.SimpleListFilter):
    """Open reports by their one-month deadline (BGG §12b), which is a date compared to today."""

    title = gettext_lazy("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("overdue", gettext_lazy("overdue")),
            ("week", gettext_lazy("due within a week")),
            ("open", gettext_lazy("open, within the deadline")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.overdue(today)
        if self.value() == "week":
            return queryset.open().filter(
                deadline__gte=today, deadline__lte=today + datetime.timedelta(days=7)
            )
        if self.value() == "open":
            return queryset.open().filter(deadline__gte=today)
        return queryset


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = [
        "received_at",
        "summary",
        "page",
        "state",
        "deadline_display",
        "answered_on",
        "notification",
    ]
    list_display_links = ["received_at", "summary"]
    list_filter = [DeadlineFilter, "state", "notification"]
    search_fields = ["message", "page", "name", "email"]
    date_hierarchy = "received_at"
    actions = ["send_notification_again"]
    readonly_fields = [
        "received_at",
        "deadline_display",
        "page",
        "message",
        "name",
        "email",
        "language_display",
        "notification",
        "notified_at",
        "notification_error",
    ]
    fieldsets = [
        (
            gettext_lazy("The report"),
            {"fields": ["received_at", "page", "message", "name", "email", "language_display"]},
        ),
        (
            gettext_lazy("Handling"),
            {"fields": ["state", "answered_on", "deadline_display", "note"]},
        ),
        (
            gettext_lazy("Notification of the office"),
            {"fields": ["notification", "notified_at", "notification_error"]},
        ),
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("what is wrong"))
    def summary(self, report):
        return Truncator(report.message).chars(80)

    @admin.display(description=gettext_lazy("deadline"), ordering="deadline")
    def deadline_display(self, report):
        if report.is_overdue:
            return format_html(
                '<strong class="feedback-overdue">{} ({})</strong>',
                report.deadline.strftime("%Y-%m-%d"),
                _("overdue"),
            )
        return report.deadline.strftime("%Y-%m-%d")

    @admin.display(description=gettext_lazy("language of the form"))
    def language_display(self, report):
        return report.get_language_name()

    @admin.action(
        description=gettext_lazy("Send the notification to the office again"),
        permissions=["change"],
    )
    def send_notification_again(self, request, queryset):
        reports = list(queryset.only("pk"))
        # "Not sent yet" until the task worker has tried (the last error is kept until then).
        queryset.update(notification=Report.Notification.PENDING)
        for report in reports:
            link = notify.admin_url(request, report)
            transaction.on_commit(
                lambda pk=report.pk, link=link: notify_office.enqueue(pk, link), robust=True
            )
        self.message_user(
            request,
            ngettext(
                "The notification of %(count)d report is being sent again; its state shows "
                "whether it went out.",
                "The notifications of %(count)d reports are being sent again; their state "
                "shows whether they went out.",
                len(reports),
            )
            % {"count": len(reports)},
            messages.SUCCESS,
        )
