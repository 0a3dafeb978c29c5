"""What a backup holds, shared by the backup_content and restore_content commands (docs/backup.md).

A backup is a folder with three files:

    content.json   every row of the content (all languages), its version history, the editors'
                   accounts and groups: `dumpdata` with natural keys, so that it loads into any
                   freshly migrated database
    media.txt      the uploaded files the content and its versions refer to: path, size and
                   SHA-256, one a line
    manifest.json  format, creation time, the migrations the dump was written with, counts
"""

import hashlib

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.db.migrations.recorder import MigrationRecorder

from . import images

FORMAT = 1
CONTENT_FILE = "content.json"
MEDIA_FILE = "media.txt"
MANIFEST_FILE = "manifest.json"

# The content, its history (versions, and the imports with what they changed, so that they can
# still be undone) and who may edit it. Not dumped: content types and permissions (migrate
# creates them; the dump names them by natural key), sessions, the admin log, django-axes' login
# attempts (transient security data) and uploads waiting for their preview to be confirmed.
DUMPED = [
    "partnerships",
    "exchanges",
    "reversion",
    "auth.group",
    "auth.user",
    "transfer.changeset",
    "transfer.objectchange",
]
# Of those apps' models, the ones derived from the rest, which the site works out again: the
# published content's figures (partnerships/figures.py), stored per content version.
DERIVED = ["partnerships.publishedfigures"]
MIGRATED_APPS = ["partnerships", "exchanges", "reversion", "auth", "contenttypes", "transfer"]


def dumped_models():
    """The models DUMPED names, in a stable order."""
    result = []
    for label in DUMPED:
        if "." in label:
            result.append(apps.get_model(label))
        else:
            result.extend(
                model
                for model in apps.get_app_config(label).get_models()
                if model._meta.label_lower not in DERIVED
            )
    return result


def model_counts():
    return {model._meta.label: model._base_manager.count() for model in dumped_models()}


def applied_migrations():
    """The latest applied migration of each app whose tables the dump fills."""
    latest = {}
    for app, name in MigrationRecorder.Migration.objects.filter(app__in=MIGRATED_APPS).values_list(
        "app", "name"
    ):
        latest[app] = max(latest.get(app, ""), name)
    return latest


def referenced_media():
    """Every file name stored in a file or image field of the content's models, sorted."""
    names = set()
    content_models = [
        *apps.get_app_config("partnerships").get_models(),
        *apps.get_app_config("exchanges").get_models(),
    ]
    for model in content_models:
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            values = model._base_manager.exclude(**{field.name: ""}).values_list(
                field.name, flat=True
            )
            names.update(name for name in values if name)
    return sorted(names)


def versioned_media():
    """The image files only versions name (kept so that a restored version finds its image)."""
    return sorted(images.files_named_by_versions() - set(referenced_media()))


def describe_media(name):
    """(size, sha256) of a stored file, or None when the storage does not have it."""
    if not default_storage.exists(name):
        return None
    digest = hashlib.sha256()
    size = 0
    with default_storage.open(name, "rb") as stored:
        for chunk in iter(lambda: stored.read(1 << 16), b""):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()
