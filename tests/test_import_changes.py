"""Nothing an import does is silent or final: keys agree, errors are real, every change is shown
before it is written, recorded after, in History, and can be undone."""

import csv
import datetime
import io
import json
import re
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from reversion.models import Version

from partnerships.models import Milestone, Partner, Relationship
from partnerships.transfer.changes import plan_undo, undo
from partnerships.transfer.engine import import_table
from partnerships.transfer.models import ChangeSet, ImportRun, ObjectChange
from partnerships.transfer.reading import open_table
from partnerships.transfer.rows import Loss

from .adminforms import make_editor

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def csv_bytes(rows):
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    return out.getvalue().encode("utf-8")


def run(data, **kwargs):
    return import_table(open_table(data), **kwargs)


def snapshot():
    """Every partner's and relationship's values, to compare before and after."""
    partners = {p["id"]: p for p in Partner.objects.values()}
    relationships = {r["id"]: r for r in Relationship.objects.values()}
    for values in [*partners.values(), *relationships.values()]:
        values.pop("updated")
    return partners, relationships


# --- matching never merges two places ---


def test_a_new_slug_with_another_partners_name_is_refused_not_a_rename(demo):
    before = snapshot()
    data = csv_bytes([["slug", "name_he", "country"], ["brand-new-city", "ורשה", "PL"]])

    report = run(data)

    assert not report.ok
    (error,) = report.errors
    assert (error.line, error.column) == (2, "slug")
    assert "Warschau (warsaw)" in error.message
    assert "brand-new-city" in error.message
    assert snapshot() == before
    assert not ChangeSet.objects.exists()


@pytest.mark.parametrize(
    ("row", "column", "named"),
    [
        # The Wikidata id names Warsaw, the slug Haifa.
        (["Q270", "haifa", "", ""], "slug", ["Warschau (warsaw)", "Haifa (haifa)"]),
        # The slug names Warsaw, the names match Haifa.
        (["", "warsaw", "Haifa", "IL"], "name_*", ["Haifa (haifa)", "Warschau (warsaw)"]),
        # The Wikidata id names Warsaw, the slug is one nobody has: no moved address.
        (["Q270", "warszawa", "", ""], "slug", ["Warschau (warsaw)", "warszawa"]),
        # The names match Warsaw, whose Wikidata id is another.
        (["Q999999", "", "Warschau", "PL"], "wikidata_id", ["Warschau (warsaw)", "Q270"]),
    ],
)
def test_keys_that_name_different_partners_are_an_error_naming_both(demo, row, column, named):
    before = snapshot()
    report = run(csv_bytes([["wikidata_id", "slug", "name_de", "country"], row]))

    (error,) = report.errors
    assert error.column == column
    for text in named:
        assert text in error.message
    assert snapshot() == before


def test_a_wikidata_id_that_names_nobody_is_added_to_the_partner_the_names_find(demo):
    Partner.objects.filter(slug="warsaw").update(wikidata_id="")

    report = run(csv_bytes([["wikidata_id", "name_de", "country"], ["Q270", "Warschau", "PL"]]))

    assert report.ok, report.errors
    assert report.partners == {"update": 1}
    assert Partner.objects.get(slug="warsaw").wikidata_id == "Q270"


def test_two_partners_with_one_name_need_a_slug(db):
    from .factories import make_partner

    make_partner(name_de="Springfield", slug="springfield-il", country="US")
    make_partner(name_de="Springfield", slug="springfield-ma", country="US")

    report = run(csv_bytes([["name_de", "country", "population"], ["Springfield", "US", "5"]]))

    (error,) = report.errors
    assert "springfield-il" in error.message and "springfield-ma" in error.message


def test_one_bad_row_among_5000_gives_exactly_its_error(kinds_only):
    countries = ["US", "JP", "FR", "BR", "IN", "NG", "PL", "CN"]
    rows = [["name_de", "country", "relationship"]]
    rows += [[f"Ort {i}", countries[i % len(countries)], "twin_city"] for i in range(5000)]
    rows[1][1] = "ZZ"  # line 2

    report = run(csv_bytes(rows))

    assert report.error_count == 1, report.errors[:3]
    assert (report.errors[0].line, report.errors[0].column) == (2, "country")
    assert Partner.objects.count() == 0


@pytest.fixture
def kinds_only(db):
    from partnerships.demo import content
    from partnerships.models import RelationshipKind

    for data in content.KINDS:
        RelationshipKind.objects.create(**data)


def statements(queries):
    """The queries, with a bulk INSERT that the database split into batches counted once
    (SQLite takes at most 999 parameters a statement: 25 partners)."""
    counted = []
    for query in queries:
        sql = query["sql"]
        table = sql.split()[2] if sql.startswith("INSERT INTO") else None
        if table and counted and counted[-1] == table:
            continue
        counted.append(table or sql)
    return counted


def test_queries_do_not_grow_with_the_rows(kinds_only):
    def queries_for(number):
        data = csv_bytes(
            [["name_de", "country", "relationship"]]
            + [[f"Ort {number}-{i}", "FR", "twin_city"] for i in range(number)]
        )
        with CaptureQueriesContext(connection) as queries:
            assert run(data).ok
        return len(statements(queries))

    queries_for(1)  # content types and the like are cached from now on
    # One chunk: kinds, partners, slugs, writes (each in a savepoint), relationships, the change
    # set and its revision, versions (partners, relationships, milestones), the content version.
    assert queries_for(10) == queries_for(900) == 24


# --- preview: old -> new, and what is lost first ---


def test_preview_shows_old_and_new_and_what_destroys_information(demo):
    data = csv_bytes(
        [
            ["slug", "name_en", "population", "published", "relationship", "status"],
            ["warsaw", "Warszawa", "", "no", "twin_city", "suspended"],
            ["haifa", "Haifa", "300000", "", "", ""],
        ]
    )
    warsaw = Partner.objects.get(slug="warsaw")

    report = run(data, dry_run=True, keep_outcomes=True)

    assert report.ok, report.errors
    first, second = report.outcomes
    changes = {c.column: (c.old, c.new) for c in first.changes}
    assert changes == {
        "name_en": ("Warsaw", "Warszawa"),
        "population": (warsaw.population, None),
        "published": (True, False),
        "status": ("active", "suspended"),
    }
    assert {c.column: c.loss for c in first.changes} == {
        "name_en": Loss.NAME_REPLACED,
        "population": Loss.EMPTIED,
        "published": Loss.UNPUBLISHED,
        "status": Loss.STATUS_CHANGED,
    }
    assert [c.loss for c in second.changes] == [None]  # a population added loses nothing
    assert dict(report.loss_counts) == {
        Loss.EMPTIED: 1,
        Loss.NAME_REPLACED: 1,
        Loss.UNPUBLISHED: 1,
        Loss.STATUS_CHANGED: 1,
    }
    assert Partner.objects.get(slug="warsaw").population == warsaw.population  # a dry run


def test_the_command_dry_run_prints_losses_first_then_every_change(demo, tmp_path, capsys):
    path = tmp_path / "edit.csv"
    path.write_bytes(csv_bytes([["slug", "population"], ["warsaw", ""]]))
    population = Partner.objects.get(slug="warsaw").population

    call_command("import_partnerships", str(path), "--dry-run")

    out = capsys.readouterr().out
    assert out.index("removes or replaces information") < out.index("Line 2: Update")
    assert f"population: {population} → –" in out
    assert "values emptied: 1" in out
    assert Partner.objects.get(slug="warsaw").population == population


# --- recorded, in History, undone ---


def test_import_is_recorded_in_history_and_undone_field_by_field(demo, django_user_model):
    user = django_user_model.objects.create_user("importer")
    before = snapshot()
    data = csv_bytes(
        [
            ["slug", "name_de", "country", "population", "description_de", "relationship"],
            ["warsaw", "Warschau", "PL", "", "Neu.", "city_friendship"],
            ["", "Neustadt", "DE", "1000", "", "twin_city"],
        ]
    )

    report = run(data, user=user)

    assert report.ok and report.written
    change_set = report.change_set
    assert change_set.user == user and change_set.file_size == 0
    assert change_set.counts["partners"] == {"update": 1, "new": 1}
    warsaw = Partner.objects.get(slug="warsaw")
    recorded = ObjectChange.objects.get(object_id=warsaw.pk, content_type__model="partner")
    assert recorded.fields["population"] == [before[0][warsaw.pk]["population"], None]
    # History: one version of Warsaw, in one revision with the file and the user.
    versions = Version.objects.get_for_object(warsaw)
    assert versions.count() == 1
    assert versions[0].revision.user == user
    assert versions[0].revision.comment.startswith("Import of")
    # The revision holds Warsaw with all its relationships (as reversion's follow would).
    in_revision = versions[0].revision.version_set
    assert in_revision.filter(content_type__model="relationship").count() == (
        warsaw.relationships.count() + 1  # Neustadt's
    )

    plan = undo(change_set, user)

    assert plan.kept == []
    assert snapshot() == before
    assert not Partner.objects.filter(name_de="Neustadt").exists()
    change_set.refresh_from_db()
    assert change_set.undone and change_set.undone_by == "importer"
    assert Version.objects.get_for_object(warsaw).count() == 2  # the undo is in History too


def test_versions_written_in_bulk_are_what_reversion_itself_writes(demo):
    from django.core import serializers
    from reversion.revisions import _get_options

    warsaw = Partner.objects.get(slug="warsaw")
    Partner.objects.filter(pk=warsaw.pk).update(image="partners/w.jpg", image_width=10)
    relationship = warsaw.relationships.first()
    Milestone.objects.create(relationship=relationship, date="2004-07-22", note="Vertrag")
    change_set = run(csv_bytes([["slug", "population"], ["warsaw", "7"]])).change_set

    stored = Version.objects.filter(revision=change_set.revision)
    assert stored.count() == 1 + warsaw.relationships.count() + 1
    for version in stored:
        obj = version.object
        options = _get_options(type(obj))
        expected = serializers.serialize(options.format, [obj], fields=options.fields)
        assert json.loads(version.serialized_data) == json.loads(expected), type(obj)
        if isinstance(obj, Partner):
            assert version.object_repr in {obj.name, obj.name_de, obj.name_en}
        else:
            assert version.object_repr == str(obj)


def test_undo_keeps_what_was_edited_since(demo):
    data = csv_bytes(
        [
            ["slug", "name_de", "country", "region", "population", "relationship"],
            ["warsaw", "Warschau", "PL", "Mazowsze", "2000000", ""],
            ["", "Neustadt", "DE", "", "", "twin_city"],
        ]
    )
    change_set = run(data).change_set
    warsaw = Partner.objects.get(slug="warsaw")
    warsaw.region = "Masowien (edited)"
    warsaw.save()
    neustadt = Relationship.objects.get(partner__name_de="Neustadt")
    Milestone.objects.create(relationship=neustadt, date="2030", note="Visit")

    plan = plan_undo(change_set)
    undo(change_set)

    kept = {(k.label, k.column): k for k in plan.kept}
    assert kept[("Warschau (warsaw)", "region")].now == "Masowien (edited)"
    warsaw.refresh_from_db()
    assert warsaw.region == "Masowien (edited)"  # newer work stays
    assert warsaw.population == 1702139  # the rest is back
    # Neustadt's relationship has a milestone added since: it stays, and so does Neustadt.
    assert Partner.objects.filter(name_de="Neustadt").exists()
    assert any("milestones" in k.reason for k in plan.kept)


def test_undo_twice_is_refused(demo):
    change_set = run(csv_bytes([["slug", "population"], ["warsaw", "5"]])).change_set
    call_command("undo_import", str(change_set.pk), verbosity=0)

    with pytest.raises(CommandError, match="was undone"):
        call_command("undo_import", str(change_set.pk))


def test_an_import_that_changes_nothing_records_nothing(demo):
    data = csv_bytes([["slug", "population"], ["warsaw", "1702139"]])

    report = run(data)

    assert report.ok and report.change_set is None
    assert not ChangeSet.objects.exists()


# --- sanitised like the admin ---


def test_imported_markup_keeps_only_the_allowed_subset(demo):
    data = csv_bytes(
        [
            ["slug", "description_de", "description_en"],
            [
                "warsaw",
                '<p onclick="steal()">Hallo</p><script>alert(1)</script>',
                '<a href="javascript:alert(1)">x</a> <a href="https://example.org">y</a>',
            ],
        ]
    )

    assert run(data).ok
    warsaw = Partner.objects.get(slug="warsaw")
    assert warsaw.description_de == "<p>Hallo</p>"
    assert "javascript" not in warsaw.description_en
    assert 'href="https://example.org"' in warsaw.description_en

    export = io.StringIO()
    call_command("export_partnerships", stdout=export)
    assert "onclick" not in export.getvalue() and "<script" not in export.getvalue()


# --- the admin: the upload belongs to its uploader ---


@pytest.fixture
def importer(client, demo):
    editor = make_editor("importer")
    client.force_login(editor)
    client.user = editor
    return client


def upload(client, data, name="edit.csv"):
    """Upload a file; the page it leads to (tasks run at once in tests: checked already)."""
    return client.post(
        reverse("admin:partnerships_partner_import"),
        {"import_file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def confirm(client, token, follow=False):
    return client.post(
        reverse("admin:partnerships_partner_process_import"), {"token": token}, follow=follow
    )


def run_url(token):
    return reverse("admin:partnerships_partner_import_run", args=[token])


EDIT = [["slug", "population", "published"], ["warsaw", "", "no"]]


def test_admin_preview_lists_losses_then_confirm_records_an_import(importer):
    response = upload(importer, csv_bytes(EDIT))

    page = response.content.decode()
    assert "This import removes or replaces information" in page
    assert "Values emptied: <strong>1</strong>" in page and "Partners unpublished" in page
    assert "<del>1702139</del> → <ins>–</ins>" in page
    assert Partner.objects.get(slug="warsaw").is_published  # nothing written yet

    token = response.context["token"]
    response = confirm(importer, token)

    change_set = ChangeSet.objects.get()
    assert response.status_code == 302
    assert response["Location"] == run_url(token)
    change_set_url = reverse("admin:transfer_changeset_change", args=[change_set.pk])
    assert f'href="{change_set_url}"' in importer.get(run_url(token)).content.decode()
    assert change_set.user == importer.user and change_set.file_name == "edit.csv"
    assert not Partner.objects.get(slug="warsaw").is_published
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.DONE and run.change_set == change_set
    assert bytes(run.data) == b""  # the file is not kept once it is imported
    page = importer.get(change_set_url).content.decode()
    assert "<del>1702139</del> → <ins>–</ins>" in page
    history = importer.get(
        reverse("admin:partnerships_partner_history", args=[Partner.objects.get(slug="warsaw").pk])
    ).content.decode()
    assert "Import of edit.csv by importer" in history


def test_admin_undo_shows_what_it_does_then_puts_everything_back(importer):
    before = snapshot()
    confirm(importer, upload(importer, csv_bytes(EDIT)).context["token"])
    change_set = ChangeSet.objects.get()
    url = reverse("admin:transfer_changeset_undo", args=[change_set.pk])

    page = importer.get(url).content.decode()
    assert "Undo puts 2 values back" in page

    response = importer.post(url)
    assert response.status_code == 302
    assert snapshot() == before
    assert importer.post(url).status_code == 302  # a second undo: a message, not a 500
    change_set.refresh_from_db()
    assert change_set.undone


def test_a_second_confirm_gets_a_message_and_imports_once(importer):
    token = upload(importer, csv_bytes(EDIT)).context["token"]
    confirm(importer, token)

    response = confirm(importer, token)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:partnerships_partner_import")
    assert ChangeSet.objects.count() == 1
    page = importer.get(response["Location"]).content.decode()
    assert "no longer waiting" in page


@pytest.mark.parametrize("field", ["token", "import_file_name"])
def test_no_form_value_can_name_a_file_on_the_server(importer, field):
    secret = tempfile.NamedTemporaryFile(dir=tempfile.gettempdir(), delete=False, suffix=".csv")
    secret.write(b"slug;population\nwarsaw;1\n")
    secret.close()
    path = Path(secret.name)
    try:
        for value in (path.name, str(path), f"../{path.parent.name}/{path.name}"):
            response = importer.post(
                reverse("admin:partnerships_partner_process_import"),
                {field: value, "format": "0", "original_file_name": "x.csv"},
            )
            assert response.status_code == 302
            assert path.exists()
        assert Partner.objects.get(slug="warsaw").population == 1702139
        assert not ChangeSet.objects.exists()
    finally:
        path.unlink()


def test_another_users_token_or_an_expired_one_is_refused(importer, client, settings):
    token = upload(importer, csv_bytes(EDIT)).context["token"]
    other = make_editor("other")
    client.force_login(other)
    assert confirm(client, token)["Location"] == reverse("admin:partnerships_partner_import")
    assert not ChangeSet.objects.exists()
    assert client.get(run_url(token)).status_code == 404  # not even its page
    assert ImportRun.objects.get(token=token).state == ImportRun.State.PREVIEW  # the uploader's

    settings.IMPORT_UPLOAD_TIMEOUT = 0
    client.force_login(importer.user)
    confirm(client, token)
    assert not ChangeSet.objects.exists()
    run = ImportRun.objects.get(token=token)
    assert run.state == ImportRun.State.EXPIRED and bytes(run.data) == b""


def test_cancel_deletes_the_upload(importer):
    token = upload(importer, csv_bytes(EDIT)).context["token"]

    response = importer.post(reverse("admin:partnerships_partner_cancel_import"), {"token": token})

    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.CANCELLED and bytes(run.data) == b""
    assert confirm(importer, token)["Location"] == reverse("admin:partnerships_partner_import")


def test_a_preview_gone_stale_is_shown_again_not_written(importer):
    token = upload(importer, csv_bytes(EDIT)).context["token"]
    Partner.objects.filter(slug="warsaw").update(population=5)  # someone else, meanwhile

    response = confirm(importer, token, follow=True)

    assert response.status_code == 200
    assert "changed since your preview" in response.content.decode()
    assert "<del>5</del>" in response.content.decode()
    assert not ChangeSet.objects.exists()
    assert Partner.objects.get(slug="warsaw").is_published

    confirm(importer, response.context["token"])
    assert ChangeSet.objects.count() == 1  # confirmed after seeing the new preview


def test_editors_see_imports_and_may_undo(importer):
    codenames = set(importer.user.groups.get().permissions.values_list("codename", flat=True))
    assert {"view_changeset", "undo_changeset"} <= codenames
    assert importer.get(reverse("admin:transfer_changeset_changelist")).status_code == 200


def test_undo_needs_its_permission(importer, client, django_user_model):
    confirm(importer, upload(importer, csv_bytes(EDIT)).context["token"])
    change_set = ChangeSet.objects.get()
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_changeset"))
    client.force_login(viewer)

    assert (
        client.post(reverse("admin:transfer_changeset_undo", args=[change_set.pk])).status_code
        == 403
    )
    change_set.refresh_from_db()
    assert not change_set.undone


def test_a_german_editor_reads_the_preview_in_german(importer):
    importer.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    with translation.override("de"):
        page = upload(importer, csv_bytes(EDIT)).content.decode()
        assert "Dieser Import entfernt oder ersetzt Angaben" in page
        assert "Werte geleert: <strong>1</strong>" in page
        assert "Import bestätigen" in page


def test_admin_undo_lists_what_was_changed_since_before_and_after(importer):
    confirm(importer, upload(importer, csv_bytes(EDIT)).context["token"])
    change_set = ChangeSet.objects.get()
    Partner.objects.filter(slug="warsaw").update(population=99)
    url = reverse("admin:transfer_changeset_undo", args=[change_set.pk])

    page = importer.get(url).content.decode()
    assert "<td>population</td><td>changed since the import</td><td>–</td><td>99</td>" in page

    importer.post(url)
    page = importer.get(reverse("admin:transfer_changeset_change", args=[change_set.pk]))
    assert "<td>population</td><td>changed since the import</td>" in page.content.decode()
    warsaw = Partner.objects.get(slug="warsaw")
    assert (warsaw.population, warsaw.is_published) == (99, True)


def test_admin_preview_shows_a_two_digit_year_as_it_was_read(importer):
    relationship = Relationship.objects.filter(partner__slug="warsaw").select_related("kind").get()
    rows = [["slug", "relationship", "since"], ["warsaw", relationship.kind.code, "22.07.04"]]

    response = upload(importer, csv_bytes(rows))

    page = response.content.decode()
    old = relationship.since or "–"
    assert re.search(rf"<code>since</code>:\s*<del>{old}</del> → <ins>2004-07-22</ins>", page)
    confirm(importer, response.context["token"])
    relationship.refresh_from_db()
    assert relationship.since == "2004-07-22"


def test_admin_preview_says_which_headers_it_read_by_their_labels(importer):
    rows = [
        ["Name (Deutsch)", "Land", "Art der Beziehung", "Seit"],
        ["Köln", "DE", "twin_city", "1.2.04"],
    ]

    response = upload(importer, csv_bytes(rows))

    page = response.content.decode()
    assert "Columns read by their names: Name (Deutsch) → name_de, Land → country," in page
    assert re.search(r"<code>since</code>:\s*2004-02-01", page)
    confirm(importer, response.context["token"])
    assert Relationship.objects.get(partner__name_de="Köln").since == "2004-02-01"


@pytest.mark.parametrize("object_id", ["abc", "999999", "1%00"])
def test_an_import_page_that_does_not_exist_is_a_404(importer, object_id):
    url = reverse("admin:transfer_changeset_changelist") + f"{object_id}/change/"
    assert importer.get(url).status_code == 404


def test_a_long_user_name_and_file_name_are_recorded_shortened(demo, django_user_model, tmp_path):
    user = django_user_model.objects.create_user("u", first_name="A" * 150, last_name="B" * 150)
    path = tmp_path / ("n" * 240 + ".csv")
    path.write_bytes(csv_bytes([["slug", "population"], ["warsaw", "5"]]))

    call_command("import_partnerships", str(path), "--user", "u", verbosity=0)

    change_set = ChangeSet.objects.get()
    assert len(change_set.user_name) == 150 and len(change_set.file_name) == 244
    undo(change_set, user)
    change_set.refresh_from_db()
    assert len(change_set.undone_by) == 150


def test_the_runs_list_marks_a_run_whose_worker_is_gone(importer, settings):
    settings.IMPORT_LOST_AFTER = 1
    upload(importer, csv_bytes(EDIT))
    run = ImportRun.objects.get()
    # As a worker that died while writing leaves it: "writing", and no news since.
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.WRITING, updated=long_ago)
    caches["import_progress"].clear()  # its check's progress, long ago too

    page = importer.get(reverse("admin:transfer_importrun_changelist")).content.decode()

    run.refresh_from_db()
    assert run.state == ImportRun.State.FAILED and bytes(run.data) == b""
    assert run.get_state_display() in page
    assert Partner.objects.get(slug="warsaw").is_published  # nothing of it was written


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ANALYZE is PostgreSQL's")
def test_a_large_import_renews_the_planners_statistics(kinds_only, tmp_path):
    def estimated_partners():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                [Partner._meta.db_table],
            )
            return cursor.fetchone()[0]

    rows = [["name_de", "country", "relationship"]]
    rows += [[f"Ort {number}", "PL", "twin_city"] for number in range(1500)]
    path = tmp_path / "large.csv"
    path.write_bytes(csv_bytes(rows))
    before = estimated_partners()

    call_command("import_partnerships", str(path), stdout=io.StringIO())

    # What the planner believes the table holds: the rows, at once, not whenever autovacuum runs.
    assert before != 1500
    assert estimated_partners() == 1500
