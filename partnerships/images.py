"""Images that are safe, light and credited.

One place for everything an uploaded image goes through:

1. Validation, on every way in: the file must really be a JPEG, PNG or WebP image, read by
   Pillow (an SVG or a renamed text file is refused), within a byte and a pixel limit (a
   decompression bomb is refused with a message, never decoded). The admin's form, `full_clean`,
   a script's `save()` after assigning a file, `image.save(name, content)`, a restored version
   and `loaddata` all raise the form's ValidationError, never a Pillow exception: uploads are
   checked before the save opens its transaction (pre_save), stored files named by a raw save
   get the same checks, and reading a bad file's size leaves it unknown instead of raising.
2. Sanitising on save: the EXIF orientation is applied and every metadata block (EXIF with its
   GPS position, XMP, comments) is dropped by re-encoding the pixels; the colour profile stays.
   The stored image has at most MAX_STORED_SIDE pixels on its long side. The image is decoded
   once per upload, as small as Pillow can (`clean_image`, `sanitize`), so that an editor's
   7000 × 7000 upload stays within a worker's memory (benchmarks/images.py measures it).
3. Renditions: easy-thumbnails makes each image in a few widths, as WebP and as a JPEG (PNG for
   PNG sources) fallback, in a background task (django-tasks) queued once the save is
   committed; the task then sets the row's renditions flag (`renditions_field`), and touches
   the content version so that cached pages change. Until then pages send the stored image
   itself (already upright, metadata-free and capped) and the admin says "Renditions pending".
   Rendition names are a pure function of the source name and width (easy-thumbnails' own
   namer), so a page computes every `srcset` URL without touching the database or the storage:
   its query count does not grow with the number of images, pending or not.
4. Cleanup: replacing or deleting an image removes the old file and all its renditions, once
   no row and no version (django-reversion) names it: an old version restored from the History
   finds its image where it was. Deleting versions (`deleterevisions`) removes the files that
   only they named. A raw save (a restored version, `loaddata`) queues whatever renditions are
   missing; a restore run in `restoring()` (the admin's History) leaves out an image that is no
   longer stored, or that fails the checks, instead of pointing at it.

Alt text and credit: whenever an image is set, its credit (German copyright law requires naming
the author) and its alt text are required. The alt text is translated; a page in a language
without its own alt text shows the fallback language's (modeltranslation), so the alt text is
required in every language at the end of a fallback chain: with the default settings
(every language falls back to German) that is German alone. See `missing_alt_languages`.
"""

import io
import json
import logging
import math
import os
import warnings
from contextlib import contextmanager
from contextvars import ContextVar

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from easy_thumbnails.files import get_thumbnailer
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

# --- Limits (settings, with defaults) ---
MAX_BYTES = getattr(settings, "IMAGE_MAX_UPLOAD_BYTES", 15 * 1024 * 1024)
# 50 megapixels: every current camera and phone, far below what could exhaust a worker.
MAX_PIXELS = getattr(settings, "IMAGE_MAX_PIXELS", 50_000_000)
# Pillow refuses to open anything above twice this everywhere in the process, and warns above it;
# our own check below refuses above it with a message before any pixel is decoded.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ALLOWED_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
ACCEPT = "image/jpeg,image/png,image/webp"

# --- Renditions ---
# 768 serves the common phone (360-390 CSS px) at device pixel ratio 2 without jumping to 1280.
RENDITION_WIDTHS = tuple(getattr(settings, "IMAGE_RENDITION_WIDTHS", (320, 640, 768, 1280)))
ADMIN_THUMBNAIL_WIDTH = 160  # shown at 80 CSS px in the admin lists, sharp on HiDPI screens
WEBP_QUALITY = getattr(settings, "IMAGE_WEBP_QUALITY", 70)
JPEG_QUALITY = getattr(settings, "IMAGE_JPEG_QUALITY", 78)
# The stored original has at most this many pixels on its long side: twice the largest
# rendition, so that sharper renditions can be made later; a camera's 6000 px are never sent.
# An image at least twice as large is reduced by a whole factor, to between half this and this
# (a 7000 px PNG to 2334 px): one decode and a ninth more memory, not two full-size copies.
MAX_STORED_SIDE = getattr(settings, "IMAGE_MAX_STORED_SIDE", 2560)
# Quality of the stored (sanitised) original: it is the master for every future rendition.
ORIGINAL_JPEG_QUALITY = 90


# --- Validation ---


def _refuse(message, code, **params):
    return ValidationError(message, code=code, params=params)


def check_image_file(file):
    """Refuse anything that is not a JPEG, PNG or WebP image within the limits.

    Reads the header and the structure only: the pixel count is known before any pixel is
    decoded, so a decompression bomb costs nothing. A file damaged in its pixel data is found
    by the one decode that sanitising makes (`clean_image`). Returns the Pillow format name
    ("JPEG", "PNG", "WEBP").
    """
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _refuse(
            _("The file is %(size)s; images may be at most %(limit)s."),
            "image_too_large",
            size=filesizeformat(size),
            limit=filesizeformat(MAX_BYTES),
        )
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        with _pillow_errors_refused(), Image.open(file, formats=list(ALLOWED_FORMATS)) as image:
            width, height = image.size
            image_format = image.format
            if width * height > MAX_PIXELS:
                raise _too_many_pixels(width, height)
            image.verify()  # structure and checksums (PNG) without decoding
    finally:
        if position is not None:
            file.seek(position)
    return image_format


@contextmanager
def _pillow_errors_refused():
    """Turn whatever Pillow raises on a file into the editor's message for it."""
    try:
        with warnings.catch_warnings():
            # Between the limit and twice the limit Pillow only warns: our check refuses.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            yield
    except Image.DecompressionBombError:
        raise _refuse(
            _(
                "The image has far too many pixels to be processed safely "
                "(at most %(limit)s megapixels)."
            ),
            "image_too_many_pixels",
            limit=MAX_PIXELS // 1_000_000,
        ) from None
    except UnidentifiedImageError:
        raise _refuse(
            _(
                "This file is not a JPEG, PNG or WebP image. Other formats (SVG, GIF, HEIC, "
                "PDF...) are not accepted: please save the image as JPEG or PNG first."
            ),
            "image_format",
        ) from None
    except ValidationError:
        raise
    except Exception:
        # Truncated or corrupted data: Pillow raises OSError, SyntaxError, struct.error...
        logger.info("Image refused as damaged", exc_info=True)
        raise _refuse(
            _("The image file is damaged or incomplete; please export it again."),
            "image_damaged",
        ) from None


def _too_many_pixels(width, height):
    return _refuse(
        _(
            "The image is %(width)s × %(height)s pixels (%(megapixels)s megapixels); "
            "images may have at most %(limit)s megapixels. Please make it smaller."
        ),
        "image_too_many_pixels",
        width=width,
        height=height,
        megapixels=round(width * height / 1_000_000, 1),
        limit=MAX_PIXELS // 1_000_000,
    )


def clean_image(file, name=None):
    """Check an upload and sanitise it: (name, ContentFile) of what is stored, or a
    ValidationError with the editor's message. Decodes the image once, whichever way it came
    in: the result is kept on the file, so the form's check, the model's validation and the save
    of one upload share the one decode."""
    cached = getattr(file, "_clean_image", None)
    if cached is not None:
        return cached
    check_image_file(file)
    position = file.tell() if hasattr(file, "tell") else None
    try:
        with _pillow_errors_refused():
            cleaned = sanitize(file, name)
    finally:
        if position is not None:
            file.seek(position)
    file._clean_image = cleaned
    cleaned[1]._clean_image = cleaned  # stored as it is, never sanitised twice
    return cleaned


def validate_image_upload(value):
    """Model-level validator (full_clean, the admin's form): checks and sanitises a new upload;
    a stored (already checked) file is left alone."""
    if not value or getattr(value, "_committed", True):
        return
    clean_image(value.file)


class ImageFormField(forms.ImageField):
    """The admin's upload field: refuses bad files with a precise, translated message."""

    default_validators = [FileExtensionValidator(ALLOWED_EXTENSIONS)]

    def to_python(self, data):
        if data in self.empty_values:
            return super().to_python(data)
        # The header only (cheap); the model's validation decodes it once, to sanitise it.
        if hasattr(data, "temporary_file_path"):
            with open(data.temporary_file_path(), "rb") as file:
                check_image_file(file)
        elif hasattr(data, "read"):
            check_image_file(data)
        return super().to_python(data)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = ACCEPT
        return attrs


class ImageFieldFile(models.fields.files.ImageFieldFile):
    """A stored image that only ever receives checked, sanitised pixels.

    Every way a file gets stored goes through `save`: a form, `instance.save()` after assigning
    a file in a script (FileField.pre_save calls it), and `instance.image.save(name, content)`.
    A bad file raises the form's ValidationError, under the field's name, before anything is
    stored or written.
    """

    def save(self, name, content, save=True):
        try:
            name, content = clean_image(content, name)
        except ValidationError as error:
            raise ValidationError({self.field.name: error.error_list}) from None
        super().save(name, content, save=save)


class ImageField(models.ImageField):
    """An ImageField whose uploads are validated and stripped of their metadata on save, and
    whose renditions are made in the background (`renditions_field` says when they exist)."""

    attr_class = ImageFieldFile

    def __init__(self, *args, renditions_field=None, **kwargs):
        self.renditions_field = renditions_field
        kwargs.setdefault(
            "help_text",
            format_lazy(
                _("JPEG, PNG or WebP, at most {size} and {megapixels} megapixels."),
                size=lazy(filesizeformat, str)(MAX_BYTES),
                megapixels=MAX_PIXELS // 1_000_000,
            ),
        )
        super().__init__(*args, **kwargs)
        self.validators.append(validate_image_upload)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        # The help text names the configured limits, the renditions field is read by Python
        # alone: neither is a schema change.
        kwargs.pop("help_text", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageFormField, **kwargs})

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        # Django reads the size when a file is assigned and when a row is loaded. A file missing
        # from the media folder (a restored database, a lost disk) leaves the size unknown
        # instead of breaking every page that lists the row; so does a file that is no image or
        # a decompression bomb, which validation and the save then refuse with a message.
        try:
            with warnings.catch_warnings():
                # The size of a file above the pixel limit is read (a header): validation refuses.
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                super().update_dimension_fields(instance, force, *args, **kwargs)
        except FileNotFoundError:
            logger.warning("Image file missing: %s", getattr(instance, self.attname).name)
        except (Image.DecompressionBombError, UnidentifiedImageError, OSError, ValueError):
            for size_field in (self.width_field, self.height_field):
                if size_field:
                    setattr(instance, size_field, None)


def renditions_ready(fieldfile):
    """Whether the renditions of an image field's file exist (no query: a column of its row)."""
    field = fieldfile.field
    if not getattr(field, "renditions_field", None):
        return True
    return bool(getattr(fieldfile.instance, field.renditions_field))


# --- Sanitising ---


def sanitize(file, name=None):
    """Return (name, ContentFile) of the image with its orientation applied and no metadata,
    at most MAX_STORED_SIDE pixels on its long side.

    Transparent images become PNG, opaque PNGs stay PNG (logos, coats of arms), everything else
    becomes JPEG: each rendition's format then follows from the stored file's extension.

    Memory: the image is decoded once, as small as Pillow can. A JPEG decodes straight at 1/2,
    1/4 or 1/8 of its size (draft). A PNG or WebP decodes whole (196 MB for 7000 × 7000 RGBA);
    one at least twice the cap is then box-reduced by the smallest whole factor that brings it
    within the cap (Pillow's reduce, in bands for transparent images: one pass, and a new image
    of a ninth of the decoded one for 7000 px), so it is stored between half the cap and the cap
    (7000 px: 2334 px), never below the largest rendition. Only then is it turned upright and
    resized with Lanczos (in bands, too, for transparent images); no step copies the full-size
    image.
    """
    file.seek(0)
    with Image.open(file, formats=list(ALLOWED_FORMATS)) as source:
        source_format = source.format
        icc_profile = source.info.get("icc_profile")
        if max(source.size) > MAX_STORED_SIDE:
            scale = MAX_STORED_SIDE / max(source.size)
            source.draft("RGB", (round(source.width * scale), round(source.height * scale)))
        source.load()
        if max(source.size) >= 2 * MAX_STORED_SIDE:
            image = _reduce(source, math.ceil(max(source.size) / MAX_STORED_SIDE))
        else:
            image = source
    # With a reduced copy, this was the last reference to the full-size pixels: freed before
    # anything else is allocated. (Closing the image would close the caller's file.)
    del source
    ImageOps.exif_transpose(image, in_place=True)  # upright, on the smaller image
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if image.mode not in ("L", "RGB", "RGBA") and not (
        image.mode == "P" and max(image.size) <= MAX_STORED_SIDE
    ):
        # 16-bit, CMYK, palette to be resized...: into a mode every encoder and resampler takes.
        if image.mode == "CMYK":
            icc_profile = None  # a CMYK profile does not describe RGB pixels
        if image.mode.startswith("I"):  # 16-bit greyscale: scale, do not clip, to 8 bits
            image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
        image = image.convert("RGBA" if has_alpha else "RGB")
    if max(image.size) > MAX_STORED_SIDE:
        scale = MAX_STORED_SIDE / max(image.size)
        image = _resize(
            image, (max(round(image.width * scale), 1), max(round(image.height * scale), 1))
        )
    if has_alpha or source_format == "PNG":
        output_format, extension = "PNG", "png"
        # zlib's fastest level: this file is the master of the renditions, and readers get it
        # only until they exist. For a 2334 px poster it takes 0.3 s in the editor's request
        # (the default level 0.5 s, `optimize` 1.2 s) for 431 KB instead of 306 KB.
        options = {"compress_level": 1}
    else:
        output_format, extension = "JPEG", "jpg"
        options = {"quality": ORIGINAL_JPEG_QUALITY, "optimize": True}
    if icc_profile:
        options["icc_profile"] = icc_profile
    # Drop EXIF (with its GPS position), XMP and text chunks that a writer might copy from info.
    image.info = {key: image.info[key] for key in ("transparency",) if key in image.info}
    buffer = io.BytesIO()
    # Only the pixels (and the colour profile) are written: no exif=, no xmp=, no comment.
    image.save(buffer, format=output_format, **options)
    stem = os.path.splitext(os.path.basename(name or file.name or ""))[0] or "image"
    name = f"{stem}.{extension}"
    # Named, so that Django reads the new (possibly rotated or reduced) size from it.
    return name, ContentFile(buffer.getvalue(), name=name)


# Pillow reduces and resizes an image with transparency premultiplied, converting the whole image
# first: another 196 MB for 7000 × 7000 RGBA, 100 MB for 5000 × 5000. These two do it a band of
# rows at a time, each band's result pasted into the new image; the same pixels, less memory.


def _resize(image, size):
    """Image.resize with Lanczos, without the full-size copy (see above).

    Each band of output rows is resized from the source rows it covers plus the filter's reach
    on either side (Lanczos reads 3 source pixels per output pixel around its centre, scaled),
    with `box` placing it exactly: so the bands join seamlessly, as one resize would.
    """
    if image.mode not in ("LA", "RGBA"):
        return image.resize(size, Image.Resampling.LANCZOS)
    width, height = size
    scale = image.height / height
    reach = math.ceil(3 * max(scale, 1)) + 1
    resized = Image.new(image.mode, size)
    rows = 64
    for top in range(0, height, rows):
        bottom = min(top + rows, height)
        first, last = top * scale, bottom * scale
        crop_top = max(math.floor(first) - reach, 0)
        crop_bottom = min(math.ceil(last) + reach, image.height)
        band = image.crop((0, crop_top, image.width, crop_bottom))
        box = (0, first - crop_top, image.width, last - crop_top)
        resized.paste(
            band.resize((width, bottom - top), Image.Resampling.LANCZOS, box=box), (0, top)
        )
    resized.info = image.info.copy()
    return resized


def _reduce(image, factor):
    """Image.reduce, without the full-size copy (see above). The EXIF (its orientation) is
    carried over, as reduce does."""
    if image.mode not in ("LA", "RGBA"):
        return image.reduce(factor)
    width, height = image.size
    reduced = Image.new(image.mode, (math.ceil(width / factor), math.ceil(height / factor)))
    rows = factor * 32  # a band and its premultiplied copy: 5 MB for 7000 px
    for top in range(0, height, rows):
        band = image.crop((0, top, width, min(top + rows, height)))
        reduced.paste(band.reduce(factor), (0, top // factor))
    reduced.info = image.info.copy()
    return reduced


# --- Renditions ---


def rendition_widths(source_width):
    """The widths made of a source: the configured ones below its width, then its own width
    (capped at the largest configured one). An image is never enlarged."""
    if not source_width:
        return list(RENDITION_WIDTHS)
    widths = [width for width in RENDITION_WIDTHS if width < source_width]
    largest = min(source_width, RENDITION_WIDTHS[-1])
    if largest not in widths:
        widths.append(largest)
    return widths


def _fallback_extension(name):
    return "png" if name.lower().endswith(".png") else "jpg"


def _options(width, extension):
    quality = WEBP_QUALITY if extension == "webp" else JPEG_QUALITY
    return {"size": (width, 0), "quality": quality}


def _thumbnailer(fieldfile_or_name, extension):
    thumbnailer = get_thumbnailer(fieldfile_or_name)
    # Force the rendition's format: its name (and so its URL) does not depend on its pixels.
    thumbnailer.thumbnail_extension = extension
    thumbnailer.thumbnail_transparency_extension = extension
    thumbnailer.thumbnail_preserve_extensions = False
    return thumbnailer


def _rendition_specs(name, source_width):
    """(width, extension) of every rendition of a stored image: the srcset widths in WebP and
    in the fallback format, and the admin thumbnail in the fallback format."""
    widths = rendition_widths(source_width)
    fallback = _fallback_extension(name)
    specs = [(width, "webp") for width in widths] + [(width, fallback) for width in widths]
    thumbnail = (_admin_thumbnail_width(source_width), fallback)
    if thumbnail not in specs:
        specs.append(thumbnail)
    return specs


def _admin_thumbnail_width(source_width):
    return min(ADMIN_THUMBNAIL_WIDTH, source_width or ADMIN_THUMBNAIL_WIDTH)


def rendition_name(fieldfile_or_name, width, extension):
    """The storage name of one rendition: computed, never looked up."""
    thumbnailer = _thumbnailer(fieldfile_or_name, extension)
    return thumbnailer.get_thumbnail_name(_options(width, extension))


def renditions(fieldfile, source_width, source_height, ready=None):
    """What a template needs to show an image: both srcsets, a src and the intrinsic size.

    No query, no storage access: names are derived from the source name and the widths.
    `ready` (default: as the row says) gives the renditions' names even before they exist.
    """
    if not fieldfile:
        return None
    storage = fieldfile.storage
    widths = rendition_widths(source_width)
    fallback = _fallback_extension(fieldfile.name)
    display_width = widths[-1]
    display_height = (
        round(source_height * display_width / source_width)
        if source_width and source_height
        else None
    )
    if not (renditions_ready(fieldfile) if ready is None else ready):
        # Made in the background: until then the stored image itself, which is already
        # upright, free of metadata and at most MAX_STORED_SIDE wide (sanitize).
        return {
            "webp_srcset": "",
            "srcset": "",
            "src": fieldfile.url,
            "type": "image/png" if fallback == "png" else "image/jpeg",
            "width": display_width,
            "height": display_height,
            "pending": True,
        }

    def srcset(extension):
        return ", ".join(
            f"{storage.url(rendition_name(fieldfile, width, extension))} {width}w"
            for width in widths
        )

    middle = widths[min(1, len(widths) - 1)]
    return {
        "webp_srcset": srcset("webp"),
        "srcset": srcset(fallback),
        "src": storage.url(rendition_name(fieldfile, middle, fallback)),
        "type": "image/png" if fallback == "png" else "image/jpeg",
        "width": display_width,
        "height": display_height,
        "pending": False,
    }


def admin_thumbnail(fieldfile, source_width, source_height, css_width=80, ready=None):
    """URL and displayed size of the small admin thumbnail (no query, no storage access)."""
    if not fieldfile:
        return None
    height = (
        round(source_height * css_width / source_width) if source_width and source_height else None
    )
    if not (renditions_ready(fieldfile) if ready is None else ready):
        return {"url": fieldfile.url, "width": css_width, "height": height, "pending": True}
    name = rendition_name(
        fieldfile, _admin_thumbnail_width(source_width), _fallback_extension(fieldfile.name)
    )
    return {"url": fieldfile.storage.url(name), "width": css_width, "height": height}


def make_renditions(fieldfile, source_width=None, missing_only=False):
    """Write every rendition of a stored image (replacing any older one of the same name), or
    with `missing_only` those the storage does not have."""
    if source_width is None:
        source_width = fieldfile.width
    made = []
    for width, extension in _rendition_specs(fieldfile.name, source_width):
        if missing_only and fieldfile.storage.exists(rendition_name(fieldfile, width, extension)):
            continue
        thumbnailer = _thumbnailer(fieldfile, extension)
        options = thumbnailer.get_options(_options(width, extension))
        thumbnail = thumbnailer.generate_thumbnail(options)
        thumbnailer.save_thumbnail(thumbnail)
        made.append(thumbnail.name)
    return made


def delete_image_files(name, storage, source_width=None):
    """Remove a stored image and every rendition of it: those easy-thumbnails recorded and
    those whose names follow from the image's name (in case a record was lost)."""
    if not name:
        return
    from easy_thumbnails.models import Source

    for source in Source.objects.filter(name=name).prefetch_related("thumbnails"):
        for thumbnail in source.thumbnails.all():
            storage.delete(thumbnail.name)
        source.delete()  # and its thumbnail records
    thumbnailer = get_thumbnailer(storage, name)
    for width, extension in _rendition_specs(name, source_width):
        rendition = rendition_name(thumbnailer, width, extension)
        if storage.exists(rendition):
            storage.delete(rendition)
    if storage.exists(name):
        storage.delete(name)


# --- Keeping files and renditions in step with the database and its history ---

# (model, image field, width field): filled by `track_images`.
TRACKED = []


def track_images(model, *fields):
    """Make renditions after each committed save and remove replaced or deleted files that
    nothing names any more."""
    from reversion.models import Version

    TRACKED.extend((model, field) for field in fields)
    uid = f"images-{model._meta.label}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre")
    post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-post")
    post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}-delete")
    post_delete.connect(_after_version_delete, sender=Version, dispatch_uid="images-versions")


def _image_fields(model):
    return [field for tracked_model, field in TRACKED if tracked_model is model]


def _width(instance, field_name):
    field = instance._meta.get_field(field_name)
    return getattr(instance, field.width_field) if field.width_field else None


def _before_save(sender, instance, raw=False, **kwargs):
    fields = _image_fields(sender)
    # Refused here, before the save opens its transaction (a refusal inside would spoil the
    # caller's): the upload is checked and sanitised now, and stored as sanitised by the save.
    if raw:
        _check_stored_files(sender, instance)
    else:
        _clean_uploads(sender, instance)
    old = {}
    # A raw save (a restored version, loaddata) comes with its primary key but `adding` set.
    if instance.pk is not None and (raw or not instance._state.adding):
        columns = [
            column
            for name in fields
            for column in (
                name,
                instance._meta.get_field(name).width_field,
                instance._meta.get_field(name).renditions_field,
            )
            if column
        ]
        old = sender._base_manager.filter(pk=instance.pk).values(*columns).first() or {}
    instance._images_before_save = old
    for name in fields:
        renditions_field = instance._meta.get_field(name).renditions_field
        if not renditions_field:
            continue
        fieldfile = getattr(instance, name)
        if raw or not fieldfile._committed or fieldfile.name != old.get(name):
            # A new image (or a restored one, whose renditions may be gone): pages show the
            # stored image until the task has made them.
            setattr(instance, renditions_field, False)
        else:
            # The same image: the flag as the task last wrote it, not as this row was loaded.
            setattr(instance, renditions_field, old.get(renditions_field, False))


def _after_save(sender, instance, raw=False, **kwargs):
    old = getattr(instance, "_images_before_save", {})
    for field_name in _image_fields(sender):
        fieldfile = getattr(instance, field_name)
        old_name = old.get(field_name)
        if old_name and old_name != fieldfile.name:
            width_field = instance._meta.get_field(field_name).width_field
            _delete_on_commit(fieldfile.storage, old_name, old.get(width_field))
        if raw and fieldfile:
            # A restored version or a loaded backup: its file is stored, its renditions may not
            # be (the rendition widths changed since, or they were never copied).
            _queue_renditions(instance, field_name, missing_only=True)
        elif fieldfile and fieldfile.name != old_name:
            _queue_renditions(instance, field_name, missing_only=False)
    instance._images_before_save = {}


def _queue_renditions(instance, field_name, missing_only):
    label, pk, name = instance._meta.label, instance.pk, getattr(instance, field_name).name
    # Once committed: the worker must find the row and the file as this save left them.
    transaction.on_commit(
        lambda: make_image_renditions.enqueue(label, pk, field_name, name, missing_only)
    )


@task()
def make_image_renditions(model_label, pk, field_name, name, missing_only=False):
    """The background half of an upload: every rendition of the image `name` that row `pk`
    names, then its renditions flag, which switches its pages from the stored image to the
    renditions. A row whose image was replaced or removed since is left alone (that change
    queued its own task)."""
    from .models import ContentChange

    model = apps.get_model(model_label)
    renditions_field = model._meta.get_field(field_name).renditions_field
    row = model._base_manager.filter(pk=pk, **{field_name: name}).first()
    if row is None:
        return
    fieldfile = getattr(row, field_name)
    if not fieldfile.storage.exists(name):
        # A backup loaded before its media folder was copied back: `make_renditions` later.
        logger.warning("Image file missing, no renditions made: %s", name)
        return
    try:
        make_renditions(fieldfile, _width(row, field_name), missing_only=missing_only)
    except Exception:
        # The row stays pending and shows its stored image; `make_renditions` repairs it.
        logger.exception("Could not make the renditions of %s", name)
        raise
    if renditions_field:
        ready = model._base_manager.filter(pk=pk, **{field_name: name}).update(
            **{renditions_field: True}
        )
        if ready:
            # An update sends no signal (nor writes a version): the cached public pages must
            # still learn that they now show renditions.
            ContentChange.touch()


def _after_delete(sender, instance, **kwargs):
    for field_name in _image_fields(sender):
        fieldfile = getattr(instance, field_name)
        if fieldfile:
            _delete_on_commit(fieldfile.storage, fieldfile.name, _width(instance, field_name))


def _after_version_delete(sender, instance, **kwargs):
    # Old versions pruned (`deleterevisions`): the files only they named can go. Many versions
    # name the same file: after the first has removed it, the others cost one look at storage.
    for model, field_name, name, width in _files_of_version(instance):
        storage = model._meta.get_field(field_name).storage
        _delete_on_commit(storage, name, width, only_if_stored=True)


def _delete_on_commit(storage, name, width, only_if_stored=False):
    def delete():
        if only_if_stored and not storage.exists(name):
            return
        if is_named(name):
            return
        delete_image_files(name, storage, width)

    transaction.on_commit(delete)


def is_named(name):
    """Whether a row or a version still names the stored file `name` in any tracked field.

    The versions are searched by the database (a LIKE on their serialised data, which holds the
    name as a JSON string), not read into Python: a few queries, however long the history.
    """
    from reversion.models import Version

    by_model = {}
    for model, field_name in TRACKED:
        by_model.setdefault(model, models.Q())
        by_model[model] |= models.Q(**{field_name: name})
    if any(model._base_manager.filter(q).exists() for model, q in by_model.items()):
        return True
    content_types = ContentType.objects.get_for_models(*by_model).values()
    quoted = {json.dumps(name, ensure_ascii=False), json.dumps(name)}
    named = models.Q()
    for text in quoted:
        named |= models.Q(serialized_data__contains=text)
    return Version.objects.filter(named, content_type__in=content_types).exists()


def _files_of_version(version):
    """(model, field, name, width) of every image file a version names.

    Reads the serialised data itself (JSON, reversion's default format): a version of a model
    whose fields changed since still gives its file names, and no model instance is built.
    """
    model = ContentType.objects.get_for_id(version.content_type_id).model_class()
    fields = _image_fields(model) if model else []
    if not fields or version.format != "json":
        return []
    try:
        values = json.loads(version.serialized_data)[0]["fields"]
    except (ValueError, LookupError, TypeError):
        return []
    files = []
    for field_name in fields:
        if name := values.get(field_name):
            width_field = model._meta.get_field(field_name).width_field
            files.append((model, field_name, name, values.get(width_field)))
    return files


# --- Restoring a version whose image is gone ---

_restoring = ContextVar("restoring_images", default=False)


@contextmanager
def restoring():
    """Within: a raw save (django-reversion's revert) whose image is no longer stored (a version
    older than the rule that keeps the files versions name, a lost disk), or whose stored file
    fails the upload's checks, saves the row without it. Not around `loaddata`: a backup is
    loaded before its media folder may be copied back."""
    token = _restoring.set(True)
    try:
        yield
    finally:
        _restoring.reset(token)


def _clean_uploads(model, instance):
    for field_name in _image_fields(model):
        fieldfile = getattr(instance, field_name)
        if fieldfile and not fieldfile._committed:
            try:
                clean_image(fieldfile.file, fieldfile.name)
            except ValidationError as error:
                raise ValidationError({field_name: error.error_list}) from None


def _check_stored_files(model, instance):
    """A raw save (a restored version, loaddata) names stored files: each gets the upload's
    checks, so that a file that is no image or a decompression bomb is refused with the form's
    message, never a Pillow error. A missing file passes (a backup is loaded before its media
    folder may be copied back). Within `restoring()` both a missing and a refused file are left
    out instead, and the row is restored without its image."""
    for field_name in _image_fields(model):
        fieldfile = getattr(instance, field_name)
        if not fieldfile:
            continue
        try:
            with fieldfile.storage.open(fieldfile.name) as file:
                check_image_file(file)
        except FileNotFoundError:
            if _restoring.get():
                logger.warning("Restored without its missing image: %s", fieldfile.name)
                _leave_out(instance, field_name)
        except ValidationError as error:
            if not _restoring.get():
                raise ValidationError({field_name: error.error_list}) from None
            logger.warning("Restored without its refused image: %s", fieldfile.name)
            _leave_out(instance, field_name)


def _leave_out(instance, field_name):
    field = instance._meta.get_field(field_name)
    setattr(instance, field_name, None)
    for size_field in (field.width_field, field.height_field):
        if size_field:
            setattr(instance, size_field, None)


def files_named_by_versions():
    """The names of every image file some version names (for a backup's list of media)."""
    from reversion.models import Version

    content_types = ContentType.objects.get_for_models(*{model for model, _f in TRACKED})
    versions = Version.objects.filter(content_type__in=content_types.values()).only(
        "content_type_id", "format", "serialized_data"
    )
    return {
        name for version in versions.iterator() for _m, _f, name, _w in _files_of_version(version)
    }


def missing_files(versions):
    """The names of the image files these versions name that the storage no longer has."""
    missing = []
    for version in versions:
        for model, field_name, name, _width in _files_of_version(version):
            if not model._meta.get_field(field_name).storage.exists(name):
                missing.append(name)
    return missing


# --- Alt text and credit ---


def missing_alt_languages(instance, alt_field):
    """The languages in which an image's alt text is missing and no fallback provides one."""
    from modeltranslation.utils import build_localized_fieldname, resolution_order

    def has_alt(code):
        return bool(
            (getattr(instance, build_localized_fieldname(alt_field, code), "") or "").strip()
        )

    missing = []
    for code, _name in settings.LANGUAGES:
        order = resolution_order(code)
        if not any(has_alt(language) for language in order):
            for language in order[-1:] or [code]:
                if language not in missing:
                    missing.append(language)
    return missing


def require_image_texts(instance, image_field, alt_field, credit_field):
    """Model.clean helper: an image needs its alt text and its credit line."""
    from django.utils.translation import get_language_info
    from modeltranslation.utils import build_localized_fieldname

    if not getattr(instance, image_field):
        return
    errors = {}
    for code in missing_alt_languages(instance, alt_field):
        errors[build_localized_fieldname(alt_field, code)] = _refuse(
            _(
                "Describe what the image shows in %(language)s: readers who cannot see it, "
                "and every language without its own description, rely on this text."
            ),
            "image_alt_missing",
            language=get_language_info(code)["name_translated"],
        )
    if not (getattr(instance, credit_field) or "").strip():
        errors[credit_field] = _refuse(
            _("Name the author of the image (German copyright law requires it)."),
            "image_credit_missing",
        )
    if errors:
        raise ValidationError(errors)


# --- Admin previews ---


PENDING = _("Renditions pending")
PENDING_EXPLAINED = _(
    "The renditions are being made in the background; until then readers are sent the stored "
    "image itself (upright, without metadata). Reload this page in a moment."
)


def admin_thumbnail_html(fieldfile, source_width, source_height):
    """A small thumbnail for admin lists (no query, no storage access)."""
    from django.utils.html import format_html

    thumbnail = admin_thumbnail(fieldfile, source_width, source_height)
    if not thumbnail:
        return "–"
    image = format_html(
        '<img src="{}" width="{}"{} alt="" class="image-thumbnail">',
        thumbnail["url"],
        thumbnail["width"],
        format_html(' height="{}"', thumbnail["height"]) if thumbnail["height"] else "",
    )
    if thumbnail.get("pending"):
        return format_html('{}<br><span class="image-pending">{}</span>', image, PENDING)
    return image


def admin_preview_html(fieldfile, source_width, source_height):
    """The current image and the list of its renditions, for the change form."""
    from django.utils.html import format_html, format_html_join

    if not fieldfile:
        return _("No image yet.")
    if not getattr(fieldfile, "_committed", True):
        # The form came back with an error: the file chosen below is not stored (yet).
        return _("Not saved yet: the image chosen below is saved when the form is saved.")
    data = renditions(fieldfile, source_width, source_height)
    storage = fieldfile.storage
    fallback = _fallback_extension(fieldfile.name)
    if data["pending"]:
        links = format_html(
            '<strong class="image-pending">{}</strong> {}', PENDING, PENDING_EXPLAINED
        )
    else:
        links = format_html_join(
            ", ",
            '<a href="{}">{} px {}</a>',
            (
                (
                    storage.url(rendition_name(fieldfile, width, extension)),
                    width,
                    extension.upper(),
                )
                for extension in ("webp", fallback)
                for width in rendition_widths(source_width)
            ),
        )
    return format_html(
        '<img src="{}" width="{}"{} alt="" class="image-preview"><p>{} {} × {} px</p><p>{} {}</p>',
        data["src"],
        320,
        format_html(' height="{}"', round(source_height * 320 / source_width))
        if source_width and source_height
        else "",
        _("Stored image:"),
        source_width or "?",
        source_height or "?",
        _("Renditions sent to readers:"),
        links,
    )
