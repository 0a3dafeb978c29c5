"""Images: refused when unsafe, stripped of metadata, served as renditions, credited, no orphans."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from PIL import Image

from partnerships import images
from partnerships.models import Contact, Office, Partner

GPS_IFD = 0x8825
ORIENTATION = 0x0112


# --- Test images, made here ---


def image_bytes(size=(120, 80), fmt="JPEG", mode="RGB", color=(200, 30, 30), exif=None):
    image = Image.new(mode, size, color)
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def upload(name="photo.jpg", data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else image_bytes(), content_type)


def gps_exif(orientation=None):
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (51.0, 13.0, 30.0)
    gps[3] = "E"
    gps[4] = (6.0, 46.0, 0.0)
    if orientation:
        exif[ORIENTATION] = orientation
    return exif


def png_claiming(width, height):
    """A few bytes of PNG whose header claims width × height pixels: a decompression bomb."""

    def chunk(tag, data):
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)


def make_partner(slug="warsaw", **values):
    defaults = {
        "name_de": "Warschau",
        "name_en": "Warsaw",
        "slug": slug,
        "country": "PL",
        "image_alt_de": "Die Altstadt",
        "image_credit": "Foto: Jan Kowalski",
        "image_licence": "CC BY-SA 4.0",
    }
    return Partner.objects.create(**{**defaults, **values})


def saved_partner(image_data=None, name="skyline.jpg", slug="warsaw", **values):
    """A partner whose image was uploaded and whose save was committed (renditions made)."""
    partner = Partner(
        name_de="Warschau",
        slug=slug,
        country="PL",
        image_alt_de="Die Altstadt",
        image_credit="Foto: Jan Kowalski",
        image_licence="CC BY-SA 4.0",
        **values,
    )
    partner.image = upload(
        name, image_data if image_data is not None else image_bytes((2000, 1000))
    )
    partner.save()
    return partner


def media_files(media_root):
    root = Path(media_root)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


# --- Refusals, as the admin form shows them ---


@pytest.fixture
def partner_form(rf, admin_user):
    """Bind the admin's own partner form to an upload; returns the bound form."""

    def bind(files=None, **data):
        request = rf.get("/")
        request.user = admin_user
        form_class = site._registry[Partner].get_form(request, obj=None)
        values = {
            "name_de": "Warschau",
            "slug": "warsaw",
            "kind": "city",
            "country": "PL",
            "is_published": "on",
            "image_alt_de": "Die Altstadt",
            "image_credit": "Foto: Jan Kowalski",
            **data,
        }
        return form_class(data=values, files=files or {})

    return bind


def image_errors(form):
    assert not form.is_valid()
    return " ".join(form.errors.get("image", []))


@pytest.mark.django_db
def test_a_good_upload_is_accepted(partner_form):
    form = partner_form({"image": upload()})
    assert form.is_valid(), form.errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, data",
    [
        ("arms.svg", SVG),
        ("arms.jpg", SVG),  # an SVG renamed
        ("photo.jpg", b"This is a text file, not a photo.\n" * 20),  # a renamed text file
        ("animation.gif", image_bytes(fmt="GIF", mode="P", color=1)),  # a real image, not allowed
        ("photo.gif", image_bytes(fmt="GIF", mode="P", color=1)),
    ],
)
def test_files_that_are_not_jpeg_png_or_webp_are_refused(partner_form, name, data):
    with translation.override("en"):
        errors = image_errors(partner_form({"image": upload(name, data)}))
    assert "not a JPEG, PNG or WebP image" in errors or "extension" in errors


@pytest.mark.django_db
def test_a_renamed_text_file_gets_the_format_message(partner_form):
    with translation.override("en"):
        errors = image_errors(partner_form({"image": upload("photo.jpg", b"just text\n" * 50)}))
    assert "This file is not a JPEG, PNG or WebP image." in errors


@pytest.mark.django_db
def test_an_svg_file_gets_the_format_message(partner_form):
    with translation.override("en"):
        errors = image_errors(partner_form({"image": upload("arms.svg", SVG, "image/svg+xml")}))
    assert "This file is not a JPEG, PNG or WebP image." in errors


@pytest.mark.django_db
def test_a_damaged_jpeg_is_refused(partner_form):
    data = image_bytes((400, 300))
    with translation.override("en"):
        errors = image_errors(partner_form({"image": upload("cut.jpg", data[: len(data) // 3])}))
    assert "damaged or incomplete" in errors


@pytest.mark.django_db
def test_too_many_pixels_are_refused_with_the_size(partner_form, monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 1_000)
    with translation.override("en"):
        errors = image_errors(partner_form({"image": upload(data=image_bytes((50, 40)))}))
    assert "50 × 40 pixels" in errors


@pytest.mark.django_db
def test_a_decompression_bomb_is_refused_without_decoding(partner_form):
    bomb = png_claiming(100_000, 100_000)  # 10 gigapixels in 100 bytes
    assert len(bomb) < 200
    with translation.override("en"):
        errors = image_errors(partner_form({"image": upload("bomb.png", bomb, "image/png")}))
    assert "too many pixels" in errors


@pytest.mark.django_db
def test_a_bomb_below_pillows_own_limit_still_gets_our_limit(partner_form):
    # 60 megapixels: Pillow only warns; our limit (50) refuses it with its size.
    bomb = png_claiming(10_000, 6_000)
    with translation.override("en"):
        errors = image_errors(partner_form({"image": upload("big.png", bomb, "image/png")}))
    assert "10000 × 6000 pixels" in errors


@pytest.mark.django_db
def test_too_many_bytes_are_refused(partner_form, monkeypatch):
    monkeypatch.setattr(images, "MAX_BYTES", 1_000)
    data = image_bytes((400, 300))
    assert len(data) > 1_000
    with translation.override("en"):
        errors = image_errors(partner_form({"image": upload(data=data)}))
    assert "images may be at most 1000" in errors


@pytest.mark.django_db
def test_an_image_without_german_alt_text_is_refused(partner_form):
    with translation.override("en"):
        form = partner_form({"image": upload()}, image_alt_de="", image_alt_en="The old town")
        assert not form.is_valid()
        # English falls back to German: without a German text German readers get none.
        assert "Describe what the image shows in German" in str(form.errors["image_alt_de"])
        assert "image_alt_en" not in form.errors


@pytest.mark.django_db
def test_alt_text_is_needed_in_german_only(partner_form):
    form = partner_form({"image": upload()}, image_alt_de="Die Altstadt", image_alt_en="")
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_alt_text_and_credit_are_not_needed_without_an_image(partner_form):
    form = partner_form(image_alt_de="", image_credit="")
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_an_image_without_credit_is_refused(partner_form):
    with translation.override("en"):
        form = partner_form({"image": upload()}, image_credit="")
        assert not form.is_valid()
        assert "Name the author" in str(form.errors["image_credit"])


@pytest.mark.django_db
def test_a_coat_of_arms_needs_its_own_alt_text(partner_form):
    form = partner_form({"coat_of_arms": upload("arms.png", image_bytes(fmt="PNG"))})
    assert not form.is_valid()
    assert "coat_of_arms_alt_de" in form.errors
    assert "coat_of_arms_credit" in form.errors


@pytest.mark.django_db
def test_the_model_refuses_a_bad_upload_outside_the_admin():
    partner = Partner(name_de="Warschau", slug="warsaw", country="PL", image_alt_de="x")
    partner.image_credit = "Foto: X"
    partner.image = upload("arms.svg", SVG)
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert "image" in error.value.error_dict


@pytest.mark.django_db
def test_the_contact_photo_is_checked_too():
    office = Office.objects.create(name_de="Büro", street="Markt 1", postal_code="1", city="D")
    contact = Contact(office=office, name="Erika Muster", photo=upload("me.jpg", b"text" * 30))
    with pytest.raises(ValidationError) as error:
        contact.full_clean()
    assert {"photo", "photo_alt_de", "photo_credit"} <= set(error.value.error_dict)


def test_the_upload_field_tells_the_browser_what_it_accepts():
    field = Partner._meta.get_field("image").formfield()
    assert field.widget.attrs["accept"] == "image/jpeg,image/png,image/webp"


# --- Metadata and orientation ---


@pytest.mark.django_db
@pytest.mark.parametrize("fmt, name", [("JPEG", "p.jpg"), ("PNG", "p.png"), ("WEBP", "p.webp")])
def test_gps_and_all_exif_are_stripped_on_save(fmt, name):
    data = image_bytes((64, 48), fmt=fmt, exif=gps_exif())
    with Image.open(io.BytesIO(data)) as before:
        assert before.getexif().get_ifd(GPS_IFD)  # the test image does carry a position
    partner = saved_partner(data, name=name)
    with Image.open(partner.image.path) as after:
        assert not after.getexif().get_ifd(GPS_IFD)
        assert len(after.getexif()) == 0
        assert "exif" not in after.info
    assert b"CameraMaker" not in Path(partner.image.path).read_bytes()


@pytest.mark.django_db
def test_the_exif_orientation_is_applied():
    # Stored as 80 × 40, left half red and right half blue; orientation 6: shown turned a
    # quarter clockwise, so upright it is 40 × 80 with red on top.
    image = Image.new("RGB", (80, 40), (255, 0, 0))
    image.paste((0, 0, 255), (40, 0, 80, 40))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=gps_exif(orientation=6), quality=95)
    partner = saved_partner(buffer.getvalue())
    assert (partner.image_width, partner.image_height) == (40, 80)
    partner.refresh_from_db()
    assert (partner.image_width, partner.image_height) == (40, 80)
    with Image.open(partner.image.path) as stored:
        assert stored.size == (40, 80)
        red, _green, blue = stored.convert("RGB").getpixel((20, 10))
        assert red > 200 and blue < 60
        assert stored.getexif().get(ORIENTATION) is None


@pytest.mark.django_db
def test_a_camera_sized_photo_is_stored_at_most_2560_pixels_wide():
    partner = saved_partner(image_bytes((4000, 2000)))
    assert (partner.image_width, partner.image_height) == (2560, 1280)


@pytest.mark.django_db
def test_a_transparent_png_stays_a_png():
    partner = saved_partner(
        image_bytes((64, 64), fmt="PNG", mode="RGBA", color=(0, 0, 0, 0)), "a.png"
    )
    assert partner.image.name.endswith(".png")
    with Image.open(partner.image.path) as stored:
        assert stored.mode == "RGBA"


@pytest.mark.django_db
def test_a_webp_upload_is_stored_as_jpeg():
    partner = saved_partner(image_bytes((64, 48), fmt="WEBP"), "p.webp")
    assert partner.image.name.endswith(".jpg")


# --- Renditions ---

INCLUDE = Template(
    '{% include "includes/_image.html" with image=partner.image alt=partner.image_alt '
    "credit=partner.image_credit licence=partner.image_licence "
    'sizes="(max-width: 40rem) 100vw, 40rem" lazy=True %}'
)


def render_image(partner):
    return INCLUDE.render(Context({"partner": partner}))


def srcset_urls(html, selector):
    match = re.search(selector + r'[^>]*srcset="([^"]+)"', html)
    assert match, html
    return [candidate.strip().split(" ") for candidate in match.group(1).split(",")]


@pytest.mark.django_db
def test_renditions_are_made_once_on_save_and_listed_in_srcset(
    django_capture_on_commit_callbacks, media_root
):
    with django_capture_on_commit_callbacks(execute=True):
        partner = saved_partner(image_bytes((2000, 1000)))
    partner.refresh_from_db()  # as a page loads it: with the renditions made
    with translation.override("en"):
        html = render_image(partner)
    webp = srcset_urls(html, r'<source type="image/webp"')
    jpeg = srcset_urls(html, r"<img")
    assert [width for _url, width in webp] == ["320w", "640w", "768w", "1280w"]
    assert [width for _url, width in jpeg] == ["320w", "640w", "768w", "1280w"]
    for (url, width), suffix in [*((c, ".webp") for c in webp), *((c, ".jpg") for c in jpeg)]:
        assert url.endswith(suffix)
        path = Path(media_root) / url.removeprefix("/media/")
        with Image.open(path) as rendition:  # made on save, with the width it claims
            assert f"{rendition.width}w" == width
            assert rendition.format == ("WEBP" if suffix == ".webp" else "JPEG")
            assert not rendition.getexif().get_ifd(GPS_IFD)
    assert 'width="1280" height="640"' in html
    assert 'loading="lazy"' in html
    assert 'alt="Die Altstadt"' in html
    assert 'sizes="(max-width: 40rem) 100vw, 40rem"' in html
    assert "<figcaption>" in html and "Foto: Jan Kowalski" in html and "CC BY-SA 4.0" in html
    assert "style=" not in html
    # The original is never sent.
    assert partner.image.url not in html.replace(".jpg.", "#")


@pytest.mark.django_db
def test_a_small_image_is_not_enlarged(django_capture_on_commit_callbacks, media_root):
    with django_capture_on_commit_callbacks(execute=True):
        partner = saved_partner(image_bytes((500, 250)))
    partner.refresh_from_db()  # as a page loads it: with the renditions made
    html = render_image(partner)
    assert [w for _u, w in srcset_urls(html, r"<img")] == ["320w", "500w"]
    assert 'width="500" height="250"' in html
    for url, _width in srcset_urls(html, r"<img"):
        assert (Path(media_root) / url.removeprefix("/media/")).exists()


@pytest.mark.django_db
def test_a_png_falls_back_to_png_renditions(django_capture_on_commit_callbacks, media_root):
    data = image_bytes((400, 400), fmt="PNG", mode="RGBA", color=(0, 0, 0, 0))
    with django_capture_on_commit_callbacks(execute=True):
        partner = saved_partner(data, "arms.png")
    partner.refresh_from_db()  # as a page loads it: with the renditions made
    html = render_image(partner)
    assert all(url.endswith(".png") for url, _w in srcset_urls(html, r"<img"))
    url = srcset_urls(html, r'<source type="image/webp"')[0][0]
    with Image.open(Path(media_root) / url.removeprefix("/media/")) as rendition:
        assert rendition.mode == "RGBA"  # transparency kept in WebP


@pytest.mark.django_db
def test_no_image_renders_nothing_and_no_lazy_without_asking():
    partner = make_partner()
    assert render_image(partner).strip() == ""
    partner = Partner(image="partners/x.jpg", image_width=800, image_height=600)
    html = Template('{% include "includes/_image.html" with image=partner.image alt="x" %}').render(
        Context({"partner": partner})
    )
    assert "loading=" not in html and "<figcaption>" not in html


@pytest.mark.django_db
def test_a_page_with_many_images_costs_no_more_queries(django_assert_num_queries):
    for number in range(30):
        partner = make_partner(slug=f"p{number}")
        Partner.objects.filter(pk=partner.pk).update(
            image=f"partners/p{number}.jpg",
            image_width=2000,
            image_height=1000,
            image_renditions_ready=True,
        )
    page = Template(
        "{% for partner in partners %}"
        '{% include "includes/_image.html" with image=partner.image alt=partner.image_alt %}'
        "{% endfor %}"
    )
    for count in (1, 30):
        with django_assert_num_queries(1):  # the partners themselves; none per image
            html = page.render(Context({"partners": Partner.objects.all()[:count]}))
        assert html.count("<picture>") == count


@pytest.mark.django_db
def test_make_renditions_repairs_missing_ones(django_capture_on_commit_callbacks, media_root):
    with django_capture_on_commit_callbacks(execute=True):
        partner = saved_partner(image_bytes((800, 400)))
    partner.refresh_from_db()  # as a page loads it: with the renditions made
    webp_url = srcset_urls(render_image(partner), r'<source type="image/webp"')[-1][0]
    path = Path(media_root) / webp_url.removeprefix("/media/")
    path.unlink()
    call_command("make_renditions", stdout=io.StringIO())
    assert path.exists()


# --- No orphans ---


@pytest.mark.django_db
def test_replacing_an_image_removes_the_old_file_and_its_renditions(
    django_capture_on_commit_callbacks, media_root
):
    with django_capture_on_commit_callbacks(execute=True):
        partner = saved_partner(image_bytes((1000, 500)), "old.jpg")
    partner.refresh_from_db()  # as a page loads it: with the renditions made
    old_files = media_files(media_root)
    assert (
        "partners/old.jpg" in old_files and len(old_files) == 10
    )  # original, 4 widths × 2 formats, admin

    with django_capture_on_commit_callbacks(execute=True):
        partner.image = upload("new.jpg", image_bytes((1000, 500)))
        partner.save()
    files = media_files(media_root)
    assert not [name for name in files if "old" in name]
    assert "partners/new.jpg" in files and len(files) == 10


@pytest.mark.django_db
def test_clearing_and_deleting_remove_every_file(django_capture_on_commit_callbacks, media_root):
    with django_capture_on_commit_callbacks(execute=True):
        partner = saved_partner(image_bytes((700, 500)))
        other = saved_partner(image_bytes((700, 500)), "other.jpg", slug="other")
    with django_capture_on_commit_callbacks(execute=True):
        partner.image = None
        partner.save()
    assert all("other" in name for name in media_files(media_root))
    with django_capture_on_commit_callbacks(execute=True):
        other.delete()
    assert media_files(media_root) == []


@pytest.mark.django_db(transaction=True)
def test_a_replacement_that_is_rolled_back_keeps_the_old_files(media_root):
    partner = saved_partner(image_bytes((700, 500)), "old.jpg")
    before = media_files(media_root)
    assert "partners/old.jpg" in before
    with pytest.raises(RuntimeError), transaction.atomic():
        partner.image = upload("new.jpg")
        partner.save()
        raise RuntimeError("the admin's save failed later")
    assert set(before) <= set(media_files(media_root))


# --- Admin ---


@pytest.mark.django_db
def test_admin_lists_show_thumbnails_at_a_fixed_query_count(
    admin_client, django_capture_on_commit_callbacks
):
    office = Office.objects.create(name_de="Büro", street="Markt 1", postal_code="1", city="D")

    def add(number):
        partner = make_partner(slug=f"p{number}", name_de=f"Partner {number}")
        Partner.objects.filter(pk=partner.pk).update(
            image=f"partners/p{number}.jpg",
            image_width=1000,
            image_height=500,
            image_renditions_ready=True,
        )
        contact = Contact.objects.create(office=office, name=f"Person {number}")
        Contact.objects.filter(pk=contact.pk).update(
            photo=f"contacts/c{number}.jpg",
            photo_width=300,
            photo_height=400,
            photo_renditions_ready=True,
        )

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(url)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    add(0)
    partners_url = reverse("admin:partnerships_partner_changelist")
    contacts_url = reverse("admin:partnerships_contact_changelist")
    few = queries(partners_url)[0], queries(contacts_url)[0]
    for number in range(1, 12):
        add(number)
    (partner_count, partner_html), (contact_count, contact_html) = (
        queries(partners_url),
        queries(contacts_url),
    )
    assert (partner_count, contact_count) == few
    assert partner_html.count('class="image-thumbnail"') == 12
    assert 'src="/media/partners/p3.jpg.160x0_q78.jpg" width="80" height="40"' in partner_html
    assert contact_html.count('class="image-thumbnail"') == 12
    assert 'src="/media/contacts/c3.jpg.160x0_q78.jpg" width="80" height="107"' in contact_html


@pytest.mark.django_db
def test_the_change_form_previews_the_image_and_its_renditions(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        partner = saved_partner(image_bytes((1000, 500)))
    partner.refresh_from_db()  # as a page loads it: with the renditions made
    html = admin_client.get(
        reverse("admin:partnerships_partner_change", args=[partner.pk])
    ).content.decode()
    assert 'class="image-preview"' in html
    for width in (320, 640, 768, 1000):
        assert f"skyline.jpg.{width}x0_q70.webp" in html
        assert f"skyline.jpg.{width}x0_q78.jpg" in html
    assert 'accept="image/jpeg,image/png,image/webp"' in html


@pytest.mark.django_db
def test_an_admin_upload_of_a_text_file_shows_a_form_error(admin_client):
    response = admin_client.post(
        reverse("admin:partnerships_partner_add"),
        {
            "name_de": "Warschau",
            "slug": "warsaw",
            "kind": "city",
            "country": "PL",
            "image": upload("photo.jpg", b"not an image\n" * 20),
            "image_alt_de": "Altstadt",
            "image_credit": "Foto: X",
            "relationships-TOTAL_FORMS": "0",
            "relationships-INITIAL_FORMS": "0",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200  # the form again, not a 500 nor a redirect
    assert "This file is not a JPEG, PNG or WebP image." in response.content.decode()
    assert not Partner.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mode, color, fmt, name",
    [
        ("I;16", 30000, "PNG", "scan.png"),  # 16-bit greyscale
        ("CMYK", (10, 20, 30, 0), "JPEG", "print.jpg"),  # from a print shop
        ("LA", (100, 50), "PNG", "arms.png"),  # greyscale with transparency
        ("P", 3, "PNG", "logo.png"),
    ],
)
def test_unusual_colour_modes_are_stored_and_rendered(
    django_capture_on_commit_callbacks, media_root, mode, color, fmt, name
):
    data = image_bytes((900, 600), fmt=fmt, mode=mode, color=color)
    with django_capture_on_commit_callbacks(execute=True):
        partner = saved_partner(data, name)
    partner.refresh_from_db()  # as a page loads it: with the renditions made
    for candidates in (
        srcset_urls(render_image(partner), r'<source type="image/webp"'),
        srcset_urls(render_image(partner), r"<img"),
    ):
        for url, width in candidates:
            with Image.open(Path(media_root) / url.removeprefix("/media/")) as rendition:
                assert f"{rendition.width}w" == width


@pytest.mark.django_db
def test_a_missing_file_does_not_break_the_admin_list(admin_client):
    partner = make_partner()
    # A row whose size was never recorded and whose file is gone (a restored database).
    Partner.objects.filter(pk=partner.pk).update(
        image="partners/gone.jpg", image_width=None, image_height=None
    )
    response = admin_client.get(reverse("admin:partnerships_partner_changelist"))
    assert response.status_code == 200
    assert "Warschau" in response.content.decode()
