"""axe in Chromium on pages that show images: no violation.

A page made of the site's base template and `includes/_image.html` always runs; the public
partner page and overview run as soon as their templates show images (issue 3).
Uses the session's Chromium from conftest.py (skipped without it, unless REQUIRE_BROWSER=1).
"""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.urls import path, re_path, reverse
from django.utils import translation
from django.views.static import serve
from PIL import Image

from partnerships.models import Partner, Relationship, RelationshipKind

# Every configured language, however many.
LANGUAGES = [code for code, _name in settings.LANGUAGES]

pytestmark = pytest.mark.browser

# The include exactly as the public templates use it (a Django tag stays on one line).
INCLUDE = (
    '{% include "includes/_image.html" with image=partner.image alt=partner.image_alt '
    "credit=partner.image_credit licence=partner.image_licence "
    'sizes="(max-width: 40rem) 100vw, 40rem" lazy=True %}'
)
PAGE = (
    '{% extends "base.html" %}{% block title %}Images{% endblock %}'
    "{% block content %}<h1>Images</h1>"
    "{% for partner in partners %}<h2>{{ partner.name }}</h2>" + INCLUDE + "{% endfor %}"
    "{% endblock %}"
)


def image_page(request):
    html = engines["django"].from_string(PAGE).render({"partners": Partner.objects.all()}, request)
    from django.http import HttpResponse

    return HttpResponse(html)


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def _urlpatterns():
    from config.urls import urlpatterns as project

    return [
        path("image-page/", image_page),
        re_path(r"^media/(?P<path>.*)$", media),
        *project,
    ]


urlpatterns = _urlpatterns()


@pytest.fixture
def partners_with_images(transactional_db, settings):
    settings.ROOT_URLCONF = __name__
    kind = RelationshipKind.objects.create(code="twin_city", name_de="Partnerstadt")
    partners = []
    for number, (name, colour) in enumerate(
        [("Warschau", (180, 40, 40)), ("Haifa", (40, 90, 180)), ("Chongqing", (40, 150, 80))]
    ):
        buffer = io.BytesIO()
        Image.new("RGB", (1600, 900), colour).save(buffer, "JPEG")
        partner = Partner(
            name_de=name,
            slug=f"partner-{number}",
            country="PL",
            image_alt_de=f"Blick über {name}",
            image_alt_en=f"View over {name}",
            image_credit="Foto: Erika Mustermann",
            image_licence="CC BY 4.0",
        )
        partner.image = SimpleUploadedFile(f"p{number}.jpg", buffer.getvalue())
        partner.save()  # committed at once (transactional_db): renditions are made
        Relationship.objects.create(partner=partner, kind=kind, since="1990")
        partners.append(partner)
    return partners


def audit(browser, url, language="de"):
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(
        viewport={"width": 375, "height": 800}, device_scale_factor=2, locale=language
    )
    try:
        response = page.goto(url)
        assert response.status == 200
        page.mouse.wheel(0, 5000)  # bring the lazy images in
        page.wait_for_load_state("networkidle")
        pictures = page.locator("picture img")
        loaded = page.evaluate(
            "Array.from(document.querySelectorAll('picture img'))"
            ".map(img => img.complete && img.naturalWidth > 0)"
        )
        chosen = page.evaluate(
            "Array.from(document.querySelectorAll('picture img')).map(img => img.currentSrc)"
        )
        results = Axe().run(page)
        assert page.locator("html").get_attribute("lang") == language
        return pictures.count(), loaded, chosen, results
    finally:
        page.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_with_images_passes_axe(browser, live_server, partners_with_images, language):
    count, loaded, chosen, results = audit(browser, f"{live_server.url}/image-page/", language)
    assert count == 3
    assert all(loaded), chosen  # every image arrived, from a rendition
    assert all(".webp" in src for src in chosen), chosen  # Chromium takes the WebP source
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("page", ["overview", "partner"])
def test_the_public_pages_with_images_pass_axe(browser, live_server, partners_with_images, page):
    with translation.override("de"):  # earlier tests may leave another language active
        url = (
            reverse("partnerships:overview")
            if page == "overview"
            else partners_with_images[0].get_absolute_url()
        )
    count, loaded, chosen, results = audit(browser, live_server.url + url)
    if count == 0:
        pytest.skip(f"the public {page} page does not show images yet (issue 3)")
    assert all(loaded), chosen
    assert results.violations_count == 0, results.generate_report()
