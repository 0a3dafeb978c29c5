"""Renditions are made by a background task; until then every page shows the stored image.

The tests here queue tasks without running them (django-tasks' dummy backend), to see the
pending state an editor and a reader meet between the upload and the worker, then run the
queued task as a worker would.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_tasks import default_task_backend
from PIL import Image, ImageChops

from partnerships import figures, images
from partnerships.models import ContentChange, Partner

from .test_images import (
    image_bytes,
    media_files,
    render_image,
    saved_partner,
    srcset_urls,
    upload,
)
from .test_views import QUERIES, url


@pytest.fixture
def tasks_wait(settings):
    """Tasks are queued, not run: `run_queued()` is the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()


def queued():
    """The rendition tasks waiting (a change also queues the open data's write)."""
    return [
        result
        for result in default_task_backend.results
        if not result.is_finished and result.task.name == "make_image_renditions"
    ]


def run_queued():
    """Run the queued tasks in order, as `manage.py db_worker` does, and forget them."""
    results = list(default_task_backend.results)
    default_task_backend.clear()
    for result in results:
        result.task.call(*result.args, **result.kwargs)


def uploaded(django_capture_on_commit_callbacks, **values):
    """A partner whose upload was saved and committed, as the admin leaves it."""
    with django_capture_on_commit_callbacks(execute=True):
        partner = saved_partner(image_bytes((2000, 1000)), **values)
    partner.refresh_from_db()
    return partner


@pytest.mark.django_db
def test_an_upload_is_saved_without_its_renditions_and_queues_them(
    tasks_wait, django_capture_on_commit_callbacks, media_root
):
    partner = uploaded(django_capture_on_commit_callbacks)
    assert media_files(media_root) == ["partners/skyline.jpg"]
    assert not partner.image_renditions_ready
    [task] = queued()
    assert task.task.name == "make_image_renditions"
    assert task.args == ["partnerships.Partner", partner.pk, "image", "partners/skyline.jpg", False]


@pytest.mark.django_db
def test_while_pending_a_page_shows_the_stored_image_alone(
    tasks_wait, django_capture_on_commit_callbacks
):
    partner = uploaded(django_capture_on_commit_callbacks)
    html = render_image(partner)
    assert '<img src="/media/partners/skyline.jpg" width="1280" height="640"' in html
    assert "srcset" not in html and "<source" not in html
    # The stand-in is the sanitised file: metadata-free and at most the stored size.
    with Image.open(partner.image.path) as stored:
        assert stored.size == (2000, 1000) and len(stored.getexif()) == 0


@pytest.mark.django_db
def test_the_task_makes_the_renditions_and_switches_the_row_to_them(
    tasks_wait, django_capture_on_commit_callbacks, media_root
):
    partner = uploaded(django_capture_on_commit_callbacks)
    version = ContentChange.last()
    with django_capture_on_commit_callbacks(execute=True):
        run_queued()
    partner.refresh_from_db()
    assert partner.image_renditions_ready
    assert ContentChange.last() > version  # the cached pages learn of it
    html = render_image(partner)
    candidates = srcset_urls(html, r'<source type="image/webp"') + srcset_urls(html, r"<img")
    assert [width for _url, width in candidates] == ["320w", "640w", "768w", "1280w"] * 2
    for candidate_url, width in candidates:
        with Image.open(Path(media_root) / candidate_url.removeprefix("/media/")) as rendition:
            assert f"{rendition.width}w" == width
    # 8 renditions of the srcsets and the admin thumbnail, next to the stored image.
    assert len(media_files(media_root)) == 10


@pytest.mark.django_db
def test_a_task_for_a_replaced_image_leaves_the_new_one_pending(
    tasks_wait, django_capture_on_commit_callbacks, media_root
):
    partner = uploaded(django_capture_on_commit_callbacks)
    [first] = queued()
    with django_capture_on_commit_callbacks(execute=True):
        partner.image = upload("new.jpg", image_bytes((900, 600)))
        partner.save()
    first.task.call(*first.args)  # the worker reaches the old image's task late
    partner.refresh_from_db()
    assert not partner.image_renditions_ready
    assert media_files(media_root) == ["partners/new.jpg"]
    default_task_backend.results.remove(first)
    run_queued()
    partner.refresh_from_db()
    assert partner.image_renditions_ready and len(media_files(media_root)) == 10


@pytest.mark.django_db
def test_an_edit_while_the_task_runs_keeps_the_flag_the_task_set(
    tasks_wait, django_capture_on_commit_callbacks
):
    partner = uploaded(django_capture_on_commit_callbacks)  # loaded as pending
    run_queued()
    partner.description_de = "Die Hauptstadt Polens."
    partner.save()  # the same image, from a row loaded before the task was done
    partner.refresh_from_db()
    assert partner.image_renditions_ready
    assert queued() == []


@pytest.mark.django_db
def test_the_admin_says_renditions_are_pending_until_they_exist(
    tasks_wait, django_capture_on_commit_callbacks, admin_client
):
    partner = uploaded(django_capture_on_commit_callbacks)
    change = reverse("admin:partnerships_partner_change", args=[partner.pk])
    changelist = reverse("admin:partnerships_partner_changelist")

    def pages():
        return [
            admin_client.get(address, HTTP_ACCEPT_LANGUAGE="en").content.decode()
            for address in (change, changelist)
        ]

    form, listing = pages()
    assert "Renditions pending" in form and "being made in the background" in form
    assert "skyline.jpg.640x0" not in form
    assert 'src="/media/partners/skyline.jpg" width="80" height="40"' in listing
    assert '<span class="image-pending">Renditions pending</span>' in listing
    run_queued()
    form, listing = pages()
    assert "Renditions pending" not in form + listing
    assert "skyline.jpg.640x0_q70.webp" in form
    assert 'src="/media/partners/skyline.jpg.160x0_q78.jpg"' in listing


@pytest.mark.django_db
def test_public_pages_serve_the_stored_image_at_the_same_query_count(
    tasks_wait,
    demo,
    client,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
    settings,
):
    settings.PUBLIC_PAGE_CACHE = False  # the views' own queries
    for slug in ("warsaw", "chongqing"):
        with django_capture_on_commit_callbacks(execute=True):
            partner = Partner.objects.get(slug=slug)
            partner.image = upload(f"{slug}.jpg", image_bytes((1600, 900)))
            partner.image_alt_de, partner.image_credit = "Die Altstadt", "Foto: Jan Kowalski"
            partner.save()
    pages = {
        "overview": url("overview", "en"),
        "partner-detail": url("partner-detail", "en", "chongqing"),
    }
    for state in ("pending", "ready"):
        for page, address in pages.items():
            # What every reader but the version's first finds: its figures, stored
            # (tests/test_overview.py); the renditions' task made a version of its own.
            figures.for_version(ContentChange.last())
            with django_assert_num_queries(QUERIES[page]):
                html = client.get(address).content.decode()
            if state == "pending":
                assert '<img src="/media/partners/chongqing.jpg"' in html
                assert "chongqing.jpg.640x0" not in html
            else:
                assert "/media/partners/chongqing.jpg.640x0_q70.webp 640w" in html
        run_queued()


@pytest.mark.django_db
def test_the_cached_page_shows_the_renditions_once_they_exist(
    tasks_wait, demo, client, django_capture_on_commit_callbacks, settings
):
    settings.PUBLIC_PAGE_CACHE = True
    with django_capture_on_commit_callbacks(execute=True):
        partner = Partner.objects.get(slug="chongqing")
        partner.image = upload("chongqing.jpg", image_bytes((1600, 900)))
        partner.image_alt_de, partner.image_credit = "Die Altstadt", "Foto: Jan Kowalski"
        partner.save()
    address = url("partner-detail", "en", "chongqing")
    assert "chongqing.jpg.640x0" not in client.get(address).content.decode()  # cached so
    with django_capture_on_commit_callbacks(execute=True):
        run_queued()
    assert "chongqing.jpg.640x0_q70.webp" in client.get(address).content.decode()


@pytest.mark.django_db
def test_make_renditions_repairs_a_row_left_pending(
    tasks_wait, django_capture_on_commit_callbacks, media_root
):
    partner = uploaded(django_capture_on_commit_callbacks)
    default_task_backend.clear()  # the worker lost it
    call_command("make_renditions", stdout=io.StringIO())
    partner.refresh_from_db()
    assert partner.image_renditions_ready and len(media_files(media_root)) == 10


# --- The stored image: one decode, reduced as the decoder can ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fmt, mode, size, stored",
    [
        # At least twice the cap: reduced by the whole factor that fits it (250 / 3, the last
        # partial box of pixels counted).
        ("PNG", "RGBA", (250, 100), (84, 34)),
        ("PNG", "RGB", (500, 300), (100, 60)),
        # Below twice the cap: resized to the cap.
        ("PNG", "RGB", (150, 90), (100, 60)),
        # A JPEG decodes at a quarter (125 × 75), then is resized to the cap.
        ("JPEG", "RGB", (500, 300), (100, 60)),
    ],
)
def test_a_large_image_is_stored_within_the_cap(monkeypatch, fmt, mode, size, stored):
    monkeypatch.setattr(images, "MAX_STORED_SIDE", 100)
    color = (200, 30, 30, 255) if mode == "RGBA" else (200, 30, 30)
    partner = saved_partner(image_bytes(size, fmt=fmt, mode=mode, color=color), f"big.{fmt}")
    assert (partner.image_width, partner.image_height) == stored
    with Image.open(partner.image.path) as image:
        assert image.size == stored and image.mode == mode


@pytest.mark.django_db
def test_an_upload_is_decoded_once_for_form_validation_and_save(monkeypatch):
    decodes = []
    sanitize = images.sanitize
    monkeypatch.setattr(images, "sanitize", lambda *a: decodes.append(a) or sanitize(*a))
    partner = Partner(
        name_de="Warschau",
        slug="warsaw",
        country="PL",
        image_alt_de="Die Altstadt",
        image_credit="Foto: Jan Kowalski",
    )
    partner.image = upload()
    with translation.override("en"):
        partner.full_clean()
    partner.save()
    assert len(decodes) == 1


@pytest.mark.parametrize("size", [(1000, 750), (615, 461)])
def test_a_transparent_image_resized_in_bands_matches_one_resize(size):
    # Noise under an alpha gradient: every band seam and every premultiplied rounding shows.
    image = Image.effect_noise((1200, 900), 60).convert("RGBA")
    image.putalpha(Image.linear_gradient("L").resize((1200, 900)))
    ours = images._resize(image, size).convert("RGBa")
    pillows = image.resize(size, Image.Resampling.LANCZOS).convert("RGBa")
    assert ours.size == size
    assert max(high for _low, high in ImageChops.difference(ours, pillows).getextrema()) <= 2
