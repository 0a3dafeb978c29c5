"""Real Chromium (Debian's, at /usr/bin/chromium) driven by Playwright against live_server.

Without Chromium or Playwright the browser tests are skipped with the reason, unless
REQUIRE_BROWSER=1 (CI), where a missing browser is a failure. `scripts/setup-browser` installs
what they need.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connections

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made from that
# thread (the fixtures below) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def require(condition, reason):
    """Skip when a tool is missing, or fail when the run says the tools must be there."""
    if condition:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1; run scripts/setup-browser)", pytrace=False)
    pytest.skip(f"{reason}; run scripts/setup-browser")


@pytest.fixture(scope="session")
def browser():
    require(Path(CHROMIUM).exists() or shutil.which(CHROMIUM), f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "the Python package playwright is not installed")
    # Starting Playwright gives this thread a new context (contextvars), and with it a new set
    # of Django's database connections (asgiref's Local keeps them per context): the ones opened
    # so far would stay open, unseen, to the end, and PostgreSQL would then refuse to drop the
    # test database ("is being accessed by other users"). So close them before, and close the
    # ones of the browser tests before Playwright stops.
    connections.close_all()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        connections.close_all()


@pytest.fixture
def site(live_server, transactional_db):
    """The demo content served by a live server; its address."""
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
    return live_server.url


@pytest.fixture
def page(browser, site):
    """A fresh browser tab that records every host it sends a request to."""
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    tab.requested_hosts = set()
    tab.on("request", lambda request: tab.requested_hosts.add(urlsplit(request.url).netloc))
    tab.site = site
    yield tab
    context.close()
    # No page may ask another host for anything (fonts, tiles, scripts, analytics).
    assert tab.requested_hosts <= {urlsplit(site).netloc}, tab.requested_hosts
