"""The published content's figures, worked out once per content version
(partnerships/figures.py)."""

import re

import pytest
from django.db import OperationalError, transaction

from partnerships import figures
from partnerships.models import ContentChange, Partner, PublishedFigures, Relationship

from .factories import make_kind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def as_in_a_new_process():
    figures.forget_stored()
    yield
    figures.forget_stored()


def partners_found(html):
    return int(re.search(r"(\d+) partnerships found", html).group(1))


def test_the_change_stores_the_figures_of_its_version_once_committed(
    client, demo, django_capture_on_commit_callbacks, django_assert_num_queries, settings
):
    settings.PUBLIC_PAGE_CACHE = False
    with django_capture_on_commit_callbacks(execute=True):
        partner = Partner.objects.get(slug="chongqing")
        partner.is_published = False
        partner.save()
    stored = PublishedFigures.objects.get()
    assert stored.version == ContentChange.last()
    assert stored.figures() == figures.work_out()
    # The page's first reader finds them: the overview's queries without working them out
    # (tests/test_overview.py).
    with django_assert_num_queries(15):
        html = client.get("/en/").content.decode()
    assert "/en/partners/chongqing/" not in html


def test_a_transaction_of_many_changes_works_the_figures_out_once(
    demo, django_capture_on_commit_callbacks, monkeypatch
):
    worked_out = []
    work_out = figures.work_out
    monkeypatch.setattr(figures, "work_out", lambda: worked_out.append(1) or work_out())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for partner in Partner.objects.all()[:5]:
                partner.save()
    assert len(callbacks) >= 5  # one announcement per change
    assert len(worked_out) == 1
    assert PublishedFigures.objects.get().version == ContentChange.last()


def test_the_figures_of_an_earlier_version_are_never_shown(client, demo):
    """Stored figures belong to their version: a change (here one that bypasses the signals,
    as an import's bulk writes do, and touches the version itself) is counted at once."""
    before = partners_found(client.get("/en/partners/").content.decode())
    assert PublishedFigures.objects.filter(version=ContentChange.last()).exists()

    readings = Relationship.objects.filter(partner__slug="reading")
    deleted = readings.count()
    assert deleted
    readings.delete()  # its signals make a new version
    after = partners_found(client.get("/en/partners/").content.decode())
    assert after == before - deleted

    kind = make_kind("twin_city")
    partner = Partner.objects.create(name_de="Neustadt", slug="neustadt", country="PL")
    Relationship.objects.bulk_create([Relationship(partner=partner, kind=kind)])
    ContentChange.touch()
    assert partners_found(client.get("/en/partners/").content.decode()) == after + 1
    # Only the current version's figures are kept.
    assert list(PublishedFigures.objects.values_list("version", flat=True)) == [
        ContentChange.last()
    ]


def test_the_figures_count_published_partnerships_and_countries(demo):
    kind = make_kind("twin_city")
    hidden = Partner.objects.create(
        name_de="Verborgen", slug="verborgen", country="NZ", is_published=False
    )
    Relationship.objects.create(partner=hidden, kind=kind)
    worked_out = figures.work_out()
    published = Relationship.objects.filter(partner__is_published=True)
    assert worked_out.partnership_count == published.count()
    assert worked_out.partnerships_per_kind[kind.pk] == published.filter(kind=kind).count()
    codes = {country.code for country in worked_out.countries}
    assert "NZ" not in codes
    assert codes == set(Partner.objects.published().values_list("country", flat=True))
    assert worked_out.partner_count == Partner.objects.published().count()


def test_a_failure_to_store_them_does_not_fail_the_committed_change(
    client, demo, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(figures, "work_out", broken)
    with django_capture_on_commit_callbacks(execute=True):
        Partner.objects.filter(slug="reading").get().save()
    assert "Could not store the figures" in caplog.text
    assert not PublishedFigures.objects.exists()
    monkeypatch.undo()
    # The page's first reader works them out instead.
    assert client.get("/en/").status_code == 200
    assert PublishedFigures.objects.get().version == ContentChange.last()


def test_a_database_that_refuses_to_store_them_still_gets_the_page(client, demo, monkeypatch):
    """On SQLite a reader's write can find the database busy with a writer: the page is shown
    with the figures it worked out, and the next reader tries again."""

    def busy(**fields):
        raise OperationalError("database is locked")

    monkeypatch.setattr(PublishedFigures.objects, "create", busy)
    response = client.get("/en/partners/")
    assert response.status_code == 200
    assert partners_found(response.content.decode()) == Relationship.objects.count()
    assert not PublishedFigures.objects.exists()
