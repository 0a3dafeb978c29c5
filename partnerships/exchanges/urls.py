"""Included in partnerships/urls.py, so that these pages are in its namespace and under the
language prefix."""

from django.urls import path

from . import views

urlpatterns = [
    path("events/", views.events, name="events"),
    path("events/archive/", views.events_archive, name="events-archive"),
    # Addresses that end in a slash are served through the page cache (partnerships/caching.py).
    path("events/calendar/", views.events_calendar, name="events-calendar"),
    path("associations/", views.associations, name="associations"),
    path("anniversaries/", views.jubilee_list, name="jubilees"),
    path("partners/<slug:slug>/calendar/", views.partner_calendar, name="partner-calendar"),
]
