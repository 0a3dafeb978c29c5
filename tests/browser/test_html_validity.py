"""Every public page's HTML passes the Nu HTML Checker (npm vnu-jar, with the machine's Java)."""

import json
import shutil
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from partnerships.views import OVERVIEW_SECTION_LIMIT

from ..factories import bulk_partners, make_kind
from .conftest import ROOT, require

# Every configured language, however many.
LANGUAGES = [code for code, _name in settings.LANGUAGES]

pytestmark = pytest.mark.browser

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PAGES = [
    ("overview", ()),
    ("directory", ()),
    ("partner-detail", ("chongqing",)),
    ("partner-detail", ("moscow",)),
    ("accessibility", ()),
    ("imprint", ()),
    ("office-page", ("exchange-funding",)),
    ("office-page", ("school-exchange",)),
    ("privacy", ()),
    ("easy-language", ()),
    ("sign-language", ()),
]


def nu_check(files):
    """The checker's error messages for the files, one JVM for all of them."""
    require(shutil.which("java"), "no Java to run the Nu HTML Checker")
    require(VNU_JAR.exists(), f"no {VNU_JAR.relative_to(ROOT)} (npm ci)")
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--exit-zero-always"]
        + [str(path) for path in files],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [m for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]


def test_every_page_passes_the_nu_html_checker(client, demo, tmp_path):
    files = []
    paths = [
        "/de/partners/?q=war&kind=bogus",
        "/en/partners/?q=nothing-matches",
        "/he/partners/no-such-partner/",
    ]
    for language in LANGUAGES:
        with translation.override(language):
            paths += [reverse(f"partnerships:{name}", args=args) for name, args in PAGES]
    for number, path in enumerate(paths):
        response = client.get(path)
        assert response.status_code == (404 if "no-such" in path else 200), path
        file = tmp_path / f"page-{number}.html"
        file.write_bytes(response.content)
        files.append(file)
    errors = [
        f"{paths[files.index(next(f for f in files if f.name in m['url']))]} "
        f"line {m.get('lastLine')}: {m['message']}"
        for m in nu_check(files)
    ]
    assert errors == [], "\n".join(errors)


def test_nu_html_checker_does_report_an_error(tmp_path):
    """The check above is worth something only if it sees a fault."""
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div></span>")
    assert nu_check([broken])


def test_an_overview_with_more_partners_than_it_lists_passes_the_nu_html_checker(
    client, demo, tmp_path
):
    """The selection note and the links to each kind's full list, in both directions."""
    bulk_partners(OVERVIEW_SECTION_LIMIT + 5, make_kind("twin_city"))
    files = []
    for language in ("de", "he"):
        response = client.get(f"/{language}/")
        assert b'class="selection-note"' in response.content
        files.append(tmp_path / f"overview-{language}.html")
        files[-1].write_bytes(response.content)
    errors = [f"{m['url']} line {m.get('lastLine')}: {m['message']}" for m in nu_check(files)]
    assert errors == [], "\n".join(errors)
