"""Open data at /data/: every published partnership, every language, importable again, served from
files written once per change."""

import csv
import io
import json
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from django.utils.http import http_date
from django_tasks import task_backends

from partnerships.models import ContentChange, Partner, Relationship
from partnerships.open_data import files, tasks
from partnerships.transfer.engine import import_table
from partnerships.transfer.export import (
    PartnershipResource,
    geojson_document,
    json_document,
    write_csv,
)
from partnerships.transfer.reading import open_table

URLS = ["/data/partnerships.csv", "/data/partnerships.json", "/data/partners.geojson"]


@pytest.fixture(autouse=True)
def new_process():
    """What this process enqueued is forgotten between tests, as in a new process."""
    tasks.forget_scheduled()
    yield
    tasks.forget_scheduled()


@pytest.fixture
def many(demo):
    """Enough extra partners that a per-row query would show in the count."""
    kind = Relationship.objects.first().kind
    for number in range(30):
        partner = Partner.objects.create(
            name_de=f"Ort {number}",
            slug=f"ort-{number}",
            country="FR",
            latitude=number,
            longitude=number,
        )
        Relationship.objects.create(partner=partner, kind=kind, since="2000")


@pytest.fixture
def writes(monkeypatch):
    """The versions whose files were written, in order."""
    written = []
    write_documents = files.write_documents

    def counting(folder, version):
        written.append(version)
        write_documents(folder, version)

    monkeypatch.setattr(files, "write_documents", counting)
    return written


@pytest.fixture
def no_worker(settings):
    """No task worker has come to the writes yet: enqueued writes wait (the tasks enqueued)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return task_backends["default"].results


def body(response):
    return response.getvalue()


def old_views_documents():
    """The three documents as the views rendered them in memory before they were files (the
    JSON's "csv" now the CSV's path, which a reader resolves against the JSON's own address)."""
    resource = PartnershipResource()
    last_change = ContentChange.last()
    headers = resource.get_export_headers()
    stream = io.StringIO()
    write_csv(headers, resource.iter_export_rows(Partner.objects.published()), stream)
    document = json_document(
        headers, resource.iter_export_rows(Partner.objects.published()), last_change
    )
    document["csv"] = reverse("open-data-csv")
    partners = Partner.objects.published().prefetch_related("relationships__kind")
    geojson = geojson_document(partners.order_by("slug"), last_change)
    return {
        "/data/partnerships.csv": stream.getvalue().encode(),
        "/data/partnerships.json": json.dumps(document, ensure_ascii=False, indent=1).encode(),
        "/data/partners.geojson": json.dumps(geojson, ensure_ascii=False).encode(),
    }


# --- queries ---


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("fixture", ["demo", "many"])
def test_a_written_file_costs_one_query(client, django_assert_num_queries, request, url, fixture):
    request.getfixturevalue(fixture)
    files.write_current()
    # The content version, to know whether the files are the current ones.
    with django_assert_num_queries(1):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("fixture", ["demo", "many"])
def test_the_first_request_writes_the_files_in_a_fixed_number_of_queries(
    client, django_assert_num_queries, request, fixture, writes
):
    request.getfixturevalue(fixture)
    # The version (the view's, the writer's), the partners, their relationships, the kinds;
    # the associations and their partnerships, the events, the partnerships' jubilees.
    with django_assert_num_queries(9):
        response = client.get("/data/partnerships.json")
    assert response.status_code == 200
    assert writes == [ContentChange.last()]


def test_files_older_than_the_content_cost_one_query_more_once(
    client, django_assert_num_queries, demo, no_worker
):
    files.write_current()
    ContentChange.touch()
    # The version, and the version a write enqueued now will include.
    with django_assert_num_queries(2):
        client.get("/data/partnerships.csv")
    with django_assert_num_queries(1):
        client.get("/data/partnerships.csv")
    assert len(no_worker) == 1


# --- content ---


def test_csv_has_every_language_and_imports_again(demo, client):
    Partner.objects.filter(slug="haifa").update(is_published=False)
    response = client.get("/data/partnerships.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'rel="license"' in response["Link"]
    assert response["Last-Modified"]
    content = body(response)
    text = content.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == PartnershipResource().get_export_headers()
    assert {"name_de", "name_en", "name_he", "image_credit", "image_licence"} <= set(rows[0])
    assert "haifa" not in {row["slug"] for row in rows}
    warsaw = next(row for row in rows if row["slug"] == "warsaw")
    assert warsaw["name_de"] == "Warschau"

    Partner.objects.all().delete()
    report = import_table(open_table(content))
    assert report.ok, report.errors
    assert Partner.objects.filter(slug="warsaw").exists()
    assert not Partner.objects.filter(slug="haifa").exists()


def test_csv_escapes_formula_cells(demo, client):
    Partner.objects.filter(slug="warsaw").update(name_en='=HYPERLINK("x")')

    text = body(client.get("/data/partnerships.csv")).decode("utf-8")

    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text


def test_json_has_licence_line_and_last_change(demo, client):
    document = json.loads(body(client.get("/data/partnerships.json")))

    assert document["licence"].startswith("Datenlizenz Deutschland")
    assert document["licence_url"].startswith("https://")
    assert document["last_change"] == ContentChange.last().isoformat()
    assert len(document["partnerships"]) == Relationship.objects.count()
    assert {"name_de", "name_en", "name_he"} <= set(document["partnerships"][0])
    assert document["csv"] == "/data/partnerships.csv"


def test_json_imports_again(demo, client):
    content = body(client.get("/data/partnerships.json"))
    Partner.objects.all().delete()

    report = import_table(open_table(content))

    assert report.ok, report.errors
    assert Relationship.objects.count() == 15


def test_geojson_points_with_every_language(demo, client):
    response = client.get("/data/partners.geojson")

    assert response["Content-Type"] == "application/geo+json"
    document = json.loads(body(response))
    assert document["type"] == "FeatureCollection"
    assert document["licence"]
    warsaw = next(f for f in document["features"] if f["id"] == "warsaw")
    lon, lat = warsaw["geometry"]["coordinates"]
    assert 20 < lon < 22 and 52 < lat < 53
    assert warsaw["properties"]["name_de"] == "Warschau"
    assert warsaw["properties"]["relationships"][0]["relationship"] == "twin_city"


@pytest.mark.parametrize("url", URLS)
def test_the_files_are_byte_for_byte_what_the_views_rendered(client, many, url):
    """Text that JSON and CSV must escape, every script, a partner without a position."""
    Partner.objects.filter(slug="warsaw").update(
        name_en='Line one\nline "two",\r\n\ttab \\ backslash',
        name_he="ורשה",
        latitude=None,
    )
    Partner.objects.filter(slug="ort-3").update(name_de="=1+2", name_en="Ünïcödé 😀")

    assert body(client.get(url)) == old_views_documents()[url]


@pytest.mark.parametrize("url", URLS)
def test_without_a_published_partner_the_files_are_what_the_views_rendered(client, demo, url):
    Partner.objects.update(is_published=False)

    assert body(client.get(url)) == old_views_documents()[url]


@pytest.mark.parametrize("url", URLS)
def test_headers_of_each_file(client, demo, url):
    response = client.get(url)

    file_name = url.rsplit("/", 1)[1]
    assert response["Content-Disposition"] == f'inline; filename="{file_name}"'
    assert response["Link"] == '<https://www.govdata.de/dl-de/by-2-0>; rel="license"'
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] in ("no-cache, public", "public, no-cache")
    assert int(response["Content-Length"]) == len(body(response))


def test_only_get_and_head(client, db):
    assert client.post("/data/partnerships.csv").status_code == 405
    assert client.head("/data/partnerships.csv").status_code == 200


def test_the_documents_are_never_in_the_cache(client, demo, settings):
    settings.PUBLIC_PAGE_CACHE = True
    cache = caches["default"]
    cache.clear()
    for url in URLS:
        client.get(url)
    assert list(cache._cache) == []
    client.get("/de/")  # a page, which is cached: the check above can see an entry
    assert len(cache._cache) == 1


# --- validators ---


@pytest.mark.parametrize("url", URLS)
def test_etag_and_last_modified_answer_304(client, demo, url):
    first = client.get(url)
    version = ContentChange.last()
    assert first["ETag"] == f'"{files.content_id(version)}"'
    assert first["Last-Modified"] == http_date(int(version.timestamp()))

    by_etag = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert by_etag.status_code == 304
    assert by_etag["ETag"] == first["ETag"]
    assert by_etag.content == b""
    by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_date.status_code == 304
    head = client.head(url, headers={"If-None-Match": first["ETag"]})
    assert head.status_code == 304


def test_head_has_the_get_headers_without_the_file(client, demo):
    get = client.get("/data/partnerships.json")
    head = client.head("/data/partnerships.json")

    assert head.status_code == 200
    for header in ("ETag", "Last-Modified", "Content-Length", "Content-Type", "Link"):
        assert head[header] == get[header]
    assert body(head) == b""


def test_after_a_change_the_old_etag_gets_the_new_file(client, demo):
    first = client.get("/data/partnerships.csv")
    Partner.objects.filter(slug="warsaw").update(name_de="Warszawa")
    ContentChange.touch()

    response = client.get("/data/partnerships.csv", headers={"If-None-Match": first["ETag"]})

    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert "Warszawa" in body(response).decode()


# --- written again on every change ---


def test_an_edit_writes_the_files_once_committed(demo, django_capture_on_commit_callbacks, writes):
    files.write_current()
    partner = Partner.objects.get(slug="warsaw")
    with django_capture_on_commit_callbacks(execute=True):
        partner.name_de = "Warszawa"
        partner.save()

    assert writes[-1] == ContentChange.last()
    edition, file = files.open_current(files.CSV)
    with file:
        assert "Warszawa" in file.read().decode()
    assert edition.content_id == files.content_id(ContentChange.last())


def test_an_import_of_many_rows_writes_the_files_once(
    demo, django_capture_on_commit_callbacks, writes
):
    files.write_current()
    lines = ["slug,name_de,country,relationship,since"]
    lines += [f"neu-{number},Neuer Ort {number},FR,twin_city,2001" for number in range(300)]
    with django_capture_on_commit_callbacks(execute=True):
        report = import_table(open_table("\n".join(lines).encode()))
    assert report.ok, report.errors

    assert len(writes) == 2  # the first one above, and one for the import
    _edition, file = files.open_current(files.JSON)
    with file:
        slugs = {row["slug"] for row in json.load(file)["partnerships"]}
    assert {f"neu-{number}" for number in range(300)} <= slugs


def test_a_delete_writes_the_files_once_committed(demo, django_capture_on_commit_callbacks, writes):
    files.write_current()
    with django_capture_on_commit_callbacks(execute=True):
        Partner.objects.get(slug="warsaw").delete()

    _edition, file = files.open_current(files.GEOJSON)
    with file:
        ids = {feature["id"] for feature in json.load(file)["features"]}
    assert "warsaw" not in ids and ids
    assert writes[-1] == ContentChange.last()


def test_many_changes_in_one_transaction_are_one_write_of_the_last_version(
    demo, django_capture_on_commit_callbacks, writes
):
    # A partner with its relationships removed, and each of the others renamed: dozens of
    # saves and deletes, each moving the content version.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Partner.objects.get(slug="warsaw").delete()
        for partner in Partner.objects.all():
            partner.name_en = f"{partner.name_en} (renamed)"
            partner.save()
    assert len(callbacks) > 10

    assert writes == [ContentChange.last()]
    assert files.current_edition().content_id == files.content_id(ContentChange.last())


def test_a_write_of_the_version_written_already_does_nothing(demo, writes):
    files.write_current()
    tasks.write_open_data.enqueue()  # a second process's write of the same change
    tasks.write_open_data.enqueue()

    assert len(writes) == 1


def test_a_process_enqueues_no_second_write_for_a_version_it_has_enqueued(demo, no_worker):
    version = ContentChange.last()
    assert tasks.schedule_write(version)
    assert not tasks.schedule_write(version)
    ContentChange.touch()
    assert tasks.schedule_write(ContentChange.last())
    assert len(no_worker) == 2


def test_an_unreachable_queue_costs_no_error_page_and_does_not_stop_the_next_write(
    client, demo, monkeypatch
):
    first = client.get("/data/partnerships.csv")
    ContentChange.touch()

    def refuse():
        raise ConnectionError("queue unreachable")

    monkeypatch.setattr(tasks, "write_open_data", SimpleNamespace(enqueue=refuse))
    tasks.write_after_change(ContentChange, ContentChange.last())  # logged, not raised
    during = client.get("/data/partnerships.csv")
    assert during.status_code == 200 and during["ETag"] == first["ETag"]
    monkeypatch.undo()

    assert tasks.schedule_write(ContentChange.last())
    assert client.get("/data/partnerships.csv")["ETag"] != first["ETag"]


def test_a_new_release_writes_the_files_again(client, demo, settings, writes):
    first = client.get("/data/partnerships.csv")
    settings.RELEASE_ID = "next-release"

    second = client.get("/data/partnerships.csv")

    assert len(writes) == 2
    assert second["ETag"] != first["ETag"]


# --- never a half file ---


def test_a_request_during_a_rewrite_gets_the_previous_files(client, demo, monkeypatch, no_worker):
    first = client.get("/data/partnerships.json")
    Partner.objects.filter(slug="warsaw").update(name_de="Warszawa")
    ContentChange.touch()
    during = []
    write_documents = files.write_documents

    def write_and_ask(folder, version):
        write_documents(folder, version)
        # The new files are complete in their folder, not yet the current ones.
        during.append(client.get("/data/partnerships.json"))

    monkeypatch.setattr(files, "write_documents", write_and_ask)
    files.write_current()

    (response,) = during
    assert response["ETag"] == first["ETag"]
    assert body(response) == body(first)
    after = client.get("/data/partnerships.json")
    assert after["ETag"] != first["ETag"] and "Warszawa" in body(after).decode()


def test_a_download_begun_before_a_rewrite_reads_the_previous_file_to_its_end(demo):
    files.write_current()
    _edition, file = files.open_current(files.CSV)
    first_line = file.readline()
    for name in ("Warschau (erste)", "Warschau (zweite)"):  # two writes: the first folder goes
        Partner.objects.filter(slug="warsaw").update(name_de=name)
        ContentChange.touch()
        files.write_current()

    with file:
        rest = file.read().decode()
    assert first_line.startswith(b"slug,")
    assert ",Warschau," in rest and "(erste)" not in rest and "(zweite)" not in rest


def test_a_write_that_fails_leaves_the_current_files(client, demo, monkeypatch):
    first = client.get("/data/partnerships.csv")
    ContentChange.touch()

    def fail(folder, version):
        (folder / files.CSV.file_name).write_text("slug,half a fi")
        raise OSError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr(files, "write_documents", fail)
        with pytest.raises(OSError):
            files.write_current()
        assert files.current_edition().content_id == first["ETag"].strip('"')

    def unfinished():
        return [p for p in files.root().iterdir() if p.name.startswith(files.UNFINISHED_PREFIX)]

    assert unfinished() == []
    # What a writer that was killed half-way leaves: cleared by the next write.
    (files.root() / f"{files.UNFINISHED_PREFIX}{'0' * 16}").mkdir()
    files.write_current()
    assert unfinished() == []


def test_only_the_current_and_the_previous_files_are_kept(demo):
    editions = []
    for _change in range(4):
        ContentChange.touch()
        editions.append(files.write_current().name)
    (files.root() / "notes.txt").write_text("not ours")

    ContentChange.touch()
    editions.append(files.write_current().name)

    names = {path.name for path in files.root().iterdir()}
    assert names == {editions[-1], editions[-2], "current", ".lock", "notes.txt"}


# --- the command ---


def test_the_command_writes_the_files_unless_they_are_up_to_date(demo, writes):
    out = io.StringIO()
    call_command("write_open_data", stdout=out)
    call_command("write_open_data", stdout=out)
    call_command("write_open_data", "--force", stdout=out)

    assert len(writes) == 2
    written, up_to_date, forced = out.getvalue().splitlines()
    # In the site's language, German (a command speaks settings.LANGUAGE_CODE).
    assert written.startswith("Geschrieben: ") and up_to_date.startswith("Bereits aktuell: ")
    assert forced.startswith("Geschrieben: ") and forced != written
