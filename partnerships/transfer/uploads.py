"""The uploaded file between the admin's preview and the editor's confirm or cancel.

It is kept in the database (PendingUpload) under a random token that only its uploader can use:
the confirm form sends that token and nothing else, so no form value can name another file, and
no file of the upload ever lies in a folder. It is deleted on confirm, on cancel, and once it is
older than IMPORT_UPLOAD_TIMEOUT seconds (expired uploads are never read, and are purged on the
next upload or by `manage.py purge_import_uploads`).
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.utils import timezone

from .models import PendingUpload


def oldest_kept():
    return timezone.now() - datetime.timedelta(seconds=settings.IMPORT_UPLOAD_TIMEOUT)


def purge_expired():
    return PendingUpload.objects.filter(created__lt=oldest_kept()).delete()[0]


def keep(user, file_name, data, preview_digest):
    """Keep an upload whose preview the editor is about to see; return it (with its token)."""
    purge_expired()
    return PendingUpload.objects.create(
        token=secrets.token_urlsafe(32),
        user=user,
        file_name=file_name[:255],
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        preview_digest=preview_digest,
    )


def keep_for_mapping(user, file_name, data):
    """Keep an upload whose columns the editor is about to map. It has no preview yet, so no
    digest: a confirm sent for it (by hand) matches no preview and imports nothing."""
    return keep(user, file_name, data, preview_digest="")


def mapped(user, token, mapping, preview_digest):
    """The editor mapped the upload's columns and saw this preview of it ("" if it had errors):
    confirm imports it with this mapping, and only as this preview showed it."""
    PendingUpload.objects.filter(token=token, user=user).update(
        mapping=mapping, preview_digest=preview_digest
    )


def waiting(user, token):
    """The user's own upload with this token, if it is still waiting; else None."""
    if not isinstance(token, str) or not token:
        return None
    return PendingUpload.objects.filter(token=token, user=user, created__gte=oldest_kept()).first()


def claim(user, token):
    """Take the upload for its import: only one request can (a second confirm gets None).

    Call inside a transaction: the row is deleted at once, so that a concurrent confirm waits
    for this one and then finds nothing; if the import is rolled back, the upload is back too.
    """
    upload = waiting(user, token)
    if upload is None:
        return None
    deleted, _by_model = PendingUpload.objects.filter(pk=upload.pk).delete()
    return upload if deleted else None


def previewed_again(user, token, preview_digest):
    """The editor saw a new preview of the upload: confirm now writes what that one showed."""
    PendingUpload.objects.filter(token=token, user=user).update(preview_digest=preview_digest)


def cancel(user, token):
    return PendingUpload.objects.filter(token=token, user=user).delete()[0] if token else 0
