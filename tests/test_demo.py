import io

import pytest
from django.core.management import call_command

from partnerships.models import (
    Contact,
    ContentChange,
    Milestone,
    Office,
    Page,
    Partner,
    Relationship,
    RelationshipKind,
)

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Partner, Relationship, RelationshipKind, Office, Contact, Page, Milestone)
    }


def test_load_demo_loads_the_seed_page(demo):
    assert counts() == {
        "Partner": 13,
        "Relationship": 15,
        "RelationshipKind": 5,
        "Office": 1,
        "Contact": 3,
        "Page": 3,
        "Milestone": 10,
    }
    assert set(RelationshipKind.objects.values_list("code", flat=True)) == {
        "twin_city",
        "domestic_partnership",
        "city_friendship",
        "business_partnership",
        "agenda21_partnership",
    }
    assert set(Relationship.objects.values_list("kind__code", flat=True)) == set(
        RelationshipKind.objects.values_list("code", flat=True)
    )


def test_demo_uses_the_facts_file(demo):
    warsaw = Partner.objects.get(slug="warsaw")
    assert (warsaw.name_de, warsaw.name_en, warsaw.country.code) == ("Warschau", "Warsaw", "PL")
    assert (float(warsaw.latitude), float(warsaw.longitude)) == (52.22977, 21.01178)
    assert warsaw.relationships.get().since == "1989"
    moscow = Relationship.objects.get(partner__slug="moscow")
    assert moscow.status == Relationship.Status.SUSPENDED
    # Unknown in the sources, so left empty rather than guessed.
    assert Relationship.objects.get(partner__slug="guangzhou").since == ""
    chongqing = Partner.objects.get(slug="chongqing")
    assert sorted(chongqing.relationships.values_list("kind__code", flat=True)) == [
        "agenda21_partnership",
        "twin_city",
    ]


def test_every_page_text_is_in_german_and_english(demo):
    overview = Page.objects.get(key="overview")
    for field in ("title", "subtitle", "introduction", "quote", "quote_author"):
        assert getattr(overview, f"{field}_de"), field
        assert getattr(overview, f"{field}_en"), field
    for kind in RelationshipKind.objects.all():
        assert kind.name_de and kind.name_en and kind.section_text_de and kind.section_text_en


def test_running_load_demo_twice_changes_nothing(demo):
    before = counts()
    stamps = list(Partner.objects.order_by("pk").values_list("updated", flat=True))
    last_change = ContentChange.last()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == before
    assert list(Partner.objects.order_by("pk").values_list("updated", flat=True)) == stamps
    assert ContentChange.last() == last_change
    assert "0 created, 0 updated" in out.getvalue()
