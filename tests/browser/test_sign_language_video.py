"""The DGS video in Chromium: it plays from this site with its captions, and its page passes
axe and the Nu HTML Checker in every language.

WebM (VP8), which Debian's Chromium plays; its build may lack H.264. The video is made by
ffmpeg in the test (tests/videos.py); the media folder is served as a developer's runserver
does (DEBUG), through the project's own addresses.
"""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import re_path, reverse
from django.utils import translation
from django.views.static import serve

from partnerships.models import SignLanguageVideo

from ..videos import CAPTIONS, make_video
from .test_browser import axe_violations
from .test_html_validity import nu_check

pytestmark = pytest.mark.browser


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def _urlpatterns():
    from config.urls import urlpatterns as project

    return [re_path(r"^media/(?P<path>.*)$", media), *project]


urlpatterns = _urlpatterns()


@pytest.fixture
def sign_language_video(settings, tmp_path):
    settings.ROOT_URLCONF = __name__
    video = make_video(tmp_path / "dgs.webm", seconds=4)
    row = SignLanguageVideo(
        video=SimpleUploadedFile("dgs.webm", video.read_bytes(), "video/webm"),
        captions=SimpleUploadedFile("dgs.vtt", CAPTIONS, "text/vtt"),
    )
    row.full_clean()
    row.save()
    return row


@pytest.mark.parametrize("language", ["de", "en", "he"])
def test_the_video_plays_with_its_captions_from_this_site(page, sign_language_video, language):
    with translation.override(language):
        address = reverse("partnerships:sign-language")
    page.goto(page.site + address)
    video = page.locator("video")
    assert video.count() == 1
    # Muted, as a browser lets a page start a video without a click.
    video.evaluate("v => { v.muted = true; v.textTracks[0].mode = 'showing'; return v.play(); }")
    page.wait_for_function(
        "() => { const v = document.querySelector('video'); "
        "return v.readyState >= 2 && v.currentTime > 0.5; }",
        timeout=15_000,
    )
    assert video.evaluate("v => v.error") is None
    cues = video.evaluate("v => Array.from(v.textTracks[0].cues || []).map(cue => cue.text)")
    assert cues == [
        "Willkommen bei den internationalen Beziehungen.",
        "Hier finden Sie Düsseldorfs Partnerstädte.",
    ]
    assert video.evaluate("v => v.textTracks[0].kind") == "captions"
    assert video.evaluate("v => new URL(v.currentSrc).host") == page.site.split("//")[1]
    # The download link names the file's size and length.
    assert "0:04" in page.locator(".download a").first.inner_text()
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)
    # (The `page` fixture checks that nothing was asked of another host.)


def test_the_page_with_a_video_passes_the_nu_html_checker(
    client, demo, sign_language_video, tmp_path
):
    files = []
    for language in ("de", "en", "he"):
        with translation.override(language):
            response = client.get(reverse("partnerships:sign-language"))
        assert b"<video" in response.content
        file = tmp_path / f"sign-language-{language}.html"
        file.write_bytes(response.content)
        files.append(file)
    errors = [f"{m.get('url')} line {m.get('lastLine')}: {m['message']}" for m in nu_check(files)]
    assert errors == [], "\n".join(errors)
