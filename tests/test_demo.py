import io

import pytest
from django.core.management import call_command
from reversion.models import Version

from partnerships.exchanges.models import Association, Event
from partnerships.models import (
    AccessibilityStatement,
    Contact,
    ContentChange,
    Imprint,
    InaccessiblePart,
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
        for model in (
            Partner,
            Relationship,
            RelationshipKind,
            Office,
            Contact,
            Page,
            Milestone,
            Association,
            Event,
            AccessibilityStatement,
            InaccessiblePart,
            Imprint,
        )
    }


def test_load_demo_loads_the_seed_page(demo):
    assert counts() == {
        "Partner": 13,
        "Relationship": 15,
        "RelationshipKind": 5,
        "Office": 1,
        "Contact": 3,
        "Page": 6,
        "Milestone": 10,
        "Association": 2,
        "Event": 4,
        "AccessibilityStatement": 1,
        "InaccessiblePart": 1,
        "Imprint": 1,
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


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_running_load_demo_twice_changes_nothing(demo):
    before = counts()
    stamps = list(Partner.objects.order_by("pk").values_list("updated", flat=True))
    last_change = ContentChange.last()
    assert "not loaded, the database has content already" in load_demo()
    assert counts() == before
    assert list(Partner.objects.order_by("pk").values_list("updated", flat=True)) == stamps
    assert ContentChange.last() == last_change


def edit_the_demo():
    """What an editor might have done between two starts of scripts/run."""
    warsaw = Partner.objects.get(slug="warsaw")
    warsaw.name_en = "Warszawa"
    warsaw.save()
    overview = Page.objects.get(key="overview")
    overview.introduction_en = "Our own introduction."
    overview.save()
    Partner.objects.get(slug="moscow").delete()


def test_load_demo_keeps_what_an_editor_changed_or_deleted(demo):
    edit_the_demo()
    load_demo()
    assert Partner.objects.get(slug="warsaw").name_en == "Warszawa"
    assert Page.objects.get(key="overview").introduction_en == "Our own introduction."
    # Deleted on purpose: a second start must not bring it back.
    assert not Partner.objects.filter(slug="moscow").exists()
    assert not Relationship.objects.filter(partner__slug="moscow").exists()


def test_an_editor_who_deleted_everything_does_not_get_the_demo_back(demo):
    for model in (
        Milestone,
        Relationship,
        Partner,
        Contact,
        Office,
        Page,
        RelationshipKind,
        Association,
        InaccessiblePart,
        AccessibilityStatement,
        Imprint,
    ):
        model.objects.all().delete()
    assert "not loaded" in load_demo()
    assert set(counts().values()) == {0}


def test_load_demo_leaves_a_database_with_other_content_alone(db):
    RelationshipKind.objects.create(code="twin_city", name_de="Städtepartnerschaft")
    assert "not loaded" in load_demo()
    assert counts()["Partner"] == 0


def test_reset_restores_the_demo_content_and_keeps_other_objects(demo):
    before = counts()
    edit_the_demo()
    Partner.objects.create(slug="our-own", name_de="Unsere eigene", country="FR")
    # Moscow with its relationship and milestones back; Warsaw and the overview rewritten.
    assert "4 created, 2 updated" in load_demo("--reset")
    assert Partner.objects.get(slug="warsaw").name_en == "Warsaw"
    overview = Page.objects.get(key="overview")
    assert overview.introduction_en != "Our own introduction." and overview.introduction_en
    moscow = Partner.objects.get(slug="moscow")
    assert moscow.relationships.get().status == Relationship.Status.SUSPENDED
    assert Partner.objects.filter(slug="our-own").exists()
    assert counts() == {**before, "Partner": before["Partner"] + 1}


def test_reset_is_one_revision_in_each_objects_history(demo):
    edit_the_demo()
    load_demo("--reset")
    warsaw = Partner.objects.get(slug="warsaw")
    [version] = Version.objects.get_for_object(warsaw)
    assert version.revision.comment == "Demo content restored (load_demo --reset)"
    assert version.field_dict["name_en"] == "Warsaw"
