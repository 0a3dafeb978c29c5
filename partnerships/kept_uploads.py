"""A chosen image survives a validation error elsewhere on the form.

A browser never sends a file again: when a form comes back with an error (a missing credit, a
bad date in a relationship), the image the editor chose would be gone, and nothing would say
so. Instead the admin keeps every upload that passed its own checks until the form is saved:

- The file is stored under a random name in PENDING_UPLOADS_ROOT, outside the public media
  folder (never served), for at most PENDING_UPLOADS_MAX_AGE; older files are removed whenever
  another one is kept.
- The form carries a signed token naming the file and the editor it belongs to; a token that
  is forged, expired or another editor's is ignored.
- The upload box says which image is kept and that it is saved with the form; the editor can
  choose another file or drop the kept one. A successful save removes the kept copy.
"""

import os
import re
import secrets
import time

from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget
from django.core import signing
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

SALT = "partnerships.kept-upload"
KEY_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")


def max_age():
    return getattr(settings, "PENDING_UPLOADS_MAX_AGE", 24 * 60 * 60)


def storage():
    return FileSystemStorage(location=settings.PENDING_UPLOADS_ROOT)


def keep(upload, owner):
    """Store a validated upload for the user `owner` (a pk) and return its token."""
    remove_expired()
    key = secrets.token_urlsafe(24)  # 32 characters
    upload.seek(0)
    storage().save(key, upload)
    upload.seek(0)
    return signing.dumps(
        {"key": key, "name": upload.name, "type": upload.content_type, "owner": owner}, salt=SALT
    )


def _payload(token, owner):
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.BadSignature:
        return None
    if payload.get("owner") != owner or not KEY_RE.match(str(payload.get("key", ""))):
        return None
    return payload


def kept_upload(token, owner):
    """The upload kept under `token` for `owner`, as an UploadedFile, or None."""
    payload = _payload(token, owner)
    if payload is None or not storage().exists(payload["key"]):
        return None
    files = storage()
    upload = UploadedFile(
        file=files.open(payload["key"], "rb"),
        name=payload["name"],
        content_type=payload["type"],
        size=files.size(payload["key"]),
    )
    upload.kept_token = token
    return upload


def discard(token, owner):
    payload = _payload(token, owner)
    if payload is not None:
        storage().delete(payload["key"])


def remove_expired():
    files = storage()
    if not os.path.isdir(files.location):
        return
    oldest = time.time() - max_age()
    for name in os.listdir(files.location):
        path = os.path.join(files.location, name)
        if KEY_RE.match(name) and os.path.getmtime(path) < oldest:
            os.remove(path)


class KeptImageInput(AdminFileWidget):
    """The admin's upload box, which re-offers an image kept from an earlier attempt."""

    owner = None  # the editor's pk, set by the admin for each request
    kept = None  # (token, file name) of the upload kept for this rendering, set by the admin

    def token_name(self, name):
        return f"{name}-kept"

    def discard_name(self, name):
        return f"{name}-kept-discard"

    def value_from_datadict(self, data, files, name):
        upload = super().value_from_datadict(data, files, name)
        token = data.get(self.token_name(name))
        if not token or self.owner is None:
            return upload
        if upload is not None:  # a new file replaces the kept one, or the clear box is ticked
            if upload:
                discard(token, self.owner)
            return upload
        if data.get(self.discard_name(name)):
            discard(token, self.owner)
            return None
        return kept_upload(token, self.owner)

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.kept:
            return html
        token, file_name = self.kept
        return html + format_html(
            '<input type="hidden" name="{}" value="{}">'
            '<p class="help kept-upload"><strong>{}</strong> {}</p>'
            '<label><input type="checkbox" name="{}"> {}</label>',
            self.token_name(name),
            token,
            _("The image “%(name)s” you chose is kept:") % {"name": file_name},
            _(
                "it is saved when the form is saved without errors. Choose another file to "
                "replace it."
            ),
            self.discard_name(name),
            _("Do not keep this image"),
        )
