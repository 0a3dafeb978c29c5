"""The pages of associations, events and jubilees in Chromium (axe) and the Nu HTML Checker, in
every language, with events to come, past ones, an association and a jubilee on them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from partnerships.exchanges import clock
from partnerships.exchanges.models import Event
from partnerships.models import Relationship

from .test_browser import axe_violations
from .test_html_validity import nu_check

pytestmark = pytest.mark.browser

PAGES = [
    ("overview", ()),
    ("events", ()),
    ("events-archive", ()),
    ("associations", ()),
    ("jubilees", ()),
    ("partner-detail", ("reading",)),
    ("partner-detail", ("toulouse",)),
    ("partner-detail", ("moscow",)),
]


def add_content():
    """A jubilee this year (Warsaw's 40th, begun in the year 40 years back) and an event of
    today with a time, beside the demo's events and associations."""
    today = clock.today()
    Relationship.objects.filter(partner__slug="warsaw").update(since=str(today.year - 40))
    warsaw = Relationship.objects.get(partner__slug="warsaw", kind__code="twin_city")
    Event.objects.create(
        relationship=warsaw,
        title_de="Empfang im Rathaus",
        summary_en="<p>With <a href='https://example.org/'>music</a>.</p>",
        start_date=today,
        start_time=datetime.time(18, 0),
        end_time=datetime.time(20, 0),
        link="https://example.org/empfang",
    )
    warsaw.save()  # the content version, after the update() above


def addresses():
    found = []
    for language in ("de", "en", "he"):
        with translation.override(language):
            found += [reverse(f"partnerships:{name}", args=args) for name, args in PAGES]
    return found + ["/en/events/archive/?partner=toulouse&kind=bogus"]


def test_the_new_pages_pass_the_nu_html_checker(client, demo, tmp_path):
    add_content()
    files = []
    paths = addresses()
    for number, path in enumerate(paths):
        response = client.get(path)
        assert response.status_code == 200, path
        files.append(tmp_path / f"page-{number}.html")
        files[-1].write_bytes(response.content)
    assert b"Empfang im Rathaus" in (tmp_path / "page-0.html").read_bytes()
    errors = [
        f"{paths[files.index(next(f for f in files if f.name in m['url']))]} "
        f"line {m.get('lastLine')}: {m['message']}"
        for m in nu_check(files)
    ]
    assert errors == [], "\n".join(errors)


def test_axe_finds_no_violation_on_the_new_pages_and_nothing_comes_from_another_host(page):
    add_content()
    others = []
    page.on(
        "request",
        lambda request: (
            others.append(request.url)
            if not request.url.startswith(page.site) and not request.url.startswith("data:")
            else None
        ),
    )
    failures = []
    for path in addresses():
        page.goto(page.site + path)
        failures += [f"{path}: {violation}" for violation in axe_violations(page)]
    assert failures == [], "\n".join(failures)
    assert others == []
