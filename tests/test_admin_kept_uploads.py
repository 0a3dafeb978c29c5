"""An image chosen on a form that comes back with an error is kept until the form saves."""

import html
import re

import pytest
from django.urls import reverse

from partnerships.models import Contact, Partner

from .adminforms import change_form_data, make_editor
from .test_images import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(demo):
    return make_editor()


@pytest.fixture
def pending_uploads(settings):
    """Where kept uploads wait: a temporary folder (conftest), not the public media folder."""
    return settings.PENDING_UPLOADS_ROOT


def partner_url(slug="warsaw"):
    return reverse("admin:partnerships_partner_change", args=[Partner.objects.get(slug=slug).pk])


def resubmitted(response, **changes):
    """The POST data a browser sends from the returned form: its fields and the hidden token
    of each kept image (which is no form field, so change_form_data leaves it out)."""
    tokens = re.findall(r'name="([a-z_]+-kept)" value="([^"]+)"', response.content.decode())
    return {**change_form_data(response), **{n: html.unescape(v) for n, v in tokens}, **changes}


def post_with_error(client, url, **changes):
    """Choose an image and post the form with a mistake elsewhere (a bad relationship date)."""
    data = change_form_data(
        client.get(url),
        image=upload("skyline.jpg"),
        image_alt_de="Die Altstadt",
        image_credit="Foto: Jan Kowalski",
        **{"relationships-0-since": "2030-13-45"},
        **changes,
    )
    response = client.post(url, data)
    assert response.status_code == 200
    return response


def test_an_image_chosen_before_an_error_elsewhere_is_kept_and_saved_later(
    client, editor, pending_uploads, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    url = partner_url()
    response = post_with_error(client, url)
    html = response.content.decode()
    assert "„skyline.jpg“" in html or "“skyline.jpg”" in html  # the box names the kept image
    assert "Not saved yet" in html or "Noch nicht gespeichert" in html  # no false "stored"
    assert not Partner.objects.get(slug="warsaw").image
    assert len(list(pending_uploads.iterdir())) == 1  # outside the public media folder
    # The editor corrects the date and saves, without choosing the image again.
    data = resubmitted(response, **{"relationships-0-since": "1988"})
    assert "image" not in data and "image-kept" in data
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    partner = Partner.objects.get(slug="warsaw")
    assert partner.image and partner.image.name.startswith("partners/skyline")
    assert partner.image_width == 120
    assert list(pending_uploads.iterdir()) == []


def test_a_kept_image_belongs_to_the_editor_who_chose_it(client, editor, pending_uploads):
    client.force_login(editor)
    url = partner_url()
    response = post_with_error(client, url)
    data = resubmitted(response, **{"relationships-0-since": "1988"})
    client.force_login(make_editor("someone-else"))
    assert client.post(url, data).status_code == 302
    assert not Partner.objects.get(slug="warsaw").image


def test_a_forged_token_is_ignored(client, editor, pending_uploads):
    client.force_login(editor)
    url = partner_url()
    data = change_form_data(client.get(url), **{"image-kept": "forged:token"})
    assert client.post(url, data).status_code == 302
    assert not Partner.objects.get(slug="warsaw").image


def test_a_kept_image_can_be_dropped(client, editor, pending_uploads):
    client.force_login(editor)
    url = partner_url()
    response = post_with_error(client, url)
    data = resubmitted(response, **{"relationships-0-since": "1988", "image-kept-discard": "on"})
    assert client.post(url, data).status_code == 302
    assert not Partner.objects.get(slug="warsaw").image
    assert list(pending_uploads.iterdir()) == []


def test_a_contact_photo_is_kept_too(client, editor, pending_uploads):
    client.force_login(editor)
    contact = Contact.objects.first()
    url = reverse("admin:partnerships_contact_change", args=[contact.pk])
    # The photo's credit is missing: the form comes back, the photo is kept.
    data = change_form_data(client.get(url), photo=upload("me.jpg"), photo_alt_de="Porträt")
    response = client.post(url, data)
    assert (
        response.status_code == 200 and "photo_credit" in response.context["adminform"].form.errors
    )
    data = resubmitted(response, photo_credit="Foto: Stadt")
    assert client.post(url, data).status_code == 302
    assert Contact.objects.get(pk=contact.pk).photo.name.startswith("contacts/me")


def test_choosing_another_file_replaces_the_kept_one(client, editor, pending_uploads):
    client.force_login(editor)
    url = partner_url()
    response = post_with_error(client, url)
    (first,) = pending_uploads.iterdir()
    data = resubmitted(response, image=upload("harbour.jpg"))  # the date is still wrong
    response = client.post(url, data)
    assert response.status_code == 200
    (second,) = pending_uploads.iterdir()
    assert second != first
    assert "harbour.jpg" in response.content.decode()
