"""Keeping TranslationStamp right, whatever writes the content.

- a save (the admin, the shell, load_demo): pre_save reads the row as it was, post_save stamps
  each translation text the save changed with the German text saved with it, and makes sure
  every other translation text has a stamp;
- a raw save (a restore from History, loaddata) stamps only texts that have none: the text that
  comes back finds the stamp it had;
- bulk writes, which send no signals: the file import (transfer/engine.py) calls `record` with
  the fields it changed, its undo with none changed, the XLIFF import with every unit it read;
- a delete takes the object's stamps with it.

A translation saved while its German text changes in the same save translates the new German
text; one left as it was while the German text changes becomes outdated.
"""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .fields import fields_of, target_languages, translated_models
from .models import TranslationStamp


def fingerprint(text):
    """SHA-256 (hex) of a text, as the database's SHA256() computes it (status.py)."""
    return hashlib.sha256((text or "").encode()).hexdigest()


def is_empty(text):
    return not text


def record(model, objects, refreshed=None):
    """Stamp the translation texts of `objects` (instances of `model`, as saved).

    `refreshed` maps an object's pk to the columns (description_he) written as new translations
    of the current German text: their stamps name it now. Every other non-empty text keeps its
    stamp, or gets one naming the current German text if it has none. Two queries, whatever
    the number of objects (plus the inserts and updates).
    """
    fields = fields_of(model)
    objects = [obj for obj in objects if obj.pk is not None]
    if not fields or not objects:
        return
    refreshed = refreshed or {}
    content_type = ContentType.objects.get_for_model(model)
    wanted = {}
    for obj in objects:
        for translated in fields:
            source = getattr(obj, translated.source_column)
            if is_empty(source):
                continue
            source_sha256 = fingerprint(source)
            for language in target_languages():
                column = translated.column(language)
                target = getattr(obj, column)
                if is_empty(target):
                    continue
                key = (obj.pk, translated.name, language, fingerprint(target))
                wanted[key] = (source_sha256, column in refreshed.get(obj.pk, ()))
    if not wanted:
        return
    existing = {
        (stamp.object_id, stamp.field, stamp.language, stamp.target_sha256): stamp
        for stamp in TranslationStamp.objects.filter(
            content_type=content_type, object_id__in={obj.pk for obj in objects}
        ).only("pk", "object_id", "field", "language", "target_sha256", "source_sha256")
    }
    new, changed = [], []
    for key, (source_sha256, is_refreshed) in wanted.items():
        stamp = existing.get(key)
        if stamp is None:
            pk, field, language, target_sha256 = key
            new.append(
                TranslationStamp(
                    content_type=content_type,
                    object_id=pk,
                    field=field,
                    language=language,
                    target_sha256=target_sha256,
                    source_sha256=source_sha256,
                )
            )
        elif is_refreshed and stamp.source_sha256 != source_sha256:
            stamp.source_sha256 = source_sha256
            changed.append(stamp)
    TranslationStamp.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    TranslationStamp.objects.bulk_update(changed, ["source_sha256", "saved"], batch_size=1000)


def changed_columns(obj, before):
    """The translation columns whose text differs from `before` (the row's values)."""
    return {
        translated.column(language)
        for translated in fields_of(type(obj))
        for language in target_languages()
        if (getattr(obj, translated.column(language)) or "")
        != (before.get(translated.column(language)) or "")
    }


# --- signals: every save and delete of a translated model ---


def saved_columns(sender, update_fields):
    """The translation columns a save writes (all, unless `update_fields` names some)."""
    columns = [
        translated.column(language)
        for translated in fields_of(sender)
        for language in target_languages()
    ]
    if update_fields is not None:
        columns = [column for column in columns if column in update_fields]
    return columns


@receiver(pre_save)
def remember_translations(sender, instance, raw=False, update_fields=None, **kwargs):
    """The translation texts as stored before this save (one query; none for a new object, or
    for a save of other fields only)."""
    if raw or instance.pk is None or instance._state.adding:
        return
    columns = saved_columns(sender, update_fields)
    if not columns:
        return
    instance._translations_before = (
        sender._base_manager.filter(pk=instance.pk).values(*columns).first() or {}
    )


@receiver(post_save)
def stamp_translations(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if sender not in translated_models():
        return
    if raw:
        record(sender, [instance])
        return
    before = instance.__dict__.pop("_translations_before", None) or {}
    written = set(saved_columns(sender, update_fields))
    sources = {translated.source_column for translated in fields_of(sender)}
    if update_fields is not None and not written and not sources & set(update_fields):
        return  # neither a translation nor a German text was written
    columns = changed_columns(instance, before) & written
    record(sender, [instance], {instance.pk: columns})


@receiver(post_delete)
def forget_stamps(sender, instance, **kwargs):
    if sender in translated_models():
        TranslationStamp.objects.filter(
            content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk
        ).delete()
