"""Every way an image gets into a row refuses a bad file with the form's own message.

The admin's form, `full_clean()`, a script that assigns a file and saves, a script that calls
`image.save(name, content)`, a version restored from the History, and `loaddata`: a
decompression bomb, a text file and an SVG each get the ValidationError the editor sees in the
form, never a Pillow exception, and nothing is stored.
"""

import io
import json

import pytest
import reversion
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import translation
from reversion.models import Version

from partnerships import images
from partnerships.models import Partner

from .test_images import SVG, image_bytes, make_partner, png_claiming, upload

BAD_FILES = {
    # 10 gigapixels in 100 bytes: above twice Pillow's limit, where Pillow itself raises.
    "bomb": ("bomb.png", png_claiming(100_000, 100_000)),
    # 60 megapixels: between our limit and Pillow's, where Pillow only warns.
    "large": ("large.png", png_claiming(10_000, 6_000)),
    "text": ("photo.jpg", b"This is a text file, not a photo.\n" * 20),
    "svg": ("arms.jpg", SVG),
}


@pytest.fixture(params=BAD_FILES)
def bad_file(request):
    return BAD_FILES[request.param]


@pytest.fixture
def form_messages(rf, admin_user, bad_file):
    """The messages the admin's partner form shows for the bad file, in English."""
    from django.contrib.admin.sites import site

    request = rf.get("/")
    request.user = admin_user
    form_class = site._registry[Partner].get_form(request, obj=None)
    name, data = bad_file
    with translation.override("en"):
        form = form_class(
            data={
                "name_de": "Warschau",
                "slug": "warsaw",
                "kind": "city",
                "country": "PL",
                "image_alt_de": "Die Altstadt",
                "image_credit": "Foto: Jan Kowalski",
            },
            files={"image": upload(name, data)},
        )
        assert not form.is_valid()
        return list(form.errors["image"])


def new_partner():
    return Partner(
        name_de="Warschau",
        slug="warsaw",
        country="PL",
        image_alt_de="Die Altstadt",
        image_credit="Foto: Jan Kowalski",
    )


def messages(error):
    with translation.override("en"):
        return [str(message) for message in error.value.message_dict["image"]]


def stored_files(media_root):
    return sorted(str(path) for path in media_root.rglob("*") if path.is_file())


@pytest.mark.django_db
def test_full_clean_refuses_it_as_the_form_does(bad_file, form_messages):
    partner = new_partner()
    partner.image = upload(*bad_file)
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert messages(error) == form_messages


@pytest.mark.django_db
def test_a_script_that_assigns_and_saves_gets_the_form_message(bad_file, form_messages, media_root):
    name, data = bad_file
    partner = new_partner()
    partner.image = File(io.BytesIO(data), name=name)  # reading its size raises nothing
    with pytest.raises(ValidationError) as error:
        partner.save()
    assert messages(error) == form_messages
    assert not Partner.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_a_script_that_saves_the_file_itself_gets_the_form_message(
    bad_file, form_messages, media_root
):
    partner = make_partner()
    name, data = bad_file
    with pytest.raises(ValidationError) as error:
        partner.image.save(name, ContentFile(data))
    assert messages(error) == form_messages
    partner.refresh_from_db()
    assert not partner.image
    assert stored_files(media_root) == []


def row_naming(stored_name, data):
    """A partner whose row names a stored bad file (put there by hand, or by old code)."""
    default_storage.save(stored_name, ContentFile(data))
    partner = make_partner()
    Partner.objects.filter(pk=partner.pk).update(image=stored_name)
    return Partner.objects.get(pk=partner.pk)  # loading it reads no pixels, raises nothing


@pytest.mark.django_db
def test_restoring_a_version_that_names_a_bad_file_gets_the_form_message(bad_file, form_messages):
    name, data = bad_file
    partner = row_naming(f"partners/{name}", data)
    with reversion.create_revision():
        reversion.add_to_revision(partner)
    version = Version.objects.get_for_object(partner).get()
    Partner.objects.filter(pk=partner.pk).update(image="")
    with pytest.raises(ValidationError) as error:
        version.revert()
    assert messages(error) == form_messages
    assert not Partner.objects.get(pk=partner.pk).image


@pytest.mark.django_db
def test_the_history_restores_such_a_version_without_its_image(bad_file):
    name, data = bad_file
    partner = row_naming(f"partners/{name}", data)
    with reversion.create_revision():
        reversion.add_to_revision(partner)
    version = Version.objects.get_for_object(partner).get()
    Partner.objects.filter(pk=partner.pk).update(name_de="Warszawa")
    with images.restoring():  # as the admin's History restores
        version.revert()
    restored = Partner.objects.get(pk=partner.pk)
    assert restored.name_de == "Warschau" and not restored.image


@pytest.mark.django_db
def test_loaddata_of_a_row_naming_a_bad_file_gets_the_form_message(
    bad_file, form_messages, tmp_path
):
    name, data = bad_file
    partner = row_naming(f"partners/{name}", data)
    fixture = tmp_path / "partner.json"
    fixture.write_text(serializers.serialize("json", [partner]))
    assert json.loads(fixture.read_text())[0]["fields"]["image"] == f"partners/{name}"
    Partner.objects.all().delete()
    with pytest.raises(ValidationError) as error:
        call_command("loaddata", str(fixture), verbosity=0)
    assert messages(error) == form_messages
    assert not Partner.objects.exists()


@pytest.mark.django_db
def test_a_good_file_passes_every_path(media_root):
    """The same paths with a real photo: stored, sanitised, no error (the checks above are not
    refusing everything)."""
    partner = new_partner()
    partner.image = File(io.BytesIO(image_bytes((300, 200))), name="photo.jpg")
    partner.full_clean()
    partner.save()
    assert (partner.image_width, partner.image_height) == (300, 200)
    other = make_partner(slug="other")
    other.image.save("other.png", ContentFile(image_bytes((30, 20), fmt="PNG")))
    assert Partner.objects.get(pk=other.pk).image.name == "partners/other.png"
