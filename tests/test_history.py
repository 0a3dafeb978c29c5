"""Nothing lost: every admin change keeps a version with who and when, and can be restored."""

import json
from pathlib import Path

import pytest
import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from partnerships import images
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
from .test_images import image_bytes, srcset_urls, upload


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


# --- Images: a restored version finds its files ---


def upload_image(client, partner, name, field="image"):
    """Upload `name` as the partner's image (or coat of arms) in the admin: one version."""
    edit_partner(
        client,
        partner,
        **{
            field: upload(name, image_bytes((900, 600))),
            f"{field}_alt_de": "Das Rathaus",
            f"{field}_credit": "Foto: Stadt",
        },
    )
    partner.refresh_from_db()
    return getattr(partner, field)


def restore(client, partner, version):
    url = reverse("admin:partnerships_partner_revision", args=[partner.pk, version.pk])
    response = client.post(url, change_form_data(client.get(url)))
    assert response.status_code == 302
    partner.refresh_from_db()
    return response


def stored_renditions(fieldfile, width, height):
    """The storage names of every rendition a page or the admin list shows of an image."""
    data = images.renditions(fieldfile, width, height, ready=True)
    urls = [url for srcset in (data["webp_srcset"], data["srcset"]) for url, _w in _urls(srcset)]
    urls.append(images.admin_thumbnail(fieldfile, width, height, ready=True)["url"])
    return [url.removeprefix("/media/") for url in urls]


def _urls(srcset):
    return [candidate.strip().split(" ") for candidate in srcset.split(",")]


def remove_renditions(fieldfile, width, height):
    for name in stored_renditions(fieldfile, width, height):
        default_storage.delete(name)


def page_images_exist(client, partner, media_root):
    html = client.get(partner.get_absolute_url()).content.decode()
    urls = srcset_urls(html, r'<source type="image/webp"') + srcset_urls(html, r"<img")
    return [(Path(media_root) / url.removeprefix("/media/")).is_file() for url, _w in urls]


@pytest.mark.parametrize("field", ["image", "coat_of_arms"])
def test_a_restored_version_finds_its_replaced_image_and_renditions(
    editor_client, django_capture_on_commit_callbacks, media_root, field
):
    partner = Partner.objects.get(slug="warsaw")
    with django_capture_on_commit_callbacks(execute=True):
        old = upload_image(editor_client, partner, "old.jpg", field)
    first = Version.objects.get_for_object(partner).get()
    with django_capture_on_commit_callbacks(execute=True):
        new = upload_image(editor_client, partner, "new.jpg", field).name
    # The version still names the old file: it stays, with its renditions.
    assert default_storage.exists(old.name)
    assert all(default_storage.exists(name) for name in stored_renditions(old, 900, 600))
    # Renditions lost since (or never made for today's widths) are made by the restore.
    remove_renditions(old, 900, 600)

    with django_capture_on_commit_callbacks(execute=True):
        restore(editor_client, partner, first)
    fieldfile = getattr(partner, field)
    assert fieldfile.name == old.name
    assert default_storage.exists(old.name)
    for name in stored_renditions(fieldfile, 900, 600):
        assert default_storage.exists(name), name
    if field == "image":
        assert all(page_images_exist(editor_client, partner, media_root))
    # The newer file is named by the newer version: it stays too, for a restore of that one.
    assert default_storage.exists(new)


def test_a_recovered_partner_gets_its_image_back(
    editor_client, django_capture_on_commit_callbacks, media_root
):
    partner = Partner.objects.get(slug="warsaw")
    with django_capture_on_commit_callbacks(execute=True):
        name = upload_image(editor_client, partner, "rathaus.jpg").name
        delete_url = reverse("admin:partnerships_partner_delete", args=[partner.pk])
        assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert default_storage.exists(name)  # the deleted partner's last version names it

    deleted = Version.objects.get_deleted(Partner).get(object_id=str(partner.pk))
    url = reverse("admin:partnerships_partner_recover", args=[deleted.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, change_form_data(editor_client.get(url)))
    assert response.status_code == 302
    partner = Partner.objects.get(pk=partner.pk)
    assert partner.image.name == name and default_storage.exists(name)
    assert all(page_images_exist(editor_client, partner, media_root))


def test_a_restored_office_brings_back_a_contact_with_its_photo(
    editor_client, django_capture_on_commit_callbacks
):
    contact = Contact.objects.first()
    office = contact.office
    contact_url = reverse("admin:partnerships_contact_change", args=[contact.pk])
    office_url = reverse("admin:partnerships_office_change", args=[office.pk])
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            contact_url,
            change_form_data(
                editor_client.get(contact_url),
                photo=upload("portrait.jpg", image_bytes((900, 600))),
                photo_alt_de="Porträt",
                photo_credit="Foto: Stadt",
            ),
        )
        editor_client.post(office_url, change_form_data(editor_client.get(office_url)))
    contact.refresh_from_db()
    photo = contact.photo.name
    with_contact = Version.objects.get_for_object(office).get()

    # The contact is removed in the office's form; its photo stays for the office's history.
    form_page = editor_client.get(office_url)
    index = next(
        i
        for i, form in enumerate(form_page.context["inline_admin_formsets"][0].formset.forms)
        if form.instance.pk == contact.pk
    )
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            office_url, change_form_data(form_page, **{f"contacts-{index}-DELETE": "on"})
        )
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert default_storage.exists(photo)
    remove_renditions(contact.photo, 900, 600)

    url = reverse("admin:partnerships_office_revision", args=[office.pk, with_contact.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(url, change_form_data(editor_client.get(url))).status_code == 302
    contact = Contact.objects.get(pk=contact.pk)
    assert contact.photo.name == photo
    for name in stored_renditions(contact.photo, 900, 600):
        assert default_storage.exists(name), name


def test_pruned_versions_release_the_files_only_they_named(
    editor_client, django_capture_on_commit_callbacks
):
    partner = Partner.objects.get(slug="warsaw")
    with django_capture_on_commit_callbacks(execute=True):
        old = upload_image(editor_client, partner, "old.jpg")
        old_renditions = stored_renditions(old, 900, 600)
        edit_partner(editor_client, partner, description_de="Noch mit dem alten Bild.")
        new = upload_image(editor_client, partner, "new.jpg").name
    assert default_storage.exists(old.name)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("deleterevisions", "partnerships.Partner", keep=2, verbosity=0)
    assert Version.objects.get_for_object(partner).count() == 2
    assert default_storage.exists(old.name)  # the description edit's version names it too

    with django_capture_on_commit_callbacks(execute=True):
        call_command("deleterevisions", "partnerships.Partner", keep=1, verbosity=0)
    assert Version.objects.get_for_object(partner).count() == 1
    assert not default_storage.exists(old.name)
    assert not any(default_storage.exists(name) for name in old_renditions)
    assert default_storage.exists(new)  # named by the partner and its remaining version

    with django_capture_on_commit_callbacks(execute=True):
        call_command("deleterevisions", "partnerships.Partner", verbosity=0)
    assert not Version.objects.get_for_object(partner).exists()
    assert default_storage.exists(new)  # still the partner's image


def test_a_version_whose_image_is_gone_is_restored_without_it(
    editor_client, django_capture_on_commit_callbacks
):
    partner = Partner.objects.get(slug="warsaw")
    with django_capture_on_commit_callbacks(execute=True):
        old = upload_image(editor_client, partner, "old.jpg")
        edit_partner(editor_client, partner, description_de="Mit dem alten Bild.")
    first = Version.objects.get_for_object(partner).first()
    with django_capture_on_commit_callbacks(execute=True):
        upload_image(editor_client, partner, "new.jpg")
        edit_partner(editor_client, partner, description_de="Mit dem neuen Bild.")
    # Deleted before versions kept their files (or lost with a disk).
    images.delete_image_files(old.name, default_storage, 900)

    url = reverse("admin:partnerships_partner_revision", args=[partner.pk, first.pk])
    form_page = editor_client.get(url)
    assert "old.jpg" in form_page.content.decode()
    assert "nicht mehr gespeichert" in form_page.content.decode()  # the editor is told
    with django_capture_on_commit_callbacks(execute=True):
        response = restore(editor_client, partner, first)
    assert partner.description_de == "Mit dem alten Bild."  # the rest is restored
    assert not partner.image and partner.image_width is None
    assert editor_client.get(partner.get_absolute_url()).status_code == 200
    assert "<picture>" not in editor_client.get(partner.get_absolute_url()).content.decode()
    assert response.status_code == 302


# --- Rich text: a restored version holds only the allowed subset ---


def test_a_restored_version_keeps_only_the_allowed_markup(editor_client):
    partner = Partner.objects.get(slug="warsaw")
    with reversion.create_revision():
        partner.save()
    version = Version.objects.get_for_object(partner).get()
    data = json.loads(version.serialized_data)
    data[0]["fields"]["description_de"] = '<p onclick="x">hi</p><script>alert(1)</script>'
    data[0]["fields"]["description_en"] = '<a href="javascript:alert(1)">link</a>'
    Version.objects.filter(pk=version.pk).update(serialized_data=json.dumps(data))
    edit_partner(editor_client, partner, description_de="Später.")

    Version.objects.get(pk=version.pk).revert()  # reversion's raw save, outside the admin
    partner.refresh_from_db()
    assert partner.description_de == "<p>hi</p>"
    assert partner.description_en == '<a rel="noopener noreferrer">link</a>'

    edit_partner(editor_client, partner, description_de="Später.")
    restore(editor_client, partner, Version.objects.get(pk=version.pk))  # and in the admin
    assert partner.description_de == "<p>hi</p>"
