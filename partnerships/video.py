"""The sign-language (DGS) video: what an upload must be, checked with ffprobe.

BITV 2.0, Annex 2 (Part 2), asks of a video in German Sign Language at least 320 × 240 pixels
and 25 frames per second. The site plays it itself (no video platform) in every current browser,
so it must be MP4 with H.264 video or WebM (VP8, VP9 or AV1), within a size and a length the
settings give. Captions come as a WebVTT file, the format <track> reads.

ffprobe (Debian's ffmpeg package) reads the uploaded file where it lies, with a timeout; its
answer is JSON. A file it cannot read, one without a picture (audio only, or a still image
with sound) and one outside the limits are each refused with the editor's own message; a server
without ffprobe refuses the upload with a message too, never a server error.
"""

import json
import logging
import shutil
import subprocess  # nosec B404: ffprobe, with a fixed argument list and no shell
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction

import webvtt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

MIN_WIDTH, MIN_HEIGHT = 320, 240
MIN_FRAME_RATE = 25
# What a browser plays in <video>, by the container ffprobe names and the extension.
PLAYABLE = {
    "mp4": ({"mov,mp4,m4a,3gp,3g2,mj2"}, {"h264"}, "video/mp4"),
    "webm": ({"matroska,webm"}, {"vp8", "vp9", "av1"}, "video/webm"),
}
EXTENSIONS = list(PLAYABLE)
CAPTION_MAX_BYTES = 1024 * 1024
PROBE_SECONDS = 30


def max_bytes():
    return getattr(settings, "SIGN_LANGUAGE_VIDEO_MAX_BYTES", 200 * 1024 * 1024)


def max_seconds():
    return getattr(settings, "SIGN_LANGUAGE_VIDEO_MAX_SECONDS", 15 * 60)


@dataclass(frozen=True)
class VideoFacts:
    """What the page says about the video, and what the checks read."""

    container: str  # "mp4" or "webm"
    codec: str
    width: int
    height: int
    frame_rate: float
    duration: float  # seconds
    size: int  # bytes

    @property
    def mime_type(self):
        return PLAYABLE[self.container][2]


def refuse(message, code, **params):
    return ValidationError(message, code=code, params=params)


@contextmanager
def file_on_disk(upload):
    """A path to the upload for ffprobe: its temporary file, or a copy of one kept in memory."""
    if hasattr(upload, "temporary_file_path"):
        yield upload.temporary_file_path()
        return
    with tempfile.NamedTemporaryFile(suffix=".upload") as copy:
        upload.seek(0)
        for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
            copy.write(chunk)
        copy.flush()
        upload.seek(0)
        yield copy.name


def ffprobe(path):
    """ffprobe's JSON about the file at `path`, or None when it cannot read it."""
    program = shutil.which("ffprobe")
    if program is None:
        raise refuse(
            _(
                "The video cannot be checked: the server lacks ffprobe (Debian package ffmpeg). "
                "Please tell the site's administrators."
            ),
            "video_no_ffprobe",
        )
    command = [
        program,
        "-v",
        "error",
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        "--",
        path,
    ]
    try:
        result = subprocess.run(  # nosec B603: a fixed command, the path is one argument
            command, capture_output=True, timeout=PROBE_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        raise refuse(
            _("The video could not be checked within %(seconds)s seconds; is it damaged?"),
            "video_probe_timeout",
            seconds=PROBE_SECONDS,
        ) from None
    if result.returncode != 0:
        logger.info("ffprobe refused an upload: %s", result.stderr[:500])
        return None
    try:
        return json.loads(result.stdout)
    except ValueError:
        return None


def frame_rate(stream):
    for key in ("avg_frame_rate", "r_frame_rate"):
        try:
            rate = Fraction(stream.get(key, "0/0"))
        except (ValueError, ZeroDivisionError):
            continue
        if rate > 0:
            return float(rate)
    return 0.0


def check_video(upload, name):
    """The facts of an uploaded video, or the ValidationError that says what is wrong.

    Probed once per upload: the form's validation and the save share the answer."""
    cached = getattr(upload, "_video_facts", None)
    if cached is not None:
        return cached
    upload._video_facts = facts = probe_video(upload, name)
    return facts


def probe_video(upload, name):
    size = upload.size
    if size > max_bytes():
        raise refuse(
            _("The video is %(size)s; it may be at most %(limit)s."),
            "video_too_large",
            size=filesizeformat(size),
            limit=filesizeformat(max_bytes()),
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    with file_on_disk(upload) as path:
        probed = ffprobe(path)
    not_a_video = refuse(
        _("This file is not a video. Please upload an MP4 (H.264) or WebM video."),
        "video_not_a_video",
    )
    if not probed or not probed.get("streams"):
        raise not_a_video
    pictures = [
        stream
        for stream in probed["streams"]
        if stream.get("codec_type") == "video"
        # A cover image in an audio file is a "video" stream of one picture.
        and not stream.get("disposition", {}).get("attached_pic")
    ]
    if not pictures:
        if any(stream.get("codec_type") == "audio" for stream in probed["streams"]):
            raise refuse(
                _("This file holds sound only, no picture. A sign-language video is needed."),
                "video_audio_only",
            )
        raise not_a_video
    picture = pictures[0]
    format_name = probed.get("format", {}).get("format_name", "")
    codec = picture.get("codec_name", "")
    playable = PLAYABLE.get(extension)
    if playable is None or format_name not in playable[0] or codec not in playable[1]:
        raise refuse(
            _(
                "The video must be an MP4 file with H.264 video (.mp4) or a WebM file (.webm), "
                "which every browser plays; this one is %(format)s with %(codec)s."
            ),
            "video_format",
            format=format_name or "?",
            codec=codec or "?",
        )
    width, height = int(picture.get("width") or 0), int(picture.get("height") or 0)
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise refuse(
            _(
                "The video is %(width)s × %(height)s pixels; a sign-language video must be at "
                "least %(min_width)s × %(min_height)s pixels (BITV 2.0, Annex 2)."
            ),
            "video_too_small",
            width=width,
            height=height,
            min_width=MIN_WIDTH,
            min_height=MIN_HEIGHT,
        )
    rate = frame_rate(picture)
    # 0.01 below: ffprobe reports 25 fps as 25/1, a few encoders as 24.99.
    if rate < MIN_FRAME_RATE - 0.01:
        raise refuse(
            _(
                "The video has %(rate)s frames per second; a sign-language video needs at least "
                "%(minimum)s (BITV 2.0, Annex 2)."
            ),
            "video_too_slow",
            rate=f"{rate:.3g}",
            minimum=MIN_FRAME_RATE,
        )
    try:
        duration = float(probed.get("format", {}).get("duration") or picture.get("duration"))
    except (TypeError, ValueError):
        duration = 0.0
    if duration > max_seconds():
        raise refuse(
            _("The video lasts %(length)s; it may last at most %(limit)s."),
            "video_too_long",
            length=format_duration(duration),
            limit=format_duration(max_seconds()),
        )
    return VideoFacts(extension, codec, width, height, round(rate, 3), round(duration, 2), size)


def check_captions(upload):
    """Refuse a caption file that is not WebVTT (UTF-8, the WEBVTT header, readable cues)."""
    if upload.size > CAPTION_MAX_BYTES:
        raise refuse(
            _("The caption file is %(size)s; it may be at most %(limit)s."),
            "captions_too_large",
            size=filesizeformat(upload.size),
            limit=filesizeformat(CAPTION_MAX_BYTES),
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    not_webvtt = refuse(
        _(
            "The caption file is not a WebVTT file (.vtt, beginning with “WEBVTT”). Please save "
            "the captions as WebVTT, e.g. convert an SRT file."
        ),
        "captions_not_webvtt",
    )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_webvtt from None
    try:
        captions = webvtt.from_string(text)
    except (webvtt.errors.MalformedFileError, ValueError, IndexError):
        raise not_webvtt from None
    if not len(captions):
        raise refuse(_("The caption file holds no captions."), "captions_empty")


def format_duration(seconds):
    """3:05 for three minutes and five seconds (1:02:03 past an hour)."""
    seconds = round(seconds or 0)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"
