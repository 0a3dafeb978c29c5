"""The DGS video: every upload checked with ffprobe against BITV 2.0, Annex 2, and played
from this site with its captions and a download link.

Videos are made by ffmpeg in the test (tests/videos.py: skipped without it, unless
REQUIRE_FFMPEG=1). Messages are checked in English (the admin follows Accept-Language); the
German ones come with the catalogue.
"""

import shutil

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from partnerships import video as video_checks
from partnerships.models import SignLanguageVideo

from .adminforms import make_editor
from .videos import CAPTIONS, make_video

pytestmark = pytest.mark.django_db


def upload(path, name=None, content_type="video/webm"):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type)


def refusal(**files):
    """The error codes full_clean() gives for the upload, by field."""
    row = SignLanguageVideo(**files)
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    return {
        field: [error.code for error in errors]
        for field, errors in refused.value.error_dict.items()
    }


def test_a_video_of_320_by_240_at_25_frames_per_second_is_accepted(tmp_path):
    row = SignLanguageVideo(
        video=upload(make_video(tmp_path / "dgs.webm", seconds=2)),
        captions=SimpleUploadedFile("dgs.vtt", CAPTIONS, "text/vtt"),
    )
    row.full_clean()
    row.save()
    row.refresh_from_db()
    assert (row.width, row.height, row.frame_rate) == (320, 240, 25)
    assert row.mime_type == "video/webm"
    assert row.duration == pytest.approx(2, abs=0.1)
    assert row.size == (tmp_path / "dgs.webm").stat().st_size
    assert row.duration_display == "0:02"


def test_an_mp4_with_h264_is_accepted(tmp_path):
    row = SignLanguageVideo(
        video=upload(make_video(tmp_path / "dgs.mp4"), content_type="video/mp4")
    )
    row.full_clean()
    assert row.mime_type == "video/mp4" and row.width == 320


@pytest.mark.parametrize(
    ("name", "options", "code"),
    [
        ("small.webm", {"size": "160x120"}, "video_too_small"),
        ("slow.webm", {"rate": 10}, "video_too_slow"),
        ("sound.webm", {"picture": False}, "video_audio_only"),
    ],
)
def test_a_video_below_bitv_annex_2_or_without_a_picture_is_refused(tmp_path, name, options, code):
    assert refusal(video=upload(make_video(tmp_path / name, **options))) == {"video": [code]}


def test_a_renamed_text_file_is_refused_as_not_a_video(tmp_path):
    make_video(tmp_path / "unused.webm")  # skips without ffmpeg, as the check needs ffprobe
    text = SimpleUploadedFile("dgs.mp4", b"This is no video at all.\n" * 100, "video/mp4")
    assert refusal(video=text) == {"video": ["video_not_a_video"]}


def test_a_video_in_another_format_is_refused(tmp_path):
    # H.264 in a file named .webm: a browser would not play it.
    mp4 = make_video(tmp_path / "dgs.mp4")
    assert refusal(video=upload(mp4, name="dgs.webm")) == {"video": ["video_format"]}


def test_a_video_too_large_or_too_long_for_the_settings_is_refused(tmp_path, settings):
    path = make_video(tmp_path / "dgs.webm", seconds=3)
    settings.SIGN_LANGUAGE_VIDEO_MAX_BYTES = path.stat().st_size - 1
    assert refusal(video=upload(path)) == {"video": ["video_too_large"]}
    settings.SIGN_LANGUAGE_VIDEO_MAX_BYTES = 10**9
    settings.SIGN_LANGUAGE_VIDEO_MAX_SECONDS = 2
    assert refusal(video=upload(path)) == {"video": ["video_too_long"]}


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"1\n00:00:00,000 --> 00:00:01,000\nAn SRT file\n", "captions_not_webvtt"),
        (b"\xff\xfe not UTF-8", "captions_not_webvtt"),
        # The header, but no cue WebVTT can read: nothing would be shown.
        (b"WEBVTT\n\n00:00:01.000 -> nonsense\nText\n", "captions_empty"),
    ],
    ids=["srt", "binary", "bad-timing"],
)
def test_a_caption_file_that_is_not_webvtt_is_refused(tmp_path, content, code):
    files = {
        "video": upload(make_video(tmp_path / "dgs.webm")),
        "captions": SimpleUploadedFile("dgs.vtt", content, "text/vtt"),
    }
    assert refusal(**files) == {"captions": [code]}


def test_a_save_without_full_clean_checks_the_video_too(tmp_path):
    row = SignLanguageVideo(video=upload(make_video(tmp_path / "small.webm", size="160x120")))
    with pytest.raises(ValidationError):
        row.save()
    assert not SignLanguageVideo.objects.exists()


def test_without_ffprobe_the_upload_is_refused_with_a_message(tmp_path, monkeypatch):
    path = make_video(tmp_path / "dgs.webm")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert refusal(video=upload(path)) == {"video": ["video_no_ffprobe"]}


# --- Through the admin, in the editor's language ---


@pytest.fixture
def editor_client(client, demo):
    client.force_login(make_editor())
    return client


def add_video(client, **files):
    url = reverse("admin:partnerships_signlanguagevideo_add")
    return client.post(url, files, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize("memory", [True, False], ids=["in-memory", "temporary-file"])
def test_the_admin_refuses_a_small_video_with_the_editors_message(
    editor_client, tmp_path, settings, memory
):
    if not memory:
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload goes to a temporary file
    small = make_video(tmp_path / "small.webm", size="160x120")
    with (tmp_path / "small.webm").open("rb") as file:
        response = add_video(editor_client, video=file)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["video"]
    assert errors == [
        "The video is 160 × 120 pixels; a sign-language video must be at least 320 × 240 "
        "pixels (BITV 2.0, Annex 2)."
    ]
    assert small.exists() and not SignLanguageVideo.objects.exists()


def test_the_admin_refuses_a_caption_file_that_is_not_webvtt(editor_client, tmp_path):
    video = make_video(tmp_path / "dgs.webm")
    srt = tmp_path / "dgs.vtt"
    srt.write_bytes(b"1\n00:00:00,000 --> 00:00:01,000\nSRT\n")
    with video.open("rb") as video_file, srt.open("rb") as caption_file:
        response = add_video(editor_client, video=video_file, captions=caption_file)
    assert response.status_code == 200
    assert "not a WebVTT file" in response.context["adminform"].form.errors["captions"][0]


def test_the_page_plays_the_video_with_captions_and_offers_it_for_download(
    editor_client, client, tmp_path
):
    video = make_video(tmp_path / "dgs.webm", seconds=3)
    captions = tmp_path / "dgs.vtt"
    captions.write_bytes(CAPTIONS)
    with video.open("rb") as video_file, captions.open("rb") as caption_file:
        response = add_video(editor_client, video=video_file, captions=caption_file)
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = SignLanguageVideo.objects.get()
    client.logout()
    for language in ("de", "en", "he"):
        with translation.override(language):
            html = client.get(reverse("partnerships:sign-language")).content.decode()
        assert f'<source src="{row.video.url}" type="video/webm">' in html
        assert (
            f'<track kind="captions" src="{row.captions.url}" srclang="de"' in html
            and " default>" in html
        )
        assert row.video.url.startswith("/media/")  # from this site, no video platform
    with translation.override("en"):
        html = client.get(reverse("partnerships:sign-language")).content.decode()
    size = video.stat().st_size
    assert f"Download the video ({size / 1024:.1f}\xa0KB, 0:03 minutes)" in html


def test_the_admin_shows_what_ffprobe_found(editor_client, tmp_path):
    with make_video(tmp_path / "dgs.webm").open("rb") as file:
        add_video(editor_client, video=file)
    row = SignLanguageVideo.objects.get()
    url = reverse("admin:partnerships_signlanguagevideo_change", args=[row.pk])
    html = editor_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "320 × 240 pixels, 25 frames per second, 0:01" in html
    # One row: the list leads to it, and there is no second one to add and no delete.
    listing = editor_client.get(reverse("admin:partnerships_signlanguagevideo_changelist"))
    assert listing.status_code == 302 and listing.url == url
    assert editor_client.get(reverse("admin:partnerships_signlanguagevideo_add")).url == url


def test_format_duration():
    assert video_checks.format_duration(65.4) == "1:05"
    assert video_checks.format_duration(3723) == "1:02:03"
