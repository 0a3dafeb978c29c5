"""A backup restores into an empty database as the content was: a round trip."""

import io
import json
import os
import re

import pytest
import reversion
from django.contrib.auth.models import Group, User
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation
from PIL import Image
from reversion.models import Revision, Version

from partnerships import backup, shared_cache
from partnerships.models import (
    ContentChange,
    Partner,
)
from partnerships.signals import CONTENT_MODELS

from .adminforms import EDITORS_GROUP, make_editor


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def snapshot():
    """Every content row, every field, in every language: what must come back."""
    rows = {}
    # The untranslated attribute (`name`) reads the active language; fix it for both snapshots.
    with translation.override("de"):
        for model in [*CONTENT_MODELS, Revision, Version]:
            # Accounts are matched by user name: a restored account may get a new id.
            text = serializers.serialize(
                "json", model._base_manager.order_by("pk"), use_natural_foreign_keys=True
            )
            # JSON keeps times to the millisecond (Django's serialiser): 12:00:00.000412 comes
            # back as 12:00:00, which it writes without the ".000".
            rows[model._meta.label] = json.loads(re.sub(r"\.000Z\"", 'Z"', text))
    return rows


def differences(before, after):
    """(model, pk, field, before, after) for every value that did not come back as it was."""
    found = []
    for label in before.keys() | after.keys():
        old = {row["pk"]: row["fields"] for row in before.get(label, [])}
        new = {row["pk"]: row["fields"] for row in after.get(label, [])}
        for pk in old.keys() | new.keys():
            old_fields, new_fields = old.get(pk, {}), new.get(pk, {})
            for field in old_fields.keys() | new_fields.keys():
                if old_fields.get(field) != new_fields.get(field):
                    found.append((label, pk, field, old_fields.get(field), new_fields.get(field)))
    return sorted(found, key=str)


def empty_the_database(keep_editors_group):
    """What a new, migrated database holds: no content, no history, no accounts."""
    Version.objects.all().delete()
    Revision.objects.all().delete()
    # Children first: a relationship kind is protected while relationships use it.
    for model in reversed(CONTENT_MODELS):
        model._base_manager.all().delete()
    ContentChange.objects.all().delete()
    User.objects.all().delete()
    if not keep_editors_group:
        Group.objects.all().delete()


def run(command, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def content(demo, django_capture_on_commit_callbacks):
    """The demo content, an image (with its renditions), an editor, and a version made by that
    editor."""
    partner = Partner.objects.get(slug="warsaw")
    partner.image.save("warsaw.png", ContentFile(png_bytes()), save=False)
    Partner._meta.get_field("image").update_dimension_fields(partner, force=True)
    partner.description_he = "בירת פולין"
    with django_capture_on_commit_callbacks(execute=True):
        partner.save()  # and its renditions, made by the background task
    editor = make_editor("redakteurin", password="a-long-editor-password-1")
    with reversion.create_revision():
        partner.description_en = "Capital of Poland."
        partner.save()
        reversion.set_user(editor)
        reversion.set_comment("English description")
    return partner


@pytest.mark.parametrize("keep_editors_group", [True, False])
def test_backup_and_restore_round_trip(
    content, tmp_path, keep_editors_group, settings, django_capture_on_commit_callbacks
):
    before = snapshot()
    backed_up_version = ContentChange.last()
    target = tmp_path / "backup"

    out, err = run("backup_content", str(target))
    assert "13 partners" in out and err == ""
    assert sorted(path.name for path in target.iterdir()) == [
        "content.json",
        "manifest.json",
        "media.txt",
    ]
    assert oct(os.stat(target / "content.json").st_mode & 0o777) == "0o600"
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["counts"]["partnerships.Partner"] == 13
    assert manifest["counts"]["reversion.Version"] >= 1
    media_lines = (target / "media.txt").read_text().splitlines()[1:]
    assert len(media_lines) == 1
    name, size, digest = media_lines[0].split("\t")
    assert name == content.image.name and int(size) == len(png_bytes()) and len(digest) == 64

    empty_the_database(keep_editors_group)
    assert Partner.objects.count() == 0

    # A shared page cache still announces the replaced database's version.
    settings.PUBLIC_PAGE_CACHE_SHARED = True
    shared_cache.publish(timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        out, err = run("restore_content", str(target))
    assert "Restored" in out and "Media: 1 files present and intact." in out
    assert err == ""
    assert differences(before, snapshot()) == []
    # The restore is a change of the public content: a new version, published.
    assert ContentChange.last() > backed_up_version
    assert shared_cache.published() == ContentChange.last()

    # Translations, accounts, group membership and history came back.
    partner = Partner.objects.get(slug="warsaw")
    assert partner.description_en == "Capital of Poland."
    assert partner.description_he == "בירת פולין"
    editor = User.objects.get(username="redakteurin")
    assert editor.check_password("a-long-editor-password-1")
    assert editor.groups.filter(name=EDITORS_GROUP).exists()
    assert (
        Group.objects.get(name=EDITORS_GROUP).permissions.filter(codename="change_partner").exists()
    )
    version = Version.objects.get_for_object(partner).get()
    assert version.revision.user == editor
    assert version.revision.comment == "English description"

    # The database carries on: new rows get new keys.
    Partner.objects.create(name_de="Neu", slug="neu", country="FR")


def test_an_import_can_still_be_undone_after_backup_and_restore(content, tmp_path):
    from partnerships.transfer.engine import import_table
    from partnerships.transfer.models import ChangeSet
    from partnerships.transfer.reading import open_table

    report = import_table(open_table(b"slug;population\nwarsaw;5\n"))
    population_before = report.change_set.changes.get().fields["population"][0]
    run("backup_content", str(tmp_path / "backup"))
    ChangeSet.objects.all().delete()
    empty_the_database(keep_editors_group=False)

    run("restore_content", str(tmp_path / "backup"))

    change_set = ChangeSet.objects.get()
    assert change_set.file_sha256 == report.change_set.file_sha256
    run("undo_import", str(change_set.pk))
    assert Partner.objects.get(slug="warsaw").population == population_before


def test_restore_refuses_a_database_with_content(content, tmp_path):
    run("backup_content", str(tmp_path / "backup"))
    Partner.objects.filter(slug="warsaw").update(name_de="Warschau (geändert)")
    with pytest.raises(CommandError, match="already holds content"):
        run("restore_content", str(tmp_path / "backup"))
    assert Partner.objects.get(slug="warsaw").name_de == "Warschau (geändert)"


def test_restore_reports_missing_media(content, tmp_path):
    run("backup_content", str(tmp_path / "backup"))
    content.image.storage.delete(content.image.name)
    empty_the_database(keep_editors_group=True)
    out, err = run("restore_content", str(tmp_path / "backup"))
    assert "Restored" in out
    assert "1 media files are missing" in err and content.image.name in err


def test_restore_refuses_what_is_not_a_backup(db, tmp_path):
    with pytest.raises(CommandError, match="not a backup folder"):
        run("restore_content", str(tmp_path))
    (tmp_path / backup.MANIFEST_FILE).write_text('{"format": 99}')
    with pytest.raises(CommandError, match="format 99"):
        run("restore_content", str(tmp_path))


def test_restore_refuses_a_backup_from_a_newer_schema(content, tmp_path):
    run("backup_content", str(tmp_path / "backup"))
    manifest_path = tmp_path / "backup" / backup.MANIFEST_FILE
    manifest = json.loads(manifest_path.read_text())
    manifest["migrations"]["partnerships"] = "9999_from_the_future"
    manifest_path.write_text(json.dumps(manifest))
    empty_the_database(keep_editors_group=True)
    with pytest.raises(CommandError, match="newer database schema"):
        run("restore_content", str(tmp_path / "backup"))


def test_backup_never_overwrites_a_backup(content, tmp_path):
    run("backup_content", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match="not empty"):
        run("backup_content", str(tmp_path / "backup"))


def test_a_backup_lists_the_files_only_versions_name(
    content, tmp_path, django_capture_on_commit_callbacks
):
    old = content.image.name
    with django_capture_on_commit_callbacks(execute=True), reversion.create_revision():
        content.image.save("warsaw-new.png", ContentFile(png_bytes()), save=False)
        content.save()
    assert content.image.name != old and content.image.storage.exists(old)
    # A version whose file was lost before versions kept theirs: nothing to copy, no warning.
    latest = Version.objects.get_for_object(content).first()
    data = json.loads(latest.serialized_data)
    data[0]["fields"]["image"] = "partners/lost.png"
    Version.objects.create(
        revision=Revision.objects.create(date_created=timezone.now()),
        object_id=latest.object_id,
        content_type=latest.content_type,
        db=latest.db,
        format=latest.format,
        serialized_data=json.dumps(data),
        object_repr=latest.object_repr,
    )

    out, err = run("backup_content", str(tmp_path / "backup"))
    listed = [line.split("\t")[0] for line in (tmp_path / "backup" / "media.txt").open()][1:]
    assert sorted(listed) == sorted([old, content.image.name])
    assert "2 media files listed" in out and err == ""
