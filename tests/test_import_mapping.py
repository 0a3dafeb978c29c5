"""A file in an office's own headers: the admin's mapping step, the mappings it remembers, and
the command's --mapping and --save-mapping. A mapped import is previewed, all or nothing and
recorded like any other; a bad mapping is a clear message and writes nothing."""

import csv
import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from partnerships.models import Partner, Relationship
from partnerships.transfer.export import ods_bytes, xlsx_bytes
from partnerships.transfer.mapping import first_values, recall, remember, signature
from partnerships.transfer.models import ChangeSet, ImportRun, SavedMapping

from .adminforms import make_editor

pytestmark = pytest.mark.django_db

# "seit" is the German label of `since`; the other three are the office's own words.
OWN = [
    ["Stadt", "Staat", "Beziehung", "seit"],
    ["Köln", "DE", "Städtepartnerschaft", "1958"],
    ["Lyon", "FR", "", ""],
    ["Gent", "BE", "twin_city", "1961"],
]
CHOICES = {"column_1": "name_de", "column_2": "country", "column_3": "relationship"}


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def importer(client, demo):
    client.force_login(make_editor("importer"))
    return client


def csv_bytes(rows):
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    return out.getvalue().encode("utf-8")


def upload(client, rows=OWN, name="liste.csv"):
    return client.post(
        reverse("admin:partnerships_partner_import"),
        {"import_file": SimpleUploadedFile(name, csv_bytes(rows))},
        follow=True,  # to the file's page (tasks run at once in tests: checked already)
    )


def choose(client, token, choices=CHOICES, **extra):
    return client.post(
        reverse("admin:partnerships_partner_map_columns"),
        {"token": token, **choices, **extra},
        follow=True,
    )


def confirm(client, token):
    return client.post(reverse("admin:partnerships_partner_process_import"), {"token": token})


def nothing_written(partners_before):
    return (
        Partner.objects.count() == partners_before
        and not ChangeSet.objects.exists()
        and not Partner.objects.filter(name_de__in=["Köln", "Lyon", "Gent"]).exists()
    )


# --- the mapping step ---


def test_unknown_headers_get_a_mapping_step_with_their_first_values(importer):
    partners = Partner.objects.count()

    response = upload(importer)

    assert response.status_code == 200
    form = response.context["mapping_form"]
    assert [field.label for field, _values in form.columns()] == ["Stadt", "Staat", "Beziehung"]
    assert [values for _field, values in form.columns()] == [
        ["Köln", "Lyon", "Gent"],
        ["DE", "FR", "BE"],
        ["Städtepartnerschaft", "twin_city"],  # the empty cell is no example
    ]
    page = response.content.decode()
    assert "The import knows these headers already: seit → since." in page
    assert '<option value="-" selected>ignore this column</option>' in page
    assert '<option value="name_de">Name (German) – name_de</option>' in page
    assert "<li>Lyon</li>" in page
    assert 'name="token"' in page and 'type="file"' not in page  # no upload form below it
    (run,) = ImportRun.objects.all()
    assert run.state == ImportRun.State.MAPPING and run.preview_digest == ""
    assert nothing_written(partners)


def test_a_mapped_file_is_previewed_then_confirmed_and_recorded(importer):
    token = upload(importer).context["token"]

    response = choose(importer, token)

    report = response.context["report"]
    assert report.ok, report.errors
    assert report.partners["new"] == 3 and report.relationships["new"] == 2
    page = response.content.decode()
    assert "Columns mapped: Stadt → name_de, Staat → country, Beziehung → relationship." in page
    assert 'value="Confirm import"' in page
    assert not Partner.objects.filter(name_de="Köln").exists()  # a preview writes nothing

    response = confirm(importer, response.context["token"])

    change_set = ChangeSet.objects.get()
    assert ImportRun.objects.get().change_set == change_set
    assert change_set.file_name == "liste.csv" and change_set.counts["partners"]["new"] == 3
    cologne = Partner.objects.get(name_de="Köln")
    assert cologne.country.code == "DE"
    assert cologne.relationships.get().since == "1958"
    assert bytes(ImportRun.objects.get().data) == b""


def test_a_column_can_be_ignored(importer):
    token = upload(importer).context["token"]

    response = choose(importer, token, {**CHOICES, "column_3": "-"})

    assert "Columns ignored: Beziehung." in response.content.decode()
    confirm(importer, response.context["token"])
    assert not Relationship.objects.filter(partner__name_de="Köln").exists()
    assert Partner.objects.get(name_de="Gent").country.code == "BE"


def test_the_same_headers_next_time_go_straight_to_the_preview(importer):
    confirm(importer, choose(importer, upload(importer).context["token"]).context["token"])
    # Next year's list: other rows, the columns moved, a header written in capitals.
    rows = [["seit", "STADT", "Beziehung", "Staat"], ["1962", "Nantes", "twin_city", "FR"]]

    response = upload(importer, rows, name="liste-2027.csv")

    assert "mapping_form" not in response.context
    page = response.content.decode()
    assert (
        "Columns mapped as last time: STADT → name_de, Beziehung → relationship, "
        "Staat → country." in page
    )
    assert response.context["report"].partners["new"] == 1
    confirm(importer, response.context["token"])
    assert Partner.objects.get(name_de="Nantes").country.code == "FR"
    assert SavedMapping.objects.count() == 1  # remembered once, not once per file


def test_change_goes_back_to_the_step_with_the_mapping_chosen(importer):
    token = upload(importer).context["token"]
    choose(importer, token, {**CHOICES, "column_3": "-"})

    response = choose(importer, token, {}, change="1")

    form = response.context["mapping_form"]
    assert {name: form[name].initial for name in CHOICES} == {**CHOICES, "column_3": "-"}
    response = choose(importer, token)  # now with the relationship
    confirm(importer, response.context["token"])
    assert Relationship.objects.filter(partner__name_de="Köln").exists()


def test_a_saved_mapping_that_does_not_cover_every_header_is_preselected(importer):
    remember(OWN[0], {"stadt": "Name (Deutsch)", "Staat": "country"}, None)

    response = upload(importer)

    form = response.context["mapping_form"]
    assert [form[name].initial for name in CHOICES] == ["name_de", "country", "-"]


@pytest.mark.parametrize("write", [ods_bytes, xlsx_bytes])
def test_a_spreadsheets_number_cells_show_as_the_editor_wrote_them(importer, write):
    data = write(["Stadt", "Anzahl", "Land"], [["Köln", 1084831, "DE"], ["Gent", 265086.0, "BE"]])
    name = "liste.ods" if write is ods_bytes else "liste.xlsx"

    response = importer.post(
        reverse("admin:partnerships_partner_import"),
        {"import_file": SimpleUploadedFile(name, data)},
        follow=True,
    )

    form = response.context["mapping_form"]
    assert [values for _field, values in form.columns()] == [
        ["Köln", "Gent"],
        ["1084831", "265086"],
    ]
    response = choose(
        importer, response.context["token"], {"column_1": "name_de", "column_2": "population"}
    )
    confirm(importer, response.context["token"])
    assert Partner.objects.get(name_de="Gent").population == 265086


def test_a_file_the_import_knows_has_no_mapping_step(importer):
    response = upload(importer, [["name_de", "country"], ["Köln", "DE"]])

    assert "mapping_form" not in response.context and response.context["token"]
    assert "Columns mapped" not in response.content.decode()


# --- bad mappings: a clear message, and nothing written ---


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        (
            {**CHOICES, "column_1": "-"},
            "No column would be a name, so no row could name its partner. Choose a name column "
            f"({', '.join(f'name_{code}' for code, _name in settings.LANGUAGES)}), "
            "or slug or wikidata_id",
        ),
        (
            {**CHOICES, "column_2": "name_de"},
            "“Staat” and “Stadt” would both be name_de “Name (German)”. Choose another column",
        ),
        (
            {**CHOICES, "column_3": "since"},  # "seit" is since already
            "“Beziehung” and “seit” would both be since “Since”.",
        ),
        # A forged form: a field that does not exist, a header the file does not have.
        (
            {**CHOICES, "column_1": "city"},
            "Select a valid choice. city is not one of the available choices.",
        ),
        (
            {**CHOICES, "column_9": "name_en"},
            "The form names columns the file does not have (column_9). Choose again.",
        ),
        ({"column_1": "name_de"}, "This field is required."),
    ],
)
def test_a_bad_mapping_is_refused_with_a_clear_message(importer, choices, message):
    partners = Partner.objects.count()
    token = upload(importer).context["token"]

    response = choose(importer, token, choices)

    assert response.status_code == 200
    assert not response.context["mapping_form"].is_valid()
    page = response.content.decode()
    assert message in page.replace("&quot;", '"')
    assert 'value="Confirm import"' not in page
    assert not SavedMapping.objects.exists()
    # A confirm sent anyway (by hand) finds no preview to import.
    response = confirm(importer, token)
    assert nothing_written(partners)


def test_another_users_token_is_refused(importer):
    partners = Partner.objects.count()
    token = upload(importer).context["token"]
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(make_editor("someone-else"))

    response = choose(other, token)

    assert response.redirect_chain == [(reverse("admin:partnerships_partner_import"), 302)]
    assert "This upload is no longer waiting to be imported" in response.content.decode()
    confirm(other, token)
    assert nothing_written(partners) and not SavedMapping.objects.exists()
    assert ImportRun.objects.get(token=token).state == ImportRun.State.MAPPING  # the importer's


def test_a_mapping_whose_rows_have_errors_imports_nothing_and_can_be_changed(importer):
    partners = Partner.objects.count()
    token = upload(importer).context["token"]

    response = choose(importer, token, {**CHOICES, "column_2": "population"})  # "DE"

    page = response.content.decode()
    assert "is not a whole number." in page
    # Back at the mapping step, with the errors above it and the choice kept.
    assert response.context["mapping_form"]["column_2"].value() == "population"
    assert 'value="Confirm import"' not in page
    assert ImportRun.objects.get(token=token).preview_digest == ""
    confirm(importer, token)
    assert nothing_written(partners)


def test_the_mapping_step_speaks_german(importer):
    importer.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    with translation.override("de"):
        token = upload(importer).context["token"]
        page = upload(importer).content.decode()
        refused = choose(importer, token, {**CHOICES, "column_1": "Stadt"}).content.decode()

    assert '<option value="name_de">Name (Deutsch) – name_de</option>' in page
    assert '<option value="country">Land – country</option>' in page
    assert "Bitte eine gültige Auswahl treffen. Stadt ist keine gültige Auswahl." in refused


def test_the_mapping_messages_are_german(importer):
    importer.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    with translation.override("de"):
        token = upload(importer).context["token"]
        page = choose(importer, token, {**CHOICES, "column_2": "name_de"}).content.decode()

    assert "Welche Spalte ist welche?" in page
    assert "„Staat“ und „Stadt“ wären beide name_de “Name (Deutsch)”." in page


# --- the list of saved mappings ---


def test_editors_see_the_saved_mappings_and_may_delete_one(importer):
    saved = remember(OWN[0], {"Stadt": "name_de", "Staat": None}, None, name="buero")
    url = reverse("admin:transfer_savedmapping_changelist")

    page = importer.get(url).content.decode()

    assert "buero" in page and "Stadt → name_de, Staat (ignored)" in page
    assert importer.get(reverse("admin:transfer_savedmapping_add")).status_code == 403
    delete_url = reverse("admin:transfer_savedmapping_delete", args=[saved.pk])
    assert importer.post(delete_url, {"post": "yes"}).status_code == 302
    assert not SavedMapping.objects.exists()


def test_the_signature_ignores_the_order_and_spelling_of_headers():
    assert signature(["Stadt", "Staat", ""]) == signature(["staat ", "STADT"])
    assert signature(["Stadt", "Staat"]) != signature(["Stadt", "Staat", "Bemerkung"])


def test_first_values_skip_empty_cells_and_stop_at_the_count():
    rows = enumerate([["a", ""], ["b", None], ["c", "x"], ["d", "y"]], start=2)

    assert first_values(rows, 2, count=2) == [["a", "b"], ["x", "y"]]


# --- the command: --mapping NAME and --save-mapping NAME ---


def command(tmp_path, rows, *args, name="liste.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows))
    out = io.StringIO()
    call_command("import_partnerships", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


MAP = "Stadt=name_de,Staat=country,Beziehung=relationship"


def test_command_saves_a_mapping_and_uses_it_by_name(demo, tmp_path):
    out = command(tmp_path, OWN, "--dry-run", "--map", MAP, "--save-mapping", "buero")

    assert "Mapping saved as “buero”; use it with --mapping buero." in out
    assert not Partner.objects.filter(name_de="Köln").exists()
    saved = SavedMapping.objects.get(name="buero")
    assert saved.mapping == {"Stadt": "name_de", "Staat": "country", "Beziehung": "relationship"}
    assert saved.user_name == "command line"

    command(tmp_path, OWN, "--mapping", "buero")

    assert Partner.objects.get(name_de="Köln").country.code == "DE"
    assert ChangeSet.objects.get().file_name == "liste.csv"
    # The admin recalls it for a file with the same headers.
    assert recall(["STADT", "seit", "Staat", "Beziehung"]) == saved


def test_command_map_adds_to_a_saved_mapping(demo, tmp_path):
    remember(OWN[0], {"Stadt": "name_de", "Staat": "region", "Beziehung": None}, None, "buero")

    command(tmp_path, OWN, "--mapping", "buero", "--map", "staat=country")

    assert Partner.objects.get(name_de="Köln").country.code == "DE"


def test_command_an_unknown_mapping_name_lists_the_names(demo, tmp_path):
    with pytest.raises(CommandError, match="There is no saved mapping “nope”; none is saved"):
        command(tmp_path, OWN, "--mapping", "nope")
    remember(OWN[0], {"Stadt": "name_de"}, None, name="buero")
    remember(["Ort"], {"Ort": "name_de"}, None, name="amt")

    with pytest.raises(CommandError, match=re.escape("The saved mappings are: amt, buero.")):
        command(tmp_path, OWN, "--mapping", "nope")


def test_command_saves_no_mapping_after_errors_nor_without_one(demo, tmp_path):
    with pytest.raises(CommandError, match="nothing was imported"):
        command(tmp_path, OWN, "--map", "Stadt=name_de,Staat=country", "--save-mapping", "x")
    with pytest.raises(CommandError, match="no mapping to save; give it with --map"):
        command(tmp_path, OWN, "--save-mapping", "x")

    assert not SavedMapping.objects.exists()


def test_a_file_waiting_for_its_columns_is_listed_on_the_import_page(importer):
    token = upload(importer).context["token"]

    page = importer.get(reverse("admin:partnerships_partner_import")).content.decode()

    assert reverse("admin:partnerships_partner_import_run", args=[token]) in page
    assert "waiting for its columns to be chosen" in page
