"""The round trip with translators: XLIFF 1.2 out, translated by a tool, back in as one import
that History shows and Undo takes back; and every file that is refused, with nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from lxml import etree
from reversion.models import Version
from translate.storage import xliff as toolkit

from partnerships.models import Milestone, Page, Partner, Relationship, RelationshipKind
from partnerships.transfer.changes import undo
from partnerships.transfer.models import ChangeSet, ObjectChange
from partnerships.translating.fields import target_languages, translated_models
from partnerships.translating.models import TranslationUpload
from partnerships.translating.xliff import XLIFF_NAMESPACE, XliffRefused, export, import_file

from .adminforms import make_editor
from .test_translation_status import state

pytestmark = pytest.mark.django_db
NS = {"x": XLIFF_NAMESPACE}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def haifa(demo):
    """Haifa with its Hebrew texts missing, whatever the demo has in Hebrew."""
    partner = Partner.objects.get(slug="haifa")
    partner.description_he = ""
    partner.name_he = ""
    partner.save()
    return partner


def units(data):
    return {unit.get("id"): unit for unit in etree.fromstring(data).iterfind(".//x:trans-unit", NS)}


def translated_by_a_tool(data, translations):
    """What a translator's tool sends back: the file with targets filled in (translate-toolkit,
    as the agency's tools are not at hand)."""
    store = toolkit.xlifffile.parsestring(data)
    for unit in store.units:
        unit_id = unit.xmlelement.get("id")  # getid() prefixes the file's name
        if unit_id in translations:
            unit.target = translations[unit_id]
    return bytes(store)


def write_file(tmp_path, data, name="he.xlf"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def content_snapshot():
    """Every translated column of every object, to see that a refused file wrote nothing."""
    return {
        model: list(model._base_manager.order_by("pk").values()) for model in translated_models()
    }


# --- export ---


def test_export_is_xliff_1_2_with_source_target_note_and_length(demo):
    warsaw = Partner.objects.get(slug="warsaw")
    data = export("en")
    root = etree.fromstring(data)
    assert root.tag == f"{{{XLIFF_NAMESPACE}}}xliff" and root.get("version") == "1.2"
    (file_element,) = root.iterfind("x:file", NS)
    assert file_element.get("source-language") == "de"
    assert file_element.get("target-language") == "en"

    unit = units(data)[f"partnerships.partner/{warsaw.pk}/name"]
    assert unit.find("x:source", NS).text == warsaw.name_de
    assert unit.find("x:target", NS).text == warsaw.name_en
    assert unit.get("maxwidth") == "200" and unit.get("size-unit") == "char"
    assert unit.get("extradata").startswith("sha256:")
    note = unit.find("x:note", NS).text
    assert str(warsaw) in note and "name" in note
    # A text field has no length limit; a rich text says it is HTML.
    description = units(data)[f"partnerships.partner/{warsaw.pk}/description"]
    assert description.get("maxwidth") is None and description.get("datatype") == "html"
    # Every model's texts are in it.
    assert any(key.startswith("partnerships.page/") for key in units(data))
    assert any(key.startswith("partnerships.relationshipkind/") for key in units(data))


def test_export_only_missing_or_outdated(haifa):
    warsaw = Partner.objects.get(slug="warsaw")
    warsaw.description_de = "Geändert."
    warsaw.save()

    missing = units(export("he", {"missing"}))
    assert f"partnerships.partner/{haifa.pk}/description" in missing
    assert f"partnerships.partner/{warsaw.pk}/description" not in units(export("en", {"missing"}))

    outdated = units(export("en", {"outdated"}))
    unit = outdated[f"partnerships.partner/{warsaw.pk}/description"]
    assert unit.find("x:target", NS).get("state") == "needs-review-translation"
    assert f"partnerships.partner/{warsaw.pk}/name" not in outdated


def test_the_export_command_writes_a_file(haifa, tmp_path):
    path = tmp_path / "he.xlf"
    call_command("export_translations", "--language", "he", "--only", "missing", "--output", path)
    assert f"partnerships.partner/{haifa.pk}/description" in units(path.read_bytes())


def test_the_export_command_refuses_an_unknown_language_or_state(db):
    with pytest.raises(CommandError, match="xx"):
        call_command("export_translations", "--language", "xx")
    with pytest.raises(CommandError, match="wrong"):
        call_command("export_translations", "--language", "en", "--only", "wrong")
    with pytest.raises(CommandError):
        call_command("export_translations", "--language", "de")


def test_export_costs_a_bounded_number_of_queries(demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(3 * len(translated_models())):
        export("en")


# --- the round trip ---


def test_export_translate_import_shows_on_the_site_in_history_and_undo_restores(
    haifa, client, tmp_path, capsys
):
    data = export("he", {"missing"})
    description_id = f"partnerships.partner/{haifa.pk}/description"
    name_id = f"partnerships.partner/{haifa.pk}/name"
    filled = translated_by_a_tool(
        data, {description_id: "עיר נמל לחוף הים התיכון.", name_id: "חיפה"}
    )
    path = write_file(tmp_path, filled)
    assert state(haifa, "description", "he") == "missing"

    call_command("import_translations", str(path), "--dry-run")
    assert "עיר נמל" in capsys.readouterr().out
    haifa.refresh_from_db()
    assert not haifa.description_he and not ChangeSet.objects.exists()

    call_command("import_translations", str(path))

    haifa.refresh_from_db()
    assert haifa.description_he == "עיר נמל לחוף הים התיכון."
    assert state(haifa, "description", "he") == "translated"
    with translation.override("he"):
        page_url = reverse("partnerships:partner-detail", args=[haifa.slug])
    page = client.get(page_url).content.decode()
    assert "עיר נמל לחוף הים התיכון." in page
    # One change set, one revision in History, with each text's before and after.
    change_set = ChangeSet.objects.get()
    assert change_set.counts["translations"] == {"language": "he", "texts": 2, "objects": 1}
    change = ObjectChange.objects.get(change_set=change_set)
    assert change.fields["description_he"] == ["", "עיר נמל לחוף הים התיכון."]
    version = Version.objects.get_for_object(haifa).get()
    assert version.revision == change_set.revision
    assert "Hebrew" in version.revision.comment

    undo(change_set)

    haifa.refresh_from_db()
    assert haifa.description_he == "" and haifa.name_he == ""
    assert state(haifa, "description", "he") == "missing"
    assert "עיר נמל" not in client.get(page_url).content.decode()
    assert Version.objects.get_for_object(haifa).count() == 2  # the undo is in History too


def test_texts_of_every_model_come_back_and_undo_reaches_them(demo):
    page = Page.objects.get(key="imprint")
    kind = RelationshipKind.objects.order_by("pk").first()
    milestone = Milestone.objects.order_by("pk").first()
    for obj, column in [(page, "title_he"), (kind, "name_he"), (milestone, "note_he")]:
        setattr(obj, column, "")
        obj.save()
    data = export("he", {"missing"})
    filled = translated_by_a_tool(
        data,
        {
            f"partnerships.page/{page.pk}/title": "פרטי האתר",
            f"partnerships.relationshipkind/{kind.pk}/name": "עיר תאומה",
            f"partnerships.milestone/{milestone.pk}/note": "הסכם",
        },
    )
    plan, change_set = import_file(filled, "he.xlf")
    assert len(plan.changes) == 3 and change_set
    page.refresh_from_db()
    assert page.title_he == "פרטי האתר"
    assert Version.objects.get_for_object(page).get().revision == change_set.revision
    relationship = milestone.relationship
    assert Version.objects.get_for_object(relationship.partner).get().revision == (
        change_set.revision
    )

    plan = undo(change_set)

    assert plan.kept == []
    page.refresh_from_db()
    kind.refresh_from_db()
    milestone.refresh_from_db()
    assert (page.title_he, kind.name_he, milestone.note_he) == ("", "", "")


def test_an_unchanged_target_confirms_an_outdated_translation(demo):
    warsaw = Partner.objects.get(slug="warsaw")
    warsaw.description_de = "Geändert."
    warsaw.save()
    assert state(warsaw, "description") == "outdated"

    plan, change_set = import_file(export("en", {"outdated"}), "en.xlf")

    assert change_set is None and plan.confirmed
    assert state(warsaw, "description") == "translated"


def test_html_in_targets_is_sanitised(haifa):
    unit_id = f"partnerships.partner/{haifa.pk}/description"
    filled = translated_by_a_tool(
        export("he", {"missing"}),
        {unit_id: '<p onclick="x()">חיפה<script>alert(1)</script></p>'},
    )
    import_file(filled, "he.xlf")
    haifa.refresh_from_db()
    assert haifa.description_he == "<p>חיפה</p>"


# --- refused, with nothing written ---


def refused(data, language=None):
    before = content_snapshot()
    with pytest.raises(XliffRefused) as refusal:
        plan, _change_set = import_file(data, "file.xlf", language=language)
        if plan.refused:
            raise XliffRefused("; ".join(r.reason for r in plan.refusals))
    assert content_snapshot() == before
    assert not ChangeSet.objects.exists()
    return str(refusal.value)


def test_a_unit_whose_object_is_gone_is_refused(haifa):
    relationship = Relationship.objects.exclude(summary_de="").first()
    relationship.summary_he = ""
    relationship.save()
    unit_id = f"partnerships.relationship/{relationship.pk}/summary"
    filled = translated_by_a_tool(
        export("he", {"missing"}),
        {unit_id: "סיכום", f"partnerships.partner/{haifa.pk}/name": "חיפה"},
    )
    relationship.delete()
    assert "no longer exists" in refused(filled)


def test_units_whose_german_text_changed_are_refused_and_listed(haifa):
    warsaw = Partner.objects.get(slug="warsaw")
    warsaw.description_en = ""
    warsaw.save()
    data = export("en", {"missing"})
    filled = translated_by_a_tool(
        data, {f"partnerships.partner/{warsaw.pk}/description": "Capital of Poland."}
    )
    warsaw.description_de = "Neu geschrieben."
    warsaw.save()

    message = refused(filled)
    assert "German text changed" in message
    plan, _none = import_file(filled, "en.xlf")
    assert [r.source for r in plan.source_changed] == ["Neu geschrieben."]


def test_a_target_longer_than_the_field_is_refused(haifa):
    filled = translated_by_a_tool(
        export("he", {"missing"}), {f"partnerships.partner/{haifa.pk}/name": "א" * 201}
    )
    assert "201 characters" in refused(filled)


def test_a_file_for_another_language_is_refused(haifa, tmp_path):
    filled = translated_by_a_tool(
        export("he", {"missing"}), {f"partnerships.partner/{haifa.pk}/name": "חיפה"}
    )
    assert "not English" in refused(filled, language="en")
    with pytest.raises(CommandError, match="not English"):
        call_command("import_translations", str(write_file(tmp_path, filled)), "--language", "en")
    # A language the site does not offer.
    other = filled.replace(b'target-language="he"', b'target-language="fr"')
    assert "does not offer" in refused(other)


def test_a_target_language_as_a_tool_writes_it_is_understood(haifa):
    filled = translated_by_a_tool(
        export("he", {"missing"}), {f"partnerships.partner/{haifa.pk}/name": "חיפה"}
    )
    plan, _change_set = import_file(filled.replace(b'"he"', b'"he-IL"'), "he.xlf")
    assert plan.language == "he" and not plan.refused


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<xliff version='1.2'><file", "not well-formed XML"),
        (b"slug;name_de\nwarsaw;Warschau\n", "not well-formed XML"),
        (b"<?xml version='1.0'?><html><body/></html>", "not XLIFF"),
        (
            b"<xliff xmlns='urn:oasis:names:tc:xliff:document:2.0' version='2.0'/>",
            "XLIFF 2.0",
        ),
    ],
)
def test_a_file_that_is_not_xliff_is_refused(db, data, message, tmp_path):
    assert message in refused(data)
    with pytest.raises(CommandError, match=message):
        call_command("import_translations", str(write_file(tmp_path, data)))


def test_the_command_lists_every_refused_unit_and_writes_nothing(haifa, tmp_path, capsys):
    filled = translated_by_a_tool(
        export("he", {"missing"}), {f"partnerships.partner/{haifa.pk}/name": "א" * 300}
    )
    data = filled.replace(f"partner/{haifa.pk}/description".encode(), b"partner/999999/description")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_translations", str(write_file(tmp_path, data)))
    errors = capsys.readouterr().err
    assert "300 characters" in errors and "partnerships.partner/999999/description" in errors


# --- in the admin ---


@pytest.fixture
def editor(client, demo):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(make_editor())
    return client


def test_the_status_page_counts_and_links_each_language(editor, django_assert_max_num_queries):
    url = reverse("admin:translating_translationstamp_changelist")
    untranslated = Page.objects.get(key="overview")
    untranslated.title_he = ""
    untranslated.save()
    editor.get(url)
    with django_assert_max_num_queries(12 + 3 * len(translated_models())):
        response = editor.get(url + "?language=he")
    assert response.status_code == 200
    html = response.content.decode()
    for language in target_languages():
        assert f'id="status-{language}"' in html
    assert "?translation=missing-he" in html
    assert reverse("admin:partnerships_page_change", args=[untranslated.pk]) in html


def test_the_content_lists_filter_missing_and_outdated(editor, haifa):
    url = reverse("admin:partnerships_partner_changelist")
    response = editor.get(url + "?translation=missing-he")
    assert response.status_code == 200
    assert haifa in list(response.context["cl"].result_list)
    warsaw = Partner.objects.get(slug="warsaw")
    warsaw.description_de = "Geändert."
    warsaw.save()
    outdated = list(editor.get(url + "?translation=outdated-en").context["cl"].result_list)
    assert outdated == [warsaw]


def test_the_admin_exports_previews_and_imports(editor, haifa):
    response = editor.get(
        reverse("admin:translating_export"), {"language": "he", "only": ["missing"]}
    )
    assert response["Content-Disposition"].startswith('attachment; filename="translations-he')
    filled = translated_by_a_tool(
        response.content, {f"partnerships.partner/{haifa.pk}/name": "חיפה"}
    )
    upload = SimpleUploadedFile("he.xlf", filled, content_type="application/x-xliff+xml")

    response = editor.post(
        reverse("admin:translating_import"), {"language": "he", "xliff_file": upload}
    )
    preview_url = response["Location"]
    preview = editor.get(preview_url)
    assert "חיפה" in preview.content.decode() and preview.context["plan"].changes
    haifa.refresh_from_db()
    assert haifa.name_he == ""  # only previewed

    response = editor.post(preview_url)

    change_set = ChangeSet.objects.get()
    assert response["Location"] == reverse("admin:transfer_changeset_change", args=[change_set.pk])
    haifa.refresh_from_db()
    assert haifa.name_he == "חיפה"
    assert not TranslationUpload.objects.exists()
    assert "Translations into Hebrew" in editor.get(response["Location"]).content.decode()


def test_the_admin_shows_why_a_file_is_refused(editor, haifa):
    filled = translated_by_a_tool(
        export("he", {"missing"}), {f"partnerships.partner/{haifa.pk}/name": "א" * 300}
    )
    upload = SimpleUploadedFile("he.xlf", filled)
    response = editor.post(
        reverse("admin:translating_import"), {"language": "he", "xliff_file": upload}
    )
    assert response.status_code == 200
    assert "300 characters" in response.content.decode()
    assert not TranslationUpload.objects.exists() and not ChangeSet.objects.exists()

    upload = SimpleUploadedFile("he.xlf", b"not xml")
    response = editor.post(
        reverse("admin:translating_import"),
        {"language": "he", "xliff_file": upload},
        follow=True,
    )
    assert "not well-formed XML" in response.content.decode()


def test_confirming_after_the_texts_changed_writes_nothing(editor, haifa):
    filled = translated_by_a_tool(
        export("he", {"missing"}), {f"partnerships.partner/{haifa.pk}/name": "חיפה"}
    )
    upload = SimpleUploadedFile("he.xlf", filled)
    preview_url = editor.post(
        reverse("admin:translating_import"), {"language": "he", "xliff_file": upload}
    )["Location"]
    haifa.name_he = "חיפה!"
    haifa.save()

    response = editor.post(preview_url)

    assert response.status_code == 200 and not ChangeSet.objects.exists()
    haifa.refresh_from_db()
    assert haifa.name_he == "חיפה!"


def test_undo_of_a_new_translation_brings_back_the_outdated_one(demo):
    warsaw = Partner.objects.get(slug="warsaw")
    old_english = warsaw.description_en
    warsaw.description_de = "Geändert."
    warsaw.save()
    unit_id = f"partnerships.partner/{warsaw.pk}/description"
    filled = translated_by_a_tool(export("en", {"outdated"}), {unit_id: "Changed."})
    _plan, change_set = import_file(filled, "en.xlf")
    assert state(warsaw, "description") == "translated"

    undo(change_set)

    warsaw.refresh_from_db()
    assert warsaw.description_en == old_english
    assert state(warsaw, "description") == "outdated"
