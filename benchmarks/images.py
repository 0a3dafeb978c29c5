"""How heavy are images? Prints three figures, each against a baseline measured in the same run.

1. An editor's upload of a 7000 × 7000 image (a PNG of a few hundred KB, RGB and RGBA, and a
   camera-like JPEG; and a 5000 × 5000 RGBA PNG, which takes sanitize's other path), posted to
   the admin's add form: the request's time (wall and CPU) and the worker process's peak memory
   (its high-water mark, VmHWM), against the same request on the code before renditions moved
   to a background task (`--before`: any git revision, default 58bc933, the last one before
   that); then the background task's time and peak, in a process of its own as a `db_worker`
   runs it. Target:
   under 2 s and under 300 MB for the request. Each measurement runs in a fresh process, so
   that one's peak does not hide the next; the idle worker (Django loaded, logged in, the add
   form shown once) is the baseline of its peak.
2. The time to store a 6000 × 4000 camera photo (check, orientation, metadata stripped) and make
   its renditions, against the time Pillow needs just to decode that photo once.
3. The bytes of images the overview makes a phone download: 15 partners with photos, a 375 CSS px
   wide screen at device pixel ratio 2, the candidate a browser picks from each `srcset` by
   its `sizes`; against the bytes of the photos as uploaded (what sending originals would cost).
   Target: under 300 KB.

The photos are generated (sky, buildings with windows, sensor noise): not a real photo, but
not a flat colour either, so that encoders have real work to do. The PNGs are posters: a few
flat shapes, which is how a 7000 × 7000 PNG stays a few hundred KB.

    .venv/bin/python benchmarks/images.py [--before REVISION] [--only-uploads]
"""

import argparse
import io
import json
import logging
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MEDIA = tempfile.mkdtemp(prefix="partnerships-bench-media-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["MEDIA_ROOT"] = MEDIA
os.environ.setdefault("DATABASE_URL", "sqlite:///" + str(Path(MEDIA) / "bench.sqlite3"))
# Sections 2 and 3 read the renditions right after each save: the task runs in the save here.
# Section 1 runs its processes with the database queue, as production does.
os.environ["TASKS_BACKEND"] = "immediate"

import django  # noqa: E402

django.setup()
logging.getLogger("django_tasks").setLevel(logging.WARNING)  # a line per task run otherwise

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.template import Context, Template  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

from partnerships import images  # noqa: E402
from partnerships.models import Partner, Relationship, RelationshipKind  # noqa: E402

VIEWPORT = 375  # CSS px: a common phone
DPR = 2
ROOT_FONT_SIZE = 16


def photo(width, height, seed):
    """A photo-like picture: a sky gradient, a skyline with lit windows, sensor noise."""
    rng = random.Random(seed)
    sky = Image.linear_gradient("L").resize((width, height))
    image = Image.merge(
        "RGB",
        (
            sky.point(lambda v: 60 + v // 3),
            sky.point(lambda v: 110 + v // 4),
            sky.point(lambda v: 200 - v // 5),
        ),
    )
    draw = ImageDraw.Draw(image)
    x = 0
    while x < width:
        w = rng.randint(width // 30, width // 8)
        top = rng.randint(height // 5, height * 3 // 4)
        shade = rng.randint(40, 140)
        draw.rectangle((x, top, x + w, height), fill=(shade, shade - 10, shade + 10))
        step = max(width // 300, 4)
        for wy in range(top + step, height - step, step * 3):
            for wx in range(x + step, x + w - step, step * 2):
                if rng.random() < 0.4:
                    lit = rng.randint(150, 255)
                    draw.rectangle((wx, wy, wx + step, wy + step * 2), fill=(lit, lit, lit // 2))
        x += w + rng.randint(0, width // 60)
    noise = Image.effect_noise((width, height), 18).convert("RGB")
    image = Image.blend(image, noise, 0.12).filter(ImageFilter.GaussianBlur(0.6))
    return image


def jpeg(image, quality=92):
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 1
    exif.get_ifd(0x8825)[2] = (51.0, 13.0, 30.0)
    image.save(buffer, "JPEG", quality=quality, exif=exif)
    return buffer.getvalue()


def css_px(length):
    length = length.strip()
    if length.endswith("vw"):
        return float(length[:-2]) * VIEWPORT / 100
    if length.endswith("rem") or length.endswith("em"):
        return float(re.sub("r?em$", "", length)) * ROOT_FONT_SIZE
    if length.endswith("px"):
        return float(length[:-2])
    raise ValueError(length)


def slot_width(sizes):
    """Evaluate a `sizes` attribute at the phone's viewport, as a browser does."""
    for entry in sizes.split(","):
        entry = entry.strip()
        match = re.match(r"\((min|max)-width:\s*([^)]+)\)\s*(.+)", entry)
        if not match:
            return css_px(entry)
        kind, limit, length = match.groups()
        limit = css_px(limit)
        if (kind == "max" and VIEWPORT <= limit) or (kind == "min" and VIEWPORT >= limit):
            return css_px(length)
    return VIEWPORT


def chosen(srcset, sizes):
    """The candidate a browser picks: the smallest at least slot width × DPR, else the largest."""
    candidates = []
    for item in srcset.split(","):
        url, width = item.strip().split()
        candidates.append((int(width.rstrip("w")), url))
    candidates.sort()
    needed = slot_width(sizes) * DPR
    for width, url in candidates:
        if width >= needed:
            return width, url
    return candidates[-1]


def media_size(url):
    return (Path(MEDIA) / url.split("/media/", 1)[1]).stat().st_size


def poster(width, height, mode):
    """A PNG poster: flat shapes on a plain (or transparent) ground, a few hundred KB."""
    ground = (0, 0, 0, 0) if mode == "RGBA" else (240, 236, 225)
    image = Image.new(mode, (width, height), ground)
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 7, height // 7, width * 6 // 7, height * 6 // 7), fill=(200, 30, 40))
    draw.rectangle((width // 3, height // 5, width * 2 // 3, height * 4 // 5), fill=(20, 60, 140))
    for step in range(0, width, width // 14):
        draw.line((step, 0, width - step, height), fill=(250, 200, 0), width=width // 200)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def in_own_process(code_root, step, *args, media, database):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MEDIA_ROOT": str(media),
        "DATABASE_URL": f"sqlite:///{database}",
        "TASKS_BACKEND": "database",
        "DJANGO_DEBUG": "0",
        "PUBLIC_PAGE_CACHE": "0",
    }
    helper = Path(__file__).resolve().parent / "_image_upload.py"
    result = subprocess.run(
        [sys.executable, str(helper), str(code_root), step, *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"{step} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def checkout(revision):
    """The code of a git revision, in a temporary folder (the checkout itself is not touched)."""
    folder = Path(tempfile.mkdtemp(prefix="partnerships-bench-code-"))
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def measure_upload(code_root, path, with_worker):
    work = Path(tempfile.mkdtemp(prefix="partnerships-bench-upload-"))
    try:
        where = {"media": work / "media", "database": work / "db.sqlite3"}
        in_own_process(code_root, "setup", **where)
        request = in_own_process(code_root, "request", path, **where)
        worker = in_own_process(code_root, "worker", **where) if with_worker else None
        if worker is not None:
            request["files_after_worker"] = sum(
                len(files) for _d, _s, files in os.walk(where["media"])
            )
        return request, worker
    finally:
        shutil.rmtree(work, ignore_errors=True)


def timing(measured):
    return f"{measured['seconds']:5.2f} s (CPU {measured['cpu_seconds']:5.2f} s)"


def uploads(before):
    """Section 1: the editor's request, before and after, and the background task."""
    folder = Path(tempfile.mkdtemp(prefix="partnerships-bench-images-"))
    old_code = checkout(before)
    try:
        samples = {
            "7000 px PNG poster, RGB": ("poster-rgb.png", poster(7000, 7000, "RGB")),
            "7000 px PNG poster, RGBA": ("poster-rgba.png", poster(7000, 7000, "RGBA")),
            "7000 px JPEG photo": ("photo.jpg", jpeg(photo(7000, 7000, seed=7), quality=85)),
            # Below twice the cap: resized with Lanczos, not reduced (the other memory path).
            "5000 px PNG poster, RGBA": ("poster-5000.png", poster(5000, 5000, "RGBA")),
        }
        print(f"1. An editor uploads a large image (admin add form; before = {before})")
        for label, (name, data) in samples.items():
            path = folder / name
            path.write_bytes(data)
            old, _none = measure_upload(old_code, path, with_worker=False)
            new, task = measure_upload(ROOT, path, with_worker=True)
            print(f"  {label}, {len(data) / 1024:.0f} KB")
            print(
                f"    before: request {timing(old)}, peak {old['peak_mb']:4.0f} MB"
                f"  (idle worker {old['idle_mb']:.0f} MB; stored {old['stored'][0]} px,"
                f" {old['media_files']} files written in the request)"
            )
            print(
                f"    after:  request {timing(new)}, peak {new['peak_mb']:4.0f} MB"
                f"  (idle worker {new['idle_mb']:.0f} MB; stored {new['stored'][0]} px,"
                f" {new['stored_kb']:.0f} KB; {new['media_files']} file written)"
                f"   target < 2 s, < 300 MB"
            )
            print(
                f"    after:  background task {timing(task)}, peak {task['peak_mb']:4.0f} MB"
                f" ({new['files_after_worker']} files with renditions)"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(old_code, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    # The last commit before renditions moved to a background task (issue 15).
    parser.add_argument(
        "--before", default="58bc933", help="git revision measured as 'before' (%(default)s)"
    )
    parser.add_argument("--only-uploads", action="store_true")
    options = parser.parse_args()
    print(f"Pillow {Image.__version__}; renditions {images.RENDITION_WIDTHS} px")
    print()
    uploads(options.before)
    if options.only_uploads:
        return
    call_command("migrate", verbosity=0)

    # --- 2. A 6000 × 4000 camera photo ---
    big = jpeg(photo(6000, 4000, seed=1))
    started = time.perf_counter()
    with Image.open(io.BytesIO(big)) as decoded:
        decoded.load()
    decode = time.perf_counter() - started

    partner = Partner(
        name_de="Warschau",
        slug="warsaw",
        country="PL",
        image_alt_de="Skyline",
        image_credit="Foto: Benchmark",
    )
    upload = SimpleUploadedFile("camera.jpg", big, "image/jpeg")
    started = time.perf_counter()
    images.check_image_file(upload)
    check = time.perf_counter() - started
    started = time.perf_counter()
    images.sanitize(upload)
    sanitize = time.perf_counter() - started
    partner.image = upload
    started = time.perf_counter()
    # The whole save as a script does it: check, sanitise (the decode above, kept), store; the
    # renditions task runs at once here (autocommit, immediate backend).
    partner.save()
    total = time.perf_counter() - started
    started = time.perf_counter()
    made = images.make_renditions(partner.image)  # again, alone, for the breakdown
    render = time.perf_counter() - started
    print()
    print(f"2. A 6000 x 4000 photo, {len(big) / 1024:.0f} KB JPEG, stored by a script")
    print(f"  baseline: Pillow decodes it once          {decode * 1000:6.0f} ms")
    print(f"  check (header, verify)                    {check * 1000:6.0f} ms")
    print(f"  orientation + metadata strip + 2560 px    {sanitize * 1000:6.0f} ms")
    print(f"  {len(made)} renditions (the background task)     {render * 1000:6.0f} ms")
    print(
        f"  total: saved, renditions made             {total * 1000:6.0f} ms"
        f"  ({total / decode:.1f}x the decode)"
    )

    # --- 3. The overview with 15 partner images, at phone width ---
    Partner.objects.all().delete()
    kind = RelationshipKind.objects.create(code="twin_city", name_de="Partnerstadt")
    originals = 0
    for number in range(15):
        data = jpeg(photo(2400, 1600, seed=100 + number))
        originals += len(data)
        partner = Partner(
            name_de=f"Partnerstadt {number}",
            slug=f"partner-{number}",
            country="PL",
            image_alt_de="Skyline",
            image_credit="Foto: Benchmark",
            image_licence="CC BY 4.0",
        )
        partner.image = SimpleUploadedFile(f"city-{number}.jpg", data, "image/jpeg")
        partner.save()  # renditions made on commit
        Relationship.objects.create(partner=partner, kind=kind, since="1990")

    setup_test_environment()
    html = Client().get("/en/").content.decode()
    source = "the overview page (/en/)"
    if html.count("<picture>") < 15:
        # The overview does not show partner images (yet): render each partner's image the way
        # the public templates do.
        template = Template(
            '{% for partner in partners %}{% include "includes/_image.html" with '
            "image=partner.image alt=partner.image_alt credit=partner.image_credit "
            'licence=partner.image_licence sizes="(max-width: 40rem) 100vw, 40rem" '
            "lazy=True %}{% endfor %}"
        )
        html = template.render(Context({"partners": Partner.objects.all()}))
        source = "includes/_image.html for each partner (the overview shows no images yet)"

    pictures = re.findall(r"<picture>(.*?)</picture>", html, re.S)
    print()
    print(f"3. Overview at {VIEWPORT} CSS px, DPR {DPR}: {len(pictures)} images, from {source}")
    print(f"  baseline: the uploaded originals        {originals / 1024:8.0f} KB")
    sizes_found = re.search(r'sizes="([^"]+)"', pictures[0]).group(1)
    # The second line shows what a smaller slot on the overview (a third of the width) costs.
    for sizes in (sizes_found, "(max-width: 40rem) 33vw, 13rem"):
        webp_bytes = jpeg_bytes = 0
        widths = set()
        for picture in pictures:
            webp = re.search(r'<source type="image/webp" srcset="([^"]+)"', picture).group(1)
            img = re.search(r'<img [^>]*srcset="([^"]+)"', picture).group(1)
            width, url = chosen(webp, sizes)
            widths.add(width)
            webp_bytes += media_size(url)
            jpeg_bytes += media_size(chosen(img, sizes)[1])
        print(f'  sizes="{sizes}": slot {slot_width(sizes):.0f} px, picks {sorted(widths)} w')
        print(
            f"    WebP (current browsers)      {webp_bytes / 1024:6.0f} KB "
            f"({webp_bytes / len(pictures) / 1024:.1f} KB per image, "
            f"{webp_bytes / originals:.1%} of the originals; target < 300 KB)"
        )
        print(f"    JPEG fallback                {jpeg_bytes / 1024:6.0f} KB")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(MEDIA, ignore_errors=True)
