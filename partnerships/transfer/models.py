"""What an import leaves: its change set; each run of an uploaded file through the admin; and
the column mappings remembered for files in an office's own headers."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ChangeSet(models.Model):
    """One confirmed import: who, when, which file, what it counted, and (in `changes`) each
    object's values before and after. Undoing it puts those values back."""

    created = models.DateTimeField(_("imported"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    # Kept as text too: a command has no user, and a user may be deleted later.
    user_name = models.CharField(_("imported by"), max_length=150, blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"))
    file_sha256 = models.CharField(_("SHA-256 checksum of the file"), max_length=64)
    counts = models.JSONField(_("counts"), default=dict)
    revision = models.OneToOneField(
        "reversion.Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version in History"),
    )
    # When the import's last write was done: a created object changed after it was edited since.
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    undone = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.CharField(_("undone by"), max_length=150, blank=True)
    # What undo left as it was because a later edit changed it (see changes.undo).
    kept_on_undo = models.JSONField(_("kept on undo"), default=list, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        permissions = [("undo_changeset", _("Can undo an import"))]

    def __str__(self):
        return _("Import #%(number)s of %(file)s") % {"number": self.pk, "file": self.file_name}


class ObjectChange(models.Model):
    """One object an import created or updated, with each field's value before and after.

    `fields` maps a field to [before, after] in JSON (numbers as text, countries as codes); for a
    created object, before is null. An object touched in two chunks of one file has two rows;
    `changes.merged_changes` folds them.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")

    change_set = models.ForeignKey(ChangeSet, on_delete=models.CASCADE, related_name="changes")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=10, choices=Action)
    label = models.CharField(max_length=300)
    line = models.PositiveIntegerField(null=True)
    fields = models.JSONField(encoder=DjangoJSONEncoder, default=dict)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.label

    def shown_fields(self):
        """(column, before, after) as the change set's page shows them."""
        from .columns import COLUMN_OF
        from .rows import shown

        target = self.content_type.model
        return [
            (COLUMN_OF.get((target, attribute), attribute), shown(before), shown(after))
            for attribute, (before, after) in self.fields.items()
        ]


class ImportRun(models.Model):
    """One file uploaded in the admin, from upload to its end: checked and previewed in the
    background, confirmed by its uploader, written in the background, or refused, cancelled,
    expired or stopped. The list of runs shows what became of each (`runs.py`).

    The file is kept in the database, not in a folder: only the uploader can name it (by an
    unguessable token, never a file name), every app server and task worker sees it, and it is
    never under MEDIA_ROOT. Its bytes are dropped once the run has ended.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting to be checked")
        CHECKING = "checking", _("being checked")
        MAPPING = "mapping", _("waiting for its columns to be chosen")
        PREVIEW = "preview", _("checked, waiting for confirmation")
        REFUSED = "refused", _("refused: the file has errors")
        CONFIRMED = "confirmed", _("confirmed, waiting to be written")
        WRITING = "writing", _("being written")
        DONE = "done", _("imported")
        UNCHANGED = "unchanged", _("changed nothing")
        FAILED = "failed", _("stopped before the end, nothing written")
        CANCELLED = "cancelled", _("cancelled")
        EXPIRED = "expired", _("not confirmed in time")

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    user_name = models.CharField(_("uploaded by"), max_length=150, blank=True)
    # The uploader's admin language: the worker checks the file and words its messages in it.
    language = models.CharField(max_length=15)
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)
    updated = models.DateTimeField(_("last step"), auto_now=True)
    file_name = models.CharField(_("file"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"))
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField(default=b"")
    # {file's header: column code, or None to ignore the column}: what the editor mapped
    # (mapping.py), and whether it is the one saved for these headers, taken without asking.
    mapping = models.JSONField(null=True, blank=True)
    mapping_recalled = models.BooleanField(default=False)
    # The file's headers and first values, while the editor maps its columns.
    columns = models.JSONField(null=True, blank=True)
    state = models.CharField(
        pgettext_lazy("import run", "state"), max_length=10, choices=State, default=State.QUEUED
    )
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    # The check's report as the preview shows it (rows.ImportReport.as_preview), and the digest
    # of every change it planned: confirm writes only what the editor saw.
    preview = models.JSONField(null=True, blank=True)
    preview_digest = models.CharField(max_length=64, blank=True)
    message = models.TextField(_("message"), blank=True)
    change_set = models.OneToOneField(
        ChangeSet,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="run",
        verbose_name=_("import"),
    )

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        indexes = [models.Index(fields=["state", "updated"])]

    def __str__(self):
        return _("%(file)s, uploaded %(when)s") % {
            "file": self.file_name,
            "when": formats.date_format(timezone.localtime(self.created), "SHORT_DATETIME_FORMAT"),
        }

    ACTIVE = {State.QUEUED, State.CHECKING, State.CONFIRMED, State.WRITING}
    ENDED = {
        State.REFUSED,
        State.DONE,
        State.UNCHANGED,
        State.FAILED,
        State.CANCELLED,
        State.EXPIRED,
    }

    @property
    def active(self):
        return self.state in self.ACTIVE


class SavedMapping(models.Model):
    """How a file's own headers were read as columns, for the next file with the same headers.

    `signature` is the fingerprint of the file's header set (`mapping.signature`); the admin
    remembers one unnamed mapping per signature, the command saves and uses one by `name`.
    """

    signature = models.CharField(_("header signature"), max_length=64, db_index=True)
    headers = models.JSONField(_("headers of the file"), default=list)
    # {file's header: column code or None to ignore}: what `import_table(mapping=…)` takes.
    mapping = models.JSONField(_("mapping"), default=dict)
    # Null, not empty, when unnamed: a unique column holds any number of nulls.
    name = models.CharField(_("name"), max_length=100, unique=True, null=True, blank=True)
    user_name = models.CharField(_("saved by"), max_length=150, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        ordering = ["-updated", "-pk"]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["signature"],
                condition=models.Q(name__isnull=True),
                name="one_unnamed_mapping_per_signature",
            )
        ]

    def __str__(self):
        return self.name or ", ".join(self.headers)
