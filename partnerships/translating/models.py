"""What the German source was when each translation text was saved."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TranslationStamp(models.Model):
    """One translation text of one object's field, and the German text it translates.

    Keyed by the translation's own fingerprint, not only by object, field and language: a text
    put back by undo or by a restore from History finds the stamp it had, so it is outdated
    again exactly when it was outdated before (and current when it was current). A translation
    is outdated when the stamp of its current text names another German text than the current
    one (`status.py`); a text without a stamp (none is left without one by the paths that write
    content) counts as current.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(_("field"), max_length=100)
    language = models.CharField(_("language"), max_length=15)
    # SHA-256 (hex) of the translation text, and of the German text when it was saved.
    target_sha256 = models.CharField(max_length=64)
    source_sha256 = models.CharField(max_length=64)
    saved = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("translation stamp")
        # The admin lists the stamps as nothing but the status they make (admin.py).
        verbose_name_plural = _("translation status")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language", "target_sha256"],
                name="one_stamp_per_translation_text",
            )
        ]

    def __str__(self):
        return f"{self.content_type_id}/{self.object_id}/{self.field}/{self.language}"


class TranslationUpload(models.Model):
    """An XLIFF file between its preview and its confirmation in the admin.

    Kept in the database, as the transfer app keeps an uploaded file (its ImportRun): only its
    uploader can name it, by an unguessable token; confirming checks the file again, and writes
    only if it would change exactly what the preview showed. Dropped once written, and after a
    day (at the next upload)."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    language = models.CharField(_("language"), max_length=15)
    file_name = models.CharField(_("file"), max_length=255)
    data = models.BinaryField()
    preview_digest = models.CharField(max_length=64)
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("uploaded translation file")
        verbose_name_plural = _("uploaded translation files")

    def __str__(self):
        return self.file_name
