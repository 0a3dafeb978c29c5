"""Small test videos, made by ffmpeg in the test (Debian's ffmpeg package).

Without ffmpeg the tests that need one are skipped with the reason, unless REQUIRE_FFMPEG=1
(CI, .ci/run), where a missing ffmpeg is a failure. `scripts/setup-browser` installs it.
"""

import os
import shutil
import subprocess

import pytest

CAPTIONS = """WEBVTT

00:00:00.000 --> 00:00:01.500
Willkommen bei den internationalen Beziehungen.

00:00:01.500 --> 00:00:03.000
Hier finden Sie Düsseldorfs Partnerstädte.
""".encode()


def require_ffmpeg():
    missing = [tool for tool in ("ffmpeg", "ffprobe") if shutil.which(tool) is None]
    if not missing:
        return
    reason = f"no {' and '.join(missing)} (Debian package ffmpeg)"
    if os.environ.get("REQUIRE_FFMPEG") == "1":
        pytest.fail(f"{reason} (REQUIRE_FFMPEG=1; run scripts/setup-browser)", pytrace=False)
    pytest.skip(f"{reason}; run scripts/setup-browser")


def make_video(path, size="320x240", rate=25, seconds=1.0, audio=True, picture=True):
    """A video of ffmpeg's test pattern (and a tone) at `path`; its extension picks the format:
    .webm is VP8 with Vorbis, .mp4 H.264 with AAC."""
    require_ffmpeg()
    inputs, codecs = [], []
    if picture:
        inputs += ["-f", "lavfi", "-i", f"testsrc=size={size}:rate={rate}:duration={seconds}"]
        if path.suffix == ".webm":
            codecs += ["-c:v", "libvpx", "-b:v", "300k", "-deadline", "realtime"]
        else:
            codecs += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    if audio:
        inputs += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
        codecs += ["-c:a", "libvorbis" if path.suffix == ".webm" else "aac"]
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", *inputs, *codecs, str(path)],
        check=True,
        timeout=120,
    )
    return path
