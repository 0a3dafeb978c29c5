"""Security: inert rich text, security headers, login throttling, the editors' limits, bandit."""

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from partnerships.models import Page, Partner, Relationship, RelationshipKind
from partnerships.sanitize import clean_rich_text
from partnerships.templatetags.rich_text import rich_text

from .adminforms import change_form_data, make_editor

ROOT = Path(__file__).resolve().parent.parent

XSS_PAYLOADS = [
    "<script>alert('xss')</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert('xss')>",
    "<svg onload=alert('xss')>",
    "<svg><script>alert('xss')</script></svg>",
    "<a href=\"javascript:alert('xss')\">click</a>",
    "<a href=\"JaVaScRiPt:alert('xss')\">click</a>",
    "<a href=\"&#106;avascript:alert('xss')\">click</a>",
    "<a href=\" \tjavascript:alert('xss')\">click</a>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzJyk8L3NjcmlwdD4=">x</a>',
    "<a href=\"vbscript:msgbox('xss')\">x</a>",
    "<iframe src=\"javascript:alert('xss')\"></iframe>",
    "<iframe srcdoc=\"<script>alert('xss')</script>\"></iframe>",
    "<body onload=alert('xss')>",
    "<p style=\"background:url(javascript:alert('xss'))\">styled</p>",
    "<div onmouseover=\"alert('xss')\">hover</div>",
    "\"><script>alert('xss')</script>",
    "</textarea><script>alert('xss')</script>",
    "<scr<script>ipt>alert('xss')</script>",
    "<object data=\"javascript:alert('xss')\"></object>",
    "<embed src=\"data:text/html,<script>alert('xss')</script>\">",
    "<form action=\"javascript:alert('xss')\"><button>go</button></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss')>",
    "<!--<img src=\"--><img src=x onerror=alert('xss')//\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('xss')>\">",
    "<base href=\"javascript:alert('xss')//\">",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'xss\')">',
    "<link rel=stylesheet href=\"javascript:alert('xss')\">",
    "<input autofocus onfocus=alert('xss')>",
    "<details open ontoggle=alert('xss')>",
    "<style>body{background:url(javascript:alert('xss'))}</style>",
    '<a href="https://example.org" onclick="alert(\'xss\')">ok link</a>',
    "&lt;script&gt;alert('xss')&lt;/script&gt;",
]

# No rich text may bring these into a page (our templates use none of them).
FORBIDDEN_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "style",
    "base",
    "form",
    "input",
    "button",
    "details",
    "noscript",
    "img",
}


class InertnessChecker(HTMLParser):
    """Collects everything in a page that could run: scripts, handlers, script URLs, styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in FORBIDDEN_TAGS and not self.allowed(tag, attributes):
            self.problems.append(f"<{tag}>")
        if tag == "script":
            self.in_script = True
            self.script_is_data = attributes.get("type") == "application/ld+json"
        if tag == "meta" and any(name == "http-equiv" for name, _value in attrs):
            self.problems.append("<meta http-equiv>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.problems.append(f"{tag}[{name}]")
            if name in {"href", "src", "action", "data"} and value:
                scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:")):
                    self.problems.append(f"{tag}[{name}={value}]")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    @staticmethod
    def allowed(tag, attributes):
        """The site's own markup: external scripts, schema.org data, the server-drawn map, its
        static symbols."""
        if tag == "script":
            return bool(attributes.get("src")) or attributes.get("type") == "application/ld+json"
        if tag == "img":  # the site's own symbols (Easy Language, sign language)
            return (attributes.get("src") or "").startswith("/static/img/")
        return tag == "svg" and "world-map" in (attributes.get("class") or "").split()

    def handle_data(self, data):
        if self.in_script and self.script_is_data:
            json.loads(data)  # data, not code: it must stay valid JSON whatever a text holds
        elif self.in_script and "xss" in data:
            self.problems.append("script content")


def assert_inert(html):
    checker = InertnessChecker()
    checker.feed(html)
    assert checker.problems == []


# --- The documented subset ------------------------------------------------------------------


def test_allowed_subset_is_kept():
    html = (
        '<p>Seit <strong>1988</strong> <em>verbunden</em>: <a href="https://www.warszawa.pl" '
        'title="Warschau">Warschau</a>, <a href="mailto:office@example.org">Mail</a></p>'
        "<h2>Projekte</h2><ul><li>eins</li><li>zwei</li></ul><ol><li>drei</li></ol>"
        "<blockquote>Zitat<br>zweite Zeile</blockquote>"
    )
    cleaned = clean_rich_text(html)
    assert "<strong>1988</strong>" in cleaned
    assert "<em>verbunden</em>" in cleaned
    assert (
        '<a href="https://www.warszawa.pl" title="Warschau" rel="noopener noreferrer">' in cleaned
    )
    assert '<a href="mailto:office@example.org" rel="noopener noreferrer">' in cleaned
    assert "<h2>Projekte</h2><ul><li>eins</li><li>zwei</li></ul><ol><li>drei</li></ol>" in cleaned
    assert "<blockquote>Zitat<br>zweite Zeile</blockquote>" in cleaned
    assert rich_text(cleaned) == cleaned


def test_plain_text_is_stored_as_written_and_gets_paragraphs():
    text = "Handel & Wandel, 3 < 4\nzweite Zeile\n\nZweiter Absatz"
    assert clean_rich_text(text) == text
    assert rich_text(text) == (
        "<p>Handel &amp; Wandel, 3 &lt; 4<br>zweite Zeile</p>\n\n<p>Zweiter Absatz</p>"
    )


def test_markup_outside_the_subset_is_removed_but_its_text_stays():
    assert clean_rich_text('<p class="x" style="color:red">Text <u>und</u> mehr</p>') == (
        "<p>Text und mehr</p>"
    )
    assert clean_rich_text("<p>a</p><script>alert('xss')</script>") == "<p>a</p>"


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_is_inert_when_cleaned_and_when_rendered(payload):
    assert_inert(clean_rich_text(payload))
    assert_inert(rich_text(payload))
    # Rendering what was already cleaned changes nothing that could run either.
    assert_inert(rich_text(clean_rich_text(payload)))


@pytest.mark.django_db
def test_every_language_is_cleaned_on_save():
    kind = RelationshipKind.objects.create(
        code="climate",
        name_de="Klimapartnerschaft",
        section_text_de="<p>ok</p><img src=x onerror=alert(1)>",
        section_text_en="<script>alert(1)</script>Climate",
        section_text_he="<a href='javascript:alert(1)'>קישור</a>",
    )
    kind.refresh_from_db()
    assert kind.section_text_de == "<p>ok</p>"
    assert kind.section_text_en == "Climate"
    assert kind.section_text_he == '<a rel="noopener noreferrer">קישור</a>'


# --- Saved through the admin, then rendered on the public pages -----------------------------


@pytest.mark.django_db
def test_xss_payloads_saved_in_the_admin_render_inert(client, demo):
    """Each payload goes into every rich-text field an editor can reach, in every language."""
    editor = make_editor()
    client.force_login(editor)
    partner = Partner.objects.get(slug="warsaw")
    imprint = Page.objects.get(key=Page.Key.IMPRINT)
    kind = RelationshipKind.objects.get(code="twin_city")
    relationship = partner.relationships.first()
    payloads = "\n\n".join(XSS_PAYLOADS)

    targets = [
        (
            reverse("admin:partnerships_partner_change", args=[partner.pk]),
            {
                "description_de": payloads,
                "description_en": payloads,
                "description_he": payloads,
                "relationships-0-summary_de": payloads,
            },
        ),
        (
            reverse("admin:partnerships_page_change", args=[imprint.pk]),
            {"introduction_de": payloads, "body_de": payloads, "body_en": payloads},
        ),
        (
            reverse("admin:partnerships_relationshipkind_change", args=[kind.pk]),
            {"section_text_de": payloads, "section_text_en": payloads},
        ),
        (
            reverse("admin:partnerships_relationship_change", args=[relationship.pk]),
            {"summary_de": payloads, "summary_en": payloads},
        ),
    ]
    for url, changes in targets:
        page = client.get(url)
        response = client.post(url, change_form_data(page, **changes))
        assert response.status_code == 302, response.context["adminform"].form.errors

    partner.refresh_from_db()
    relationship.refresh_from_db()
    for value in [partner.description_de, partner.description_he, relationship.summary_de]:
        assert "<script" not in value and "onerror" not in value and "javascript:" not in value

    client.logout()
    pages = [
        reverse("partnerships:partner-detail", args=[partner.slug]),
        reverse("partnerships:imprint"),
        reverse("partnerships:overview"),
    ]
    for language in [code for code, _name in settings.LANGUAGES]:
        for url in pages:
            url = f"/{language}/{url.split('/', 2)[2]}"
            response = client.get(url)
            assert response.status_code == 200, url
            assert_inert(response.content.decode())


@pytest.mark.django_db
def test_text_that_bypassed_save_is_inert_when_rendered(client, demo):
    """A bulk import writes without save(); the filter cleans at render time as well."""
    payloads = "\n\n".join(XSS_PAYLOADS)
    Partner.objects.filter(slug="warsaw").update(description_de=payloads)
    Page.objects.filter(key=Page.Key.OVERVIEW).update(introduction_de=payloads)
    RelationshipKind.objects.filter(code="twin_city").update(section_text_de=payloads)
    Relationship.objects.update(summary_de=payloads)
    for url in ["/de/partners/warsaw/", "/de/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert_inert(response.content.decode())


# --- Headers --------------------------------------------------------------------------------


def csp_directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/de/", "/admin/login/"])
def test_security_headers(client, demo, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = csp_directives(response)
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


class InlineCodeFinder(HTMLParser):
    """What a strict CSP would block in a page: inline scripts, handlers, style attributes."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self._script = ""
        if tag == "style":
            self.found.append("<style>")
        for name in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}>")

    def handle_data(self, data):
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            if self._script.strip():
                self.found.append(f"<script>{self._script.strip()[:60]}")
            self._script = None


@pytest.mark.django_db
def test_admin_pages_have_nothing_inline_that_the_policy_would_block(admin_client, demo):
    """The CSP forbids inline script and style; the admin pages must not need them.

    (tests/browser/test_admin_csp.py checks the same in Chromium, with the tabs working.)
    """
    partner = Partner.objects.get(slug="warsaw")
    urls = [
        reverse("admin:index"),
        reverse("admin:partnerships_partner_changelist"),
        reverse("admin:partnerships_partner_change", args=[partner.pk]),
        reverse("admin:partnerships_partner_add"),
        reverse("admin:partnerships_partner_history", args=[partner.pk]),
        reverse("admin:partnerships_partner_recoverlist"),
        reverse("admin:partnerships_relationship_change", args=[partner.relationships.first().pk]),
        reverse("admin:partnerships_page_changelist"),
        reverse("admin:partnerships_office_change", args=[1]),
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        finder = InlineCodeFinder()
        finder.feed(response.content.decode())
        assert finder.found == [], url


# --- Login throttling (django-axes) ---------------------------------------------------------


@pytest.mark.django_db
def test_admin_login_locks_out_after_repeated_failures(client, settings):
    User.objects.create_superuser("chef", "chef@example.org", "the-right-password-42")
    login = reverse("admin:login")
    wrong = {"username": "chef", "password": "wrong", "next": "/admin/"}

    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login, wrong, REMOTE_ADDR="198.51.100.7")
        assert response.status_code == 200  # the form again, with its error

    response = client.post(login, wrong, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429

    # Locked out: even the right password does not get in from that address.
    right = {"username": "chef", "password": "the-right-password-42", "next": "/admin/"}
    response = client.post(login, right, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

    # Another address is not affected.
    response = client.post(login, right, REMOTE_ADDR="203.0.113.20")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


@pytest.mark.django_db
def test_a_successful_login_resets_the_failure_count(client, settings):
    User.objects.create_superuser("chef", "chef@example.org", "the-right-password-42")
    login = reverse("admin:login")
    wrong = {"username": "chef", "password": "wrong"}
    right = {"username": "chef", "password": "the-right-password-42"}
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(login, wrong)
    assert client.post(login, right).status_code == 302
    client.logout()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(login, wrong).status_code == 200


# --- The editors' limits --------------------------------------------------------------------


@pytest.mark.django_db
def test_editor_edits_content_but_not_users_or_groups(client, demo):
    editor = make_editor()
    client.force_login(editor)
    partner = Partner.objects.get(slug="warsaw")

    for url in [
        reverse("admin:partnerships_partner_changelist"),
        reverse("admin:partnerships_partner_change", args=[partner.pk]),
        reverse("admin:partnerships_partner_history", args=[partner.pk]),
        reverse("admin:partnerships_page_changelist"),
    ]:
        assert client.get(url).status_code == 200, url

    for url in [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[editor.pk]),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_add"),
        reverse("admin:axes_accessattempt_changelist"),
    ]:
        assert client.get(url).status_code == 403, url

    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:auth_user_changelist") not in index
    assert reverse("admin:auth_group_changelist") not in index

    # An editor cannot make themselves a superuser through their own account page either.
    response = client.post(
        reverse("admin:auth_user_change", args=[editor.pk]),
        {"username": "editor", "is_superuser": "on"},
    )
    assert response.status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser


# --- bandit ---------------------------------------------------------------------------------


def test_bandit_finds_nothing_of_medium_or_high_severity():
    bandit = str(Path(sys.executable).parent / "bandit")
    result = subprocess.run(
        [bandit, "-c", "pyproject.toml", "-r", "partnerships", "config", "-ll", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
