import ast
import gettext
import hashlib
import http.client
import io
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection


def test_models_and_migrations_agree(db):
    """`makemigrations --check`: a model change without its migration fails the suite."""
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


@pytest.mark.django_db
def test_create_demo_admin_creates_one_login_and_then_leaves_it_alone():
    out = io.StringIO()
    call_command("create_demo_admin", stdout=out)
    assert "password" in out.getvalue()
    # A command that works from the project folder without activating the environment.
    assert ".venv/bin/python manage.py changepassword admin" in out.getvalue()
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    again = io.StringIO()
    call_command("create_demo_admin", stdout=again)
    assert get_user_model().objects.count() == 1
    assert "exists already" in again.getvalue()
    assert ".venv/bin/python manage.py changepassword admin" in again.getvalue()


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_translation_is_complete_and_compiled(language):
    """Every plural message has as many forms as the language has (Hebrew: four), and the
    committed .mo says what the .po says: a missing form shows English to that reader."""
    folder = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES"
    source = (folder / "django.po").read_text(encoding="utf-8")
    plurals = int(re.search(r"nplurals=(\d+)", source).group(1))
    for entry in source.split("\n\n"):
        if "\nmsgid_plural " in entry and not entry.lstrip().startswith("#~"):
            # A form's text may go on over the lines that follow it ("" then "…" lines).
            forms = re.findall(
                r'^msgstr\[(\d+)\] ((?:".*"\n?)(?:^".*"\n?)*)', entry + "\n", flags=re.M
            )
            forms = [(number, "".join(re.findall(r'"(.*)"', text))) for number, text in forms]
            assert [number for number, _text in forms] == [str(n) for n in range(plurals)], entry
            filled = [bool(text) for _number, text in forms]
            # A message is translated in every form or in none (then English shows, whole).
            # German, the editors' language, is translated throughout.
            assert all(filled) or (not any(filled) and language != "de"), entry

    with open(folder / "django.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    checked = 0
    for entry in source.split("\n\n"):
        message = re.search(r'^msgid "(.+)"\nmsgstr "(.+)"$', entry, flags=re.M)
        if message and "#, fuzzy" not in entry and "\nmsgctxt" not in entry:
            msgid, msgstr = (ast.literal_eval(f'"{text}"') for text in message.groups())
            assert catalog.gettext(msgid) == msgstr, "run compilemessages"
            checked += 1
        plural = re.search(
            r'^msgid "(.+)"\nmsgid_plural "(.+)"\nmsgstr\[0\] "(.+)"\nmsgstr\[1\] "(.+)"$',
            entry,
            flags=re.M,
        )
        if plural and "#, fuzzy" not in entry:
            singular, plural_id, one, other = (ast.literal_eval(f'"{t}"') for t in plural.groups())
            # n=1 takes the first form in all three languages, n=2 the second.
            assert catalog.ngettext(singular, plural_id, 1) == one, "run compilemessages"
            assert catalog.ngettext(singular, plural_id, 2) == other, "run compilemessages"
            checked += 1
    assert checked > 50 or language == "en"


@pytest.mark.django_db(transaction=True)
def test_no_other_database_session_stays_open_between_requests(live_server):
    """A browser keeps its HTTP connection open between requests; the live server's thread
    serving it must not keep a database connection too. Nor may a connection of an earlier test
    stay open (tests/browser/conftest.py). Either would stop PostgreSQL from dropping the test
    database at the end."""
    if connection.vendor != "postgresql":
        pytest.skip("counts PostgreSQL's sessions (SQLite has none)")
    call_command("load_demo", stdout=io.StringIO())
    browser_like = http.client.HTTPConnection(urlsplit(live_server.url).netloc)
    try:
        browser_like.request("GET", "/de/partners/warsaw/")
        response = browser_like.getresponse()
        response.read()
        assert response.status == 200
        # The thread closes its connection just after sending the response: give it a moment.
        for _attempt in range(50):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                )
                sessions = cursor.fetchone()[0]
            if sessions == 1:  # the test's own
                break
            time.sleep(0.05)
        assert sessions == 1, "another database session is still open"
    finally:
        browser_like.close()


# --- scripts/setup, in a copy of the project's pyproject.toml ------------------------------

ROOT = Path(__file__).resolve().parent.parent
BASE_PYTHON = getattr(sys, "_base_executable", sys.executable)


def setup_script(project, **env):
    return subprocess.run(
        ["bash", str(project / "scripts" / "setup")],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def project(tmp_path):
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "setup", tmp_path / "scripts" / "setup")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_setup_says_which_python_it_needs(project):
    result = setup_script(project, PYTHON=str(project / "no-such-python"))
    assert result.returncode != 0
    assert "is not Python 3.11 or newer" in result.stderr
    assert not (project / ".venv").exists()


def test_setup_installs_only_when_pyproject_changed(project):
    subprocess.run([BASE_PYTHON, "-m", "venv", "--without-pip", project / ".venv"], check=True)
    pyproject = project / "pyproject.toml"
    stamp = project / ".venv" / ".pyproject.sha256"
    stamp.write_text(hashlib.sha256(pyproject.read_bytes()).hexdigest() + "\n")
    unchanged = setup_script(project, PYTHON=BASE_PYTHON)
    assert (unchanged.returncode, unchanged.stdout, unchanged.stderr) == (0, "", "")

    pyproject.write_text(pyproject.read_text() + "\n# a new dependency\n")
    changed = setup_script(project, PYTHON=BASE_PYTHON)
    # This .venv has no pip, so the install itself fails; what matters is that it was tried.
    assert "pyproject.toml changed: installing" in changed.stdout
