"""Every configured language for real: Hebrew whole, Polish added by configuration and
translation, one fallback note per page, numbers and dates as each reader writes them, and an
admin at home in each language (right-to-left inputs, History in the editor's words)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from partnerships import fallbacks, history, text
from partnerships.models import Imprint, Milestone, Page, Partner, Relationship, RelationshipKind

from .adminforms import change_form_data, make_editor

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def url(name, language, *args):
    with translation.override(language):
        return reverse(f"partnerships:{name}", args=args)


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def notes(html):
    return re.findall(r'<div class="fallback-note" role="note">(.*?)</div>', html, re.S)


# --- Configuration: Polish is a language like the others ---


def test_polish_is_configured_with_its_own_columns_and_catalogue():
    assert "pl" in LANGUAGES
    assert Partner._meta.get_field("name_pl")
    assert RelationshipKind._meta.get_field("section_text_pl")
    with translation.override("pl"):
        assert translation.gettext("Directory of partnerships") == "Spis partnerstw"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_links_every_configured_language(client, demo, language):
    html = get(client, url("partner-detail", language, "warsaw"))
    hreflangs = set(re.findall(r'<link rel="alternate" hreflang="([^"]+)"', html))
    assert hreflangs == {*LANGUAGES, "x-default"}
    switcher = html[html.index('class="language-switcher"') :]
    for code in LANGUAGES:
        assert f'hreflang="{code}" lang="{code}"' in switcher


def test_the_sitemap_lists_the_pages_in_every_language(client, demo):
    sitemap = client.get("/sitemap-partners.xml").content.decode()
    for code in LANGUAGES:
        assert f"/{code}/partners/warsaw/" in sitemap


# --- Hebrew is whole ---


def test_the_demo_is_whole_in_hebrew(demo):
    for page in Page.objects.all():
        assert page.title_he
        assert page.introduction_he or page.body_he
    for kind in RelationshipKind.objects.all():
        assert kind.name_he and kind.section_title_he and kind.section_text_he
    for partner in Partner.objects.all():
        assert partner.name_he and partner.description_he
    assert not Milestone.objects.filter(note_he__isnull=True).exists()
    assert not Milestone.objects.filter(note_he="").exists()
    for relationship in Relationship.objects.filter(summary_de__gt=""):
        assert relationship.summary_he


@pytest.mark.parametrize("name", ["overview", "directory", "accessibility", "imprint"])
def test_hebrew_pages_have_no_fallback(client, demo, name):
    html = get(client, url(name, "he"))
    assert notes(html) == []
    assert ' lang="de"' not in html[html.index("<main") :]


def test_hebrew_partner_page_has_no_fallback(client, demo):
    html = get(client, url("partner-detail", "he", "moscow"))
    assert notes(html) == []
    assert "השותפות מוקפאת" in html  # the relationship's summary
    assert "נחתם הסכם השותפות" in html  # a milestone


def test_the_hebrew_interface_is_translated(client, demo):
    html = get(client, url("directory", "he"))
    assert "Directory of partnerships" not in html
    assert "נמצאו 15 שותפויות" in html


# --- Polish: the partners' names, the rest in German with one note ---


def test_polish_overview_names_the_partners_in_polish_and_says_once_what_is_german(client, demo):
    html = get(client, url("overview", "pl"))
    assert '<a href="/pl/partners/warsaw/">Warszawa</a>' in html
    assert '<a href="/pl/partners/moscow/">Moskwa</a>' in html
    (note,) = notes(html)
    # Before the content it concerns, and in Polish.
    assert html.index('class="fallback-note"') < html.index("<h1")
    assert "Jeszcze nieprzetłumaczone na ten język" in note
    assert "niemiecki" in note
    assert "wprowadzenie" in note and "cytat" in note
    # A name quoted in the note keeps its language; the names of partners are not in it.
    assert '<span lang="de" dir="ltr">Partnerstädte</span>' in note
    assert "nazwy partnerów" not in note
    # Each German text keeps its own language.
    assert '<h1 lang="de" dir="ltr">Düsseldorf international</h1>' in html
    assert '<div class="introduction" lang="de" dir="ltr">' in html


def test_polish_directory_has_one_note_before_the_table(client, demo):
    html = get(client, url("directory", "pl"))
    (note,) = notes(html)
    assert "rodzaje relacji" in note
    assert html.index('class="fallback-note"') < html.index('class="directory"')
    assert '<span lang="de" dir="ltr">Städtepartnerschaft</span></td>' in html
    assert "Znaleziono 15 partnerstw" in html


def test_polish_partner_page_has_one_note_before_the_content(client, demo):
    html = get(client, url("partner-detail", "pl", "moscow"))
    (note,) = notes(html)
    assert html.index('class="fallback-note"') < html.index("<h1")
    assert "opis" in note and "Städtepartnerschaft" in note
    assert "<h1>Moskwa</h1>" in html
    assert '<div class="description" lang="de" dir="ltr">' in html
    assert '<div class="milestone-note" lang="de" dir="ltr">' in html


def test_a_right_to_left_text_in_the_note_keeps_its_direction(demo):
    """Polish falls back to German; a name shown in Hebrew (another site's chain) would be
    marked right to left inside the Polish sentence, and its text escaped."""
    kind = RelationshipKind.objects.get(code="twin_city")
    with translation.override("pl"):
        assert str(fallbacks.text_in_its_language(kind, "name")) == (
            '<span lang="de" dir="ltr">Städtepartnerschaft</span>'
        )
        assert str(fallbacks.in_language("<חיפה>", "he")) == (
            '<span lang="he" dir="rtl">&lt;חיפה&gt;</span>'
        )


IMPRINT_TEXTS = [
    "publisher",
    "legal_form",
    "representative",
    "department",
    "supervisory_authority",
    "supervisory_address",
    "responsible_for_content",
]


def test_the_note_lists_the_parts_and_goes_once_everything_is_translated(client, demo):
    Page.objects.filter(key="overview").update(introduction_he="", quote_he="")
    (note,) = notes(get(client, url("overview", "he")))
    assert "המבוא והציטוט" in note  # "the introduction and the quote", joined as in Hebrew
    assert "גרמנית" in note
    Page.objects.filter(key="imprint").update(title_he="", body_he="")
    Imprint.objects.update(**{f"{name}_he": "" for name in IMPRINT_TEXTS})
    (note,) = notes(get(client, url("imprint", "he")))
    assert "הטקסטים של דף זה טרם תורגמו" in note  # the whole page


# --- Numbers, dates and lists as the reader writes them ---


@pytest.mark.parametrize(
    ("language", "population"),
    [("de", "10.381.222"), ("en", "10,381,222"), ("he", "10,381,222"), ("pl", "10\xa0381\xa0222")],
)
def test_population_is_grouped_as_the_reader_writes_it(client, demo, language, population):
    html = get(client, url("partner-detail", language, "moscow"))
    assert f"<dd>{population}</dd>" in html
    # The structured data stays machine-readable, the same in every language.
    assert '"latitude": 55.75222' in html


@pytest.mark.parametrize(
    ("language", "date"),
    [
        ("de", "22. Juli 2004"),
        ("en", "July 22, 2004"),
        ("he", "22 ביולי 2004"),
        ("pl", "22 lipca 2004"),
    ],
)
def test_dates_are_written_as_the_reader_writes_them(client, demo, language, date):
    html = get(client, url("partner-detail", language, "chongqing"))
    assert f'<time datetime="2004-07-22">{date}</time>' in html


@pytest.mark.parametrize(
    ("language", "joined"),
    [("de", "a, b und c"), ("en", "a, b and c"), ("he", "a, b וc"), ("pl", "a, b i c")],
)
def test_lists_are_joined_as_the_reader_joins_them(language, joined):
    with translation.override(language):
        assert text.join_list(["a", "b", "c"]) == joined
        assert text.join_list(["a"]) == "a"
        assert str(text.format_list(["<a>", "b"])).startswith("&lt;a&gt;")


# --- The admin in each language ---


@pytest.fixture
def editor_client(client, demo):
    client.force_login(make_editor())
    return client


def test_translated_inputs_are_edited_in_their_languages_direction(editor_client):
    partner = Partner.objects.get(slug="warsaw")
    html = editor_client.get(
        reverse("admin:partnerships_partner_change", args=[partner.pk]), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    for code in LANGUAGES:
        direction = "rtl" if translation.get_language_info(code)["bidi"] else "ltr"
        for field in ("name", "description", "image_alt"):
            tag = re.search(rf'<(input|textarea)[^>]*name="{field}_{code}"[^>]*>', html).group(0)
            assert f'dir="{direction}"' in tag and f'lang="{code}"' in tag, tag
    # The inline relationships' summaries too.
    summary = re.search(r'<textarea[^>]*name="relationships-0-summary_he"[^>]*>', html).group(0)
    assert 'dir="rtl"' in summary
    # One labelled switch for the whole form, with each language's own name.
    assert '<label for="modeltranslation-main-switch">Sprache der Texte</label>' in html
    assert '<script id="admin-languages" type="application/json">' in html
    assert "admin-languages.js" in html


def test_german_history_names_the_changed_fields_as_the_form_does(editor_client):
    partner = Partner.objects.get(slug="warsaw")
    change = reverse("admin:partnerships_partner_change", args=[partner.pk])
    form = editor_client.get(change, HTTP_ACCEPT_LANGUAGE="en")
    response = editor_client.post(
        change,
        change_form_data(
            form, description_en="The capital.", image_credit="Foto: X", image_licence="CC0"
        ),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    history_url = reverse("admin:partnerships_partner_history", args=[partner.pk])

    german = editor_client.get(history_url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Beschreibung (Englisch), Bildnachweis und Bildlizenz geändert." in german
    assert "[en]" not in german and "Image credit" not in german
    # The same version, read by an English editor, in English.
    english = editor_client.get(history_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Changed Description (English), Image credit and Image licence." in english


def test_history_names_an_inlines_fields_and_keeps_other_comments(editor_client):
    partner = Partner.objects.get(slug="moscow")
    change = reverse("admin:partnerships_partner_change", args=[partner.pk])
    form = editor_client.get(change)
    response = editor_client.post(
        change, change_form_data(form, **{"relationships-0-summary_pl": "Zawieszona."})
    )
    assert response.status_code == 302
    comment = Version.objects.get_for_object(partner).first().revision.comment
    with translation.override("de"):
        assert history.describe_change(comment) == (
            "Zusammenfassung (Polnisch) für Beziehung „Moskau – Städtepartnerschaft“ geändert."
        )
    # A comment that is not a change message (an import's) is shown as it is.
    assert history.describe_change("Import #3 of a.csv") == "Import #3 of a.csv"


# --- The interface catalogues ---


def untranslated_entries(path):
    """The msgids of a PO file without a translation, or marked fuzzy (which gettext ignores)."""
    missing = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', "\n".join(lines[:3]), re.M)[:1])
        translations, current = [], None
        for line in lines:
            if line.startswith("msgstr"):
                current = re.search(r'"(.*)"$', line).group(1)
                translations.append(current)
            elif line.startswith('"') and translations:
                translations[-1] += line.strip('"')
        is_header = 'msgid ""\nmsgstr ""\n"Project-Id' in block or '"Language:' in block
        if not translations or is_header:
            continue
        if any("fuzzy" in line for line in lines if line.startswith("#,")) or not all(translations):
            missing.append(msgid or block)
    return missing


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_interface_text_is_translated(language):
    """English is the catalogues' own language; every other one translates every text."""
    catalogue = settings.LOCALE_PATHS[0] / language / "LC_MESSAGES" / "django.po"
    assert untranslated_entries(catalogue) == []
