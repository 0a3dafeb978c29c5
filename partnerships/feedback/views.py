"""The public form to report a barrier, and its confirmation.

A plain HTML form (no script), posted and redirected (POST/redirect/GET) to a confirmation of
its own. The form carries a CSRF token, so it is never stored by the page cache
(partnerships/caching.py passes FORM_PAGES straight through, for every method); the
confirmation is the same for everyone and is cached as any public page.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, get_language_from_path, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from . import notify, throttle
from .forms import ReportForm
from .tasks import notify_office

# The page a report names is prefilled with at most this much of its address.
PAGE_MAX_LENGTH = 500
# The pages a report can be about.
PUBLIC_NAMESPACES = {"partnerships"}


def reported_page(request):
    """The page the reader came from, as an address of this site, or "".

    From `?page=` (the footer's link gives it) or else the Referer. Either is whatever the
    client sends: only an address on this host that resolves to one of our pages is taken,
    never the feedback pages themselves, and never more than its path and query.
    """
    for candidate in (request.GET.get("page", ""), request.META.get("HTTP_REFERER", "")):
        if not candidate or not url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            continue
        parts = urlsplit(candidate)
        # A public page of any language: the address resolves under its own language prefix.
        language = get_language_from_path(parts.path)
        if language is None:
            continue  # not a public page (the admin, the sitemap)
        with translation.override(language):
            try:
                match = resolve(parts.path)
            except Resolver404:
                continue
        if match.namespace not in PUBLIC_NAMESPACES:
            continue  # this form itself, or its confirmation
        address = request.build_absolute_uri(
            parts.path + (f"?{parts.query}" if parts.query else "")
        )
        if len(address) <= PAGE_MAX_LENGTH:
            return address
    return ""


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_barrier(request):
    status = 200
    limited = False
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            if not throttle.take_one(request):
                limited = True
                status = 429
            elif form.is_spam():
                return redirect("feedback:thanks")  # silently: nothing stored, nothing sent
            else:
                report = form.save(commit=False)
                report.language = get_language()
                report.save()
                # Stored first; the e-mail goes out from the task worker once it is committed.
                # A queue that fails leaves the report "not sent yet" in the admin (robust).
                link = notify.admin_url(request, report)
                transaction.on_commit(lambda: notify_office.enqueue(report.pk, link), robust=True)
                return redirect("feedback:thanks")
    else:
        form = ReportForm(initial={"page": reported_page(request)})
    title = gettext("Report a barrier")
    if form.errors or limited:
        title = gettext("Error: %(title)s") % {"title": title}
    return render(
        request,
        "feedback/report.html",
        {
            "form": form,
            "limited": limited,
            "title": title,
            "retention_days": settings.FEEDBACK_RETENTION_DAYS,
        },
        status=status,
    )


@require_safe
def thanks(request):
    return render(
        request,
        "feedback/thanks.html",
        {"title": gettext("Thank you for your report")},
    )
