"""The admin works under the Content-Security-Policy, in a real Chromium.

The policy forbids inline scripts and styles and eval. Django's admin, modeltranslation's
language tabs (with our jQuery UI copy) and the prepopulated slug all run from static files;
this drives them and fails on any CSP violation the browser reports.
"""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

pytestmark = [pytest.mark.browser]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective}: ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def content(transactional_db):
    """Written before the browser starts: Playwright's event loop forbids the ORM afterwards."""
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))
    User.objects.create_superuser("chef", "chef@example.org", "the-right-password-42")


@pytest.fixture
def browser_page(browser):
    """A German tab in the session's Chromium (tests/browser/conftest.py) that records CSP
    violations and console errors."""
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    yield page
    context.close()


def violations(page):
    return page.evaluate("window.__cspViolations") + [
        text for text in page.console_errors if "Content Security Policy" in text
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_works_under_the_content_security_policy(content, live_server, browser_page):
    page = browser_page

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "chef")
    page.fill("#id_password", "the-right-password-42")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert violations(page) == []

    # modeltranslation's tabs, built by jQuery UI from static files, turned by one labelled
    # switch for the whole form (static/js/admin-languages.js).
    page.goto(f"{live_server.url}/admin/partnerships/partner/")
    page.click("text=Warschau")
    switch = page.get_by_label("Sprache der Texte")
    switch.wait_for()
    assert page.locator(".ui-tabs").count() > 0
    switch.select_option(label="English")
    assert page.locator("#id_description_en").is_visible()
    assert not page.locator("#id_description_de").is_visible()
    assert violations(page) == []
    # Opened for one text (the translation status's work list links so), on its language.
    change_form = page.url.split("#")[0]
    page.goto(f"{live_server.url}/admin/partnerships/partner/")
    page.goto(f"{change_form}#tab_id_description_he")
    page.get_by_label("Sprache der Texte").wait_for()
    assert page.locator("#id_description_he").is_visible()
    assert not page.locator("#id_description_de").is_visible()

    # The prepopulated slug and the "add another" inline: the admin's own scripts.
    page.goto(f"{live_server.url}/admin/partnerships/partner/add/")
    page.wait_for_selector("#modeltranslation-main-switch")
    page.locator("#id_name_de").press_sequentially("Neue Partnerstadt")
    assert page.input_value("#id_slug") == "neue-partnerstadt"
    page.click(".add-row a")
    assert page.locator(".dynamic-relationships").count() == 1
    assert violations(page) == []

    # The public pages, too.
    page.goto(f"{live_server.url}/de/")
    assert violations(page) == []
