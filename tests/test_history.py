"""Nothing lost: every admin change keeps a version with who and when, and can be restored."""

import pytest
import reversion
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from reversion.models import Version

from partnerships.models import (
    Contact,
    Milestone,
    Office,
    Page,
    Partner,
    Relationship,
    RelationshipKind,
)

from .adminforms import change_form_data, make_editor


@pytest.fixture
def editor_client(client, demo):
    editor = make_editor()
    client.force_login(editor)
    client.editor = editor
    return client


def edit_partner(client, partner, **changes):
    url = reverse("admin:partnerships_partner_change", args=[partner.pk])
    response = client.post(url, change_form_data(client.get(url), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_content_models_are_versioned_with_their_parts():
    for model in [Partner, Relationship, Milestone, RelationshipKind, Office, Contact, Page]:
        assert reversion.is_registered(model), model


def test_an_admin_change_keeps_a_version_with_who_and_when(editor_client):
    partner = Partner.objects.get(slug="warsaw")
    edit_partner(editor_client, partner, description_en="Capital of Poland, on the Vistula.")

    versions = Version.objects.get_for_object(partner)
    assert versions.count() == 1
    revision = versions[0].revision
    assert revision.user == editor_client.editor
    assert revision.date_created is not None
    assert versions[0].field_dict["description_en"] == "Capital of Poland, on the Vistula."
    # The partner's relationships are kept in the same revision.
    relationship_type = ContentType.objects.get_for_model(Relationship)
    assert revision.version_set.filter(content_type=relationship_type).count() == (
        partner.relationships.count()
    )

    history = editor_client.get(reverse("admin:partnerships_partner_history", args=[partner.pk]))
    assert history.status_code == 200
    assert "editor" in history.content.decode()


def test_every_content_admin_keeps_versions(editor_client):
    page = Page.objects.get(key=Page.Key.IMPRINT)
    url = reverse("admin:partnerships_page_change", args=[page.pk])
    editor_client.post(url, change_form_data(editor_client.get(url), body_de="Neuer Text"))
    contact = Contact.objects.first()
    url = reverse("admin:partnerships_contact_change", args=[contact.pk])
    editor_client.post(url, change_form_data(editor_client.get(url), role_en="Head of office"))
    relationship = Relationship.objects.first()
    url = reverse("admin:partnerships_relationship_change", args=[relationship.pk])
    editor_client.post(url, change_form_data(editor_client.get(url), summary_en="A summary"))
    for obj in [page, contact, relationship]:
        assert Version.objects.get_for_object(obj).count() == 1, obj


def test_an_editor_restores_an_earlier_version_with_its_relationships(editor_client):
    partner = Partner.objects.get(slug="chongqing")
    original_description = partner.description_de
    original_relationships = set(partner.relationships.values_list("kind__code", "summary_de"))
    edit_partner(editor_client, partner, description_de=original_description)  # version 1
    first_version = Version.objects.get_for_object(partner).get()

    # Later edits: a new description, a changed relationship summary, one relationship removed.
    edit_partner(
        editor_client,
        partner,
        description_de="Überarbeitet.",
        **{"relationships-0-summary_de": "Geändert.", "relationships-1-DELETE": "on"},
    )
    partner.refresh_from_db()
    assert partner.description_de == "Überarbeitet."
    assert partner.relationships.count() == len(original_relationships) - 1

    url = reverse("admin:partnerships_partner_revision", args=[partner.pk, first_version.pk])
    form_page = editor_client.get(url)
    assert form_page.status_code == 200
    # Looking at the old version changes nothing.
    partner.refresh_from_db()
    assert partner.description_de == "Überarbeitet."

    response = editor_client.post(url, change_form_data(form_page))
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.description_de == original_description
    assert set(partner.relationships.values_list("kind__code", "summary_de")) == (
        original_relationships
    )
    # The restore is itself a version: nothing in between is lost either.
    versions = Version.objects.get_for_object(partner)
    assert versions.count() == 3
    assert versions[0].revision.user == editor_client.editor
    assert "zurückgesetzt" in versions[0].revision.comment  # "Reverted to previous version"


def test_an_editor_recovers_a_deleted_partner(editor_client):
    partner = Partner.objects.get(slug="warsaw")
    relationship_count = partner.relationships.count()
    milestone_count = Milestone.objects.filter(relationship__partner=partner).count()
    pk = partner.pk
    edit_partner(editor_client, partner)  # the version to come back to

    delete_url = reverse("admin:partnerships_partner_delete", args=[pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Partner.objects.filter(pk=pk).exists()

    recover_list = editor_client.get(reverse("admin:partnerships_partner_recoverlist"))
    assert recover_list.status_code == 200
    assert "Warschau" in recover_list.content.decode()

    deleted = Version.objects.get_deleted(Partner).get(object_id=str(pk))
    url = reverse("admin:partnerships_partner_recover", args=[deleted.pk])
    response = editor_client.post(url, change_form_data(editor_client.get(url)))
    assert response.status_code == 302
    partner = Partner.objects.get(pk=pk)
    assert partner.relationships.count() == relationship_count
    assert Milestone.objects.filter(relationship__partner=partner).count() == milestone_count


def test_a_restore_shows_on_the_public_page_at_once(editor_client):
    partner = Partner.objects.get(slug="warsaw")
    edit_partner(editor_client, partner, description_de="Version eins.")
    first = Version.objects.get_for_object(partner).get()
    edit_partner(editor_client, partner, description_de="Version zwei.")
    editor_client.logout()
    assert "Version zwei." in editor_client.get("/de/partners/warsaw/").content.decode()

    editor = make_editor("second-editor")
    editor_client.force_login(editor)
    url = reverse("admin:partnerships_partner_revision", args=[partner.pk, first.pk])
    editor_client.post(url, change_form_data(editor_client.get(url)))
    editor_client.logout()
    assert "Version eins." in editor_client.get("/de/partners/warsaw/").content.decode()
