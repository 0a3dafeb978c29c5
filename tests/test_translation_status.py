"""Which texts are translated, missing and outdated in each language, through every way content
is written: a save, the admin, a file import and its undo, a restore from History, load_demo."""

import csv
import io

import pytest
import reversion
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from partnerships.models import Milestone, Page, Partner, RelationshipKind
from partnerships.transfer.changes import undo
from partnerships.transfer.engine import import_table
from partnerships.transfer.reading import open_table
from partnerships.translating.fields import target_languages, translated_models
from partnerships.translating.models import TranslationStamp
from partnerships.translating.status import language_statuses, work_list

from .adminforms import change_form_data, make_editor
from .factories import make_partner, make_relationship

pytestmark = pytest.mark.django_db


def state(obj, field, language="en"):
    """'missing', 'outdated' or 'translated' for one text, as the status counts it."""
    items, _count = work_list(language).get(type(obj), ([], 0))
    for item in items:
        if item.obj.pk == obj.pk:
            for translated, text_state in item.texts:
                if translated.name == field:
                    return text_state
    return "translated"


def totals(language="en"):
    status = next(s for s in language_statuses([language]) if s.language == language)
    return {"missing": status.missing, "outdated": status.outdated, "translated": status.translated}


def test_every_registered_field_is_covered():
    covered = {(m._meta.model_name, f.name) for m, fs in translated_models().items() for f in fs}
    assert ("partner", "description") in covered
    assert ("relationshipkind", "section_text") in covered
    assert ("page", "body") in covered
    assert ("contact", "role") in covered
    assert ("milestone", "note") in covered
    assert ("office", "name") in covered
    assert ("partner", "image_alt") in covered
    assert "de" not in target_languages()


def test_counts_follow_texts_added_emptied_and_made_outdated():
    partner = make_partner(name_de="Warschau", description_de="Hauptstadt.")
    before = totals()
    assert state(partner, "description") == "missing"

    partner.description_en = "Capital."
    partner.save()
    assert state(partner, "description") == "translated"
    assert totals()["missing"] == before["missing"] - 1

    partner.description_de = "Hauptstadt Polens."
    partner.save()
    assert state(partner, "description") == "outdated"
    assert totals()["outdated"] == before["outdated"] + 1

    # A new translation of the new German text is current again.
    partner.description_en = "Capital of Poland."
    partner.save()
    assert state(partner, "description") == "translated"

    # German and English changed in one save: the English translates the new German.
    partner.description_de = "Die Hauptstadt Polens."
    partner.description_en = "The capital of Poland."
    partner.save()
    assert state(partner, "description") == "translated"

    partner.description_en = ""
    partner.save()
    assert state(partner, "description") == "missing"
    # An empty German text has nothing to translate: not counted at all.
    partner.description_de = ""
    partner.save()
    assert totals()["missing"] == before["missing"] - 1  # the description no longer counts


def test_languages_are_counted_apart():
    partner = make_partner(name_de="Haifa", description_de="Hafen.", description_en="Port.")
    partner.description_de = "Hafenstadt."
    partner.save()
    assert state(partner, "description", "en") == "outdated"
    for language in target_languages():
        if language != "en":
            assert state(partner, "description", language) == "missing"


def test_an_admin_edit_of_the_german_text_makes_the_translation_outdated(client, demo):
    client.force_login(make_editor())
    partner = Partner.objects.get(slug="warsaw")
    assert partner.description_en and state(partner, "description") == "translated"
    url = reverse("admin:partnerships_partner_change", args=[partner.pk])
    response = client.post(url, change_form_data(client.get(url), description_de="Neu."))
    assert response.status_code == 302

    assert state(partner, "description") == "outdated"
    # The form says which field is outdated.
    page = client.get(url)
    assert "translation-outdated" in page.content.decode()


def test_a_file_import_of_the_german_text_makes_the_translation_outdated(demo):
    partner = Partner.objects.get(slug="warsaw")
    rows = [
        ["slug", "name_de", "country", "description_de", "relationship"],
        ["warsaw", "Warschau", "PL", "Neu aus der Datei.", "city_friendship"],
    ]
    report = import_table(open_table(csv_bytes(rows)))
    assert report.written
    assert state(partner, "description") == "outdated"

    undo(report.change_set)
    # Undo puts the German text back that the English translates: current again.
    assert state(partner, "description") == "translated"


def test_a_file_import_of_both_texts_keeps_the_translation_current(demo):
    partner = Partner.objects.get(slug="warsaw")
    rows = [
        ["slug", "name_de", "country", "description_de", "description_en", "relationship"],
        ["warsaw", "Warschau", "PL", "Neu.", "New.", "city_friendship"],
    ]
    assert import_table(open_table(csv_bytes(rows))).written
    assert state(partner, "description") == "translated"


def test_a_restore_from_history_brings_back_the_state_of_its_day(demo):
    partner = Partner.objects.get(slug="warsaw")
    with reversion.create_revision():
        partner.save()
    version = Version.objects.get_for_object(partner).first()
    partner.description_de = "Später geändert."
    partner.save()
    assert state(partner, "description") == "outdated"

    version.revert()  # reversion's raw save, as History's restore does

    partner.refresh_from_db()
    assert state(partner, "description") == "translated"


def test_an_outdated_translation_restored_is_outdated_again(demo):
    partner = Partner.objects.get(slug="warsaw")
    partner.description_de = "Geändert."
    partner.save()  # the English is outdated now
    with reversion.create_revision():
        partner.save()
    version = Version.objects.get_for_object(partner).first()
    partner.description_en = "Changed."
    partner.save()
    assert state(partner, "description") == "translated"

    version.revert()

    assert state(partner, "description") == "outdated"


def test_load_demo_stamps_every_translation(demo):
    stamped = TranslationStamp.objects.filter(
        content_type=ContentType.objects.get_for_model(Page), language="en"
    )
    assert stamped.exists()
    overview = Page.objects.get(key="overview")
    assert state(overview, "title") == "translated"


def test_a_deleted_object_takes_its_stamps_along():
    partner = make_partner(description_de="Text.", description_en="Text.")
    pk = partner.pk
    assert TranslationStamp.objects.filter(object_id=pk).exists()
    partner.delete()
    assert not TranslationStamp.objects.filter(
        content_type=ContentType.objects.get_for_model(Partner), object_id=pk
    ).exists()


def test_inline_objects_link_to_their_owners_form():
    relationship = make_relationship(summary_de="Seit 1990.")
    milestone = Milestone.objects.create(relationship=relationship, date="1990", note_de="Vertrag")
    items, _count = work_list("en")[Milestone]
    (item,) = [i for i in items if i.obj.pk == milestone.pk]
    assert item.url == reverse("admin:partnerships_relationship_change", args=[relationship.pk])
    kinds, _count = work_list("en")[type(relationship)]
    assert kinds[0].url.endswith("#tab_id_summary_en")


def test_status_costs_one_query_per_model_however_many_objects(django_assert_num_queries):
    for number in range(30):
        make_partner(description_de=f"Text {number}.", description_en=f"Text {number}.")
    ContentType.objects.get_for_models(*translated_models())  # cached, as in a running site
    with django_assert_num_queries(len(translated_models())):
        statuses = language_statuses()
    assert len(statuses) == len(target_languages())


def test_the_work_list_costs_two_queries_per_model(django_assert_max_num_queries):
    kind = RelationshipKind.objects.create(code="k", name_de="Art")
    for number in range(20):
        make_relationship(kind=kind, summary_de=f"Seit {number}.")
    ContentType.objects.get_for_models(*translated_models())
    with django_assert_max_num_queries(2 * len(translated_models())):
        work = work_list("en")
    assert work[type(kind.relationships.first())][1] == 20


def csv_bytes(rows):
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def test_the_migration_stamps_the_translations_there_are(demo):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "partnerships.translating.migrations.0001_translation_stamps"
    )
    stamped = set(TranslationStamp.objects.values_list("object_id", "field", "language"))
    TranslationStamp.objects.all().delete()

    migration.stamp_existing_translations(apps, None)

    assert set(TranslationStamp.objects.values_list("object_id", "field", "language")) == stamped
    assert totals()["outdated"] == 0


def test_outdated_fields_of_inlines_are_marked_too(client, demo):
    client.force_login(make_editor())
    partner = Partner.objects.get(slug="warsaw")
    relationship = partner.relationships.first()
    relationship.summary_de, relationship.summary_en = "Seit 1989.", "Since 1989."
    relationship.save()
    relationship.summary_de = "Seit 1989, erneuert 2019."
    relationship.save()
    page = client.get(reverse("admin:partnerships_partner_change", args=[partner.pk]))
    html = page.content.decode()
    assert html.count("translation-outdated") >= 1
    assert "Veraltet: Der deutsche Text wurde geändert" in html  # the German admin
