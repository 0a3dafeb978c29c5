"""The pages the law asks of a German public body's site (issue 14): Easy Language and sign
language linked from the start page, an accessibility statement after the EU model, a privacy
statement and a complete imprint, each built from fields that cannot be left out.

Text is checked in English (msgids) or as the demo wrote it; the admin follows Accept-Language.
"""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from partnerships.models import AccessibilityStatement, Imprint, InaccessiblePart, Page

from .adminforms import change_form_data, make_editor

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def url(name, language, *args):
    with translation.override(language):
        return reverse(f"partnerships:{name}", args=args)


def get(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200, path
    return response.content.decode()


def main(html):
    return html[html.index("<main") : html.index("</main>")]


# --- The start page links to Easy Language and sign language, with their symbols ---


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_start_page_links_easy_language_and_sign_language(client, demo, language):
    html = main(get(client, url("overview", language)))
    links = re.search(r'<nav class="access-links"[^>]*>(.*?)</nav>', html, re.S).group(1)
    for name, icon in [
        ("easy-language", "easy-language.svg"),
        ("sign-language", "sign-language.svg"),
    ]:
        link = re.search(rf'<a href="{re.escape(url(name, language))}">(.*?)</a>', links, re.S)
        assert link, name
        # The symbol is decoration beside its label, which names the link.
        assert f'src="/static/img/{icon}" alt=""' in link.group(1)
        assert re.search(r"<span>[^<]+</span>", link.group(1))
    with translation.override("en"):
        english = main(get(client, url("overview", "en")))
    assert "<span>Easy Language</span>" in english and "<span>Sign language (DGS)</span>" in english


def test_every_page_links_every_legal_page_in_its_footer(client, demo):
    for name in ["overview", "directory", *Page.LEGAL_PAGES]:
        html = get(client, url(name, "en"))
        footer = html[html.index('<footer class="site-footer">') :]
        for key in Page.LEGAL_PAGES:
            assert f'href="{url(key, "en")}"' in footer, (name, key)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_fixed_page_whose_texts_were_never_written_is_shown_under_its_name(client, language):
    # A new installation without the demo: no page texts, no statement, no imprint, no video.
    # Every footer links these pages, so none of them may answer 404.
    assert not Page.objects.exists()
    for key in Page.LINKED_FROM_EVERY_PAGE:
        html = main(get(client, url(key, language)))
        with translation.override(language):
            name = escape(str(Page.Key(key).label))
        assert re.search(rf"<h1>{re.escape(name)}</h1>", html), (key, language)
    privacy = main(get(client, url("privacy", language)))
    assert 'id="retention-heading"' in privacy
    assert not Page.objects.exists()  # shown, not created


def test_the_icons_are_our_own_svg_files(client):
    from django.contrib.staticfiles import finders

    for icon in ("easy-language.svg", "sign-language.svg"):
        text = open(finders.find(f"img/{icon}"), encoding="utf-8").read()
        assert text.startswith("<svg") and "href" not in text  # nothing loaded from elsewhere


# --- Easy Language ---


def test_the_easy_language_page_explains_the_site_its_use_and_the_statement(client, demo):
    html = main(get(client, url("easy-language", "de")))
    for heading in ("Was steht auf dieser Internet-Seite?", "So benutzen Sie", "Barriere-Freiheit"):
        assert heading in html
    # Polish has no Easy Language text: the German one, marked and noted as such.
    html = main(get(client, url("easy-language", "pl")))
    assert '<div lang="de" dir="ltr"><h2>Was steht auf dieser Internet-Seite?' in html
    assert 'class="fallback-note"' in html


def test_the_easy_language_text_is_edited_in_the_admin_and_cleaned(client, demo):
    page = Page.objects.get(key=Page.Key.EASY_LANGUAGE)
    editor = make_editor()
    client.force_login(editor)
    change = reverse("admin:partnerships_page_change", args=[page.pk])
    data = change_form_data(
        client.get(change),
        body_de="<h2>Neu</h2><p>Ein Satz.</p><script>alert(1)</script>",
    )
    assert client.post(change, data).status_code == 302
    client.logout()
    html = main(get(client, url("easy-language", "de")))
    assert "<h2>Neu</h2><p>Ein Satz.</p>" in html and "<script>" not in html


# --- The accessibility statement, built from its facts ---


def test_the_statement_has_every_part_of_the_eu_model(client, demo):
    statement = AccessibilityStatement.objects.get()
    with translation.override("en"):
        html = main(get(client, url("accessibility", "en")))
    for heading in (
        "Compliance status",
        "Non-accessible content",
        "Preparation of this statement",
        "Feedback and contact details",
        "Enforcement procedure",
    ):
        assert f">{heading}</h2>" in html
    assert "is partially compliant" in html
    part = InaccessiblePart.objects.get()
    assert part.description_en in html and part.alternative_en in html
    assert "not compliant with the requirements" in html  # the reason
    assert "30 November 2026" in html or "Nov. 30, 2026" in html  # made and reviewed
    assert "self-assessment" in html
    assert f'href="mailto:{statement.feedback_email}"' in html
    assert escape(statement.arbitration_body_en) in html and "Fürstenwall 25" in html
    # The "contact details below" are there now; the old text that promised them is gone.
    assert "unten genannten" not in get(client, url("accessibility", "de"))


def test_a_fully_compliant_statement_lists_no_barriers(client, demo):
    AccessibilityStatement.objects.update(status="full")
    InaccessiblePart.objects.all().delete()
    with translation.override("en"):
        html = main(get(client, url("accessibility", "en")))
    assert "is fully compliant" in html and "Non-accessible content" not in html


@pytest.fixture
def editor_client(client, demo):
    client.force_login(make_editor())
    return client


def statement_form(client):
    statement = AccessibilityStatement.objects.get()
    change = reverse("admin:partnerships_accessibilitystatement_change", args=[statement.pk])
    return change, change_form_data(client.get(change, HTTP_ACCEPT_LANGUAGE="en"))


def post_statement(client, change, data):
    response = client.post(change, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, "the form should have come back with an error"
    return response


@pytest.mark.parametrize(
    "field",
    [
        "status",
        "prepared_on",
        "reviewed_on",
        "method",
        "feedback_email",
        "arbitration_body_de",
        "arbitration_address_de",
    ],
)
def test_no_required_part_of_the_statement_can_be_left_out(editor_client, field):
    change, data = statement_form(editor_client)
    data[field] = ""
    response = post_statement(editor_client, change, data)
    assert field in response.context["adminform"].form.errors
    assert AccessibilityStatement.objects.get().feedback_email  # nothing saved


def test_a_statement_not_fully_compliant_names_what_is_not_accessible(editor_client):
    change, data = statement_form(editor_client)
    data["parts-0-DELETE"] = "on"
    response = post_statement(editor_client, change, data)
    errors = response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert "must name at least one part that is not accessible" in errors[0]
    assert InaccessiblePart.objects.exists()


def test_a_fully_compliant_statement_cannot_list_barriers(editor_client):
    change, data = statement_form(editor_client)
    data["status"] = "full"
    response = post_statement(editor_client, change, data)
    errors = response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert "has no parts that are not accessible" in errors[0]


def test_a_part_needs_its_description_and_reason(editor_client):
    change, data = statement_form(editor_client)
    data["parts-0-reason"] = ""
    data["parts-0-description_de"] = ""
    response = post_statement(editor_client, change, data)
    form_errors = response.context["inline_admin_formsets"][0].formset.errors[0]
    assert {"reason", "description_de"} <= set(form_errors)


def test_the_review_cannot_be_before_the_statement_was_made(editor_client):
    change, data = statement_form(editor_client)
    data["prepared_on"], data["reviewed_on"] = "2026-11-30", "2026-01-01"
    response = post_statement(editor_client, change, data)
    assert "reviewed_on" in response.context["adminform"].form.errors


def test_the_statement_is_saved_and_shown_at_once(editor_client, client):
    change, data = statement_form(editor_client)
    data["arbitration_body_en"] = "Arbitration board of the state"
    assert editor_client.post(change, data).status_code == 302
    editor_client.logout()
    assert "Arbitration board of the state" in get(client, url("accessibility", "en"))


def test_the_statement_and_imprint_are_one_row_each_and_never_deleted(editor_client):
    for model in ("accessibilitystatement", "imprint"):
        row = {"accessibilitystatement": AccessibilityStatement, "imprint": Imprint}[model]
        pk = row.objects.get().pk
        listing = editor_client.get(reverse(f"admin:partnerships_{model}_changelist"))
        assert listing.url == reverse(f"admin:partnerships_{model}_change", args=[pk])
        add = editor_client.get(reverse(f"admin:partnerships_{model}_add"))
        assert add.url == listing.url
        delete = reverse(f"admin:partnerships_{model}_delete", args=[pk])
        assert editor_client.post(delete, {"post": "yes"}).status_code == 403
        assert row.objects.filter(pk=pk).exists()


def test_the_page_text_admin_links_to_the_facts(editor_client):
    page = Page.objects.get(key=Page.Key.ACCESSIBILITY)
    html = editor_client.get(reverse("admin:partnerships_page_change", args=[page.pk])).content
    assert reverse("admin:partnerships_accessibilitystatement_changelist").encode() in html


# --- The imprint (§ 5 DDG, § 18 MStV) ---


def test_the_imprint_shows_every_field_a_public_body_must_give(client, demo):
    imprint = Imprint.objects.get()
    html = main(get(client, url("imprint", "de")))
    for value in (
        imprint.publisher_de,
        imprint.legal_form_de,
        imprint.representative_de,
        imprint.street,
        f"{imprint.postal_code} {imprint.city}",
        imprint.phone,
        f'href="mailto:{imprint.email}"',
        imprint.supervisory_authority_de,
        "Cecilienallee 2<br>40474 Düsseldorf",
        imprint.responsible_for_content_de,
    ):
        assert value in html, value
    english = main(get(client, url("imprint", "en")))
    assert imprint.legal_form_en in english and imprint.supervisory_authority_en in english
    assert imprint.publisher_he in main(get(client, url("imprint", "he")))
    # Polish falls back to German, marked as such.
    polish = main(get(client, url("imprint", "pl")))
    assert f'<strong lang="de" dir="ltr">{imprint.publisher_de}</strong>' in polish


@pytest.mark.parametrize(
    "field",
    [
        "publisher_de",
        "legal_form_de",
        "representative_de",
        "street",
        "postal_code",
        "city",
        "email",
        "phone",
        "supervisory_authority_de",
        "supervisory_address_de",
        "responsible_for_content_de",
    ],
)
def test_no_field_the_law_requires_can_be_left_out_of_the_imprint(editor_client, field):
    imprint = Imprint.objects.get()
    change = reverse("admin:partnerships_imprint_change", args=[imprint.pk])
    data = change_form_data(editor_client.get(change))
    data[field] = ""
    response = editor_client.post(change, data)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors


def test_the_office_e_mail_is_required_and_in_the_contact_block(client, demo, editor_client):
    from partnerships.models import Office

    office = Office.objects.get()
    html = main(get(client, url("overview", "de")))
    contact = html[html.index('<section class="contact"') :]
    assert f'<a href="mailto:{office.email}" dir="ltr">{office.email}</a>' in contact
    change = reverse("admin:partnerships_office_change", args=[office.pk])
    data = change_form_data(editor_client.get(change), email="")
    response = editor_client.post(change, data)
    assert response.status_code == 200 and "email" in response.context["adminform"].form.errors


# --- Privacy statement ---


def test_the_privacy_statement_names_what_the_software_processes(client, demo, settings):
    settings.FEEDBACK_RETENTION_DAYS = 45
    html = main(get(client, url("privacy", "de")))
    for processed in ("IP-Adresse", "nginx", "gunicorn", "sessionid", "csrftoken", "Barriere"):
        assert processed in html
    with translation.override("en"):
        english = main(get(client, url("privacy", "en")))
    assert "deleted 45 days after they arrive" in english
    assert "at the latest after 14 days" in english


# --- hreflang, fallback, page cache ---


@pytest.mark.parametrize("name", Page.LEGAL_PAGES)
def test_each_legal_page_has_hreflang_for_every_language(client, demo, name):
    html = get(client, url(name, "en"))
    for language in LANGUAGES:
        alternate = f"http://testserver{url(name, language)}"
        assert f'<link rel="alternate" hreflang="{language}" href="{alternate}">' in html


@pytest.mark.parametrize("name", Page.LEGAL_PAGES)
def test_each_legal_page_goes_through_the_page_cache(client, demo, name):
    path = url(name, "en")
    assert client.get(path)["X-Page-Cache"] == "miss"
    assert client.get(path)["X-Page-Cache"] == "hit"


def test_a_change_to_the_facts_renews_the_cached_pages(client, demo):
    path = url("imprint", "de")
    client.get(path)
    imprint = Imprint.objects.get()
    imprint.phone = "+49 211 1234567"
    imprint.save()
    response = client.get(path)
    assert response["X-Page-Cache"] == "miss" and "+49 211 1234567" in response.content.decode()
