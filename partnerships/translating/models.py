"""What the German source was when each translation text was saved."""

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
        verbose_name_plural = _("translation stamps")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language", "target_sha256"],
                name="one_stamp_per_translation_text",
            )
        ]

    def __str__(self):
        return f"{self.content_type_id}/{self.object_id}/{self.field}/{self.language}"
