"""History after an import: restoring one partner from the import's revision restores that
partner (with its relationships), not every partner the import touched."""

import pytest
from django.urls import reverse
from reversion.models import Version

from partnerships.models import Partner, Relationship
from partnerships.transfer.changes import undo
from partnerships.transfer.engine import import_table
from partnerships.transfer.reading import open_table

from .adminforms import change_form_data, make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, demo):
    client.force_login(make_editor())
    return client


def test_restoring_one_partner_from_an_import_leaves_the_others(editor_client):
    report = import_table(open_table(b"slug;population\nwarsaw;1\nhaifa;2\n"))
    assert report.ok
    Partner.objects.filter(slug="haifa").update(population=3)  # edited since the import
    warsaw = Partner.objects.get(slug="warsaw")
    Partner.objects.filter(pk=warsaw.pk).update(population=4)
    version = Version.objects.get_for_object(warsaw).get()
    relationships = set(warsaw.relationships.values_list("pk", flat=True))

    url = reverse("admin:partnerships_partner_revision", args=[warsaw.pk, version.pk])
    response = editor_client.post(url, change_form_data(editor_client.get(url)))

    assert response.status_code == 302
    assert Partner.objects.get(slug="warsaw").population == 1  # as the import left it
    assert Partner.objects.get(slug="haifa").population == 3  # not put back to 2
    assert set(Partner.objects.get(slug="warsaw").relationships.values_list("pk", flat=True)) == (
        relationships
    )


def test_a_partner_that_undo_deleted_is_recovered_alone(editor_client):
    data = b"name_de;country;relationship\nNeustadt;DE;twin_city\nAltstadt;DE;twin_city\n"
    change_set = import_table(open_table(data)).change_set
    neustadt_pk = Partner.objects.get(name_de="Neustadt").pk
    undo(change_set)
    assert not Partner.objects.filter(name_de__in=["Neustadt", "Altstadt"]).exists()

    deleted = Version.objects.get_deleted(Partner).get(object_id=str(neustadt_pk))
    url = reverse("admin:partnerships_partner_recover", args=[deleted.pk])
    response = editor_client.post(url, change_form_data(editor_client.get(url)))

    assert response.status_code == 302
    neustadt = Partner.objects.get(pk=neustadt_pk)
    assert neustadt.relationships.count() == 1
    assert not Partner.objects.filter(name_de="Altstadt").exists()
    assert Relationship.objects.filter(partner__name_de="Altstadt").count() == 0
