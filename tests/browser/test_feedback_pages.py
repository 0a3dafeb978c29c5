"""The pages to report a barrier in Chromium: usable without JavaScript, axe-clean, valid HTML."""

import pytest

from partnerships.feedback.models import Report

from .conftest import DESKTOP
from .test_browser import axe_violations
from .test_html_validity import nu_check

pytestmark = pytest.mark.browser

LANGUAGES = ["de", "en", "he"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reader_without_javascript_reports_a_barrier_from_the_footer(browser, site, language):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(f"{site}/{language}/partners/")
        tab.locator(".site-footer a[href*='/accessibility/feedback/']").click()
        tab.wait_for_url(f"**/{language}/accessibility/feedback/?page=**")
        assert tab.locator("#id_page").input_value() == f"{site}/{language}/partners/"
        tab.locator("#id_message").fill("Die Tabelle hat keine Überschriften.")
        tab.locator(".feedback-form button[type=submit]").click()
        tab.wait_for_url(f"**/{language}/accessibility/feedback/thanks/")
        assert tab.locator("h1").count() == 1
    finally:
        context.close()
    report = Report.objects.get()
    assert (report.message, report.language) == ("Die Tabelle hat keine Überschriften.", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_feedback_pages_pass_axe(page, language):
    for path in ("accessibility/feedback/", "accessibility/feedback/thanks/"):
        page.goto(f"{page.site}/{language}/{path}")
        assert page.locator("html").get_attribute("lang") == language
        violations = axe_violations(page)
        assert violations == [], f"{path}:\n" + "\n".join(violations)
    # The form with its errors: the same form, a summary and each field's message.
    page.goto(f"{page.site}/{language}/accessibility/feedback/")
    page.locator("#id_email").fill("not-an-address")
    page.locator(".feedback-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#form-errors li").count() == 2
    violations = axe_violations(page)
    assert violations == [], "with errors:\n" + "\n".join(violations)
    assert page.requested_hosts == {page.site.split("//")[1]}


def test_the_feedback_pages_pass_the_nu_html_checker(client, demo, tmp_path):
    responses = {}
    for language in LANGUAGES:
        base = f"/{language}/accessibility/feedback/"
        responses[base] = client.get(base)
        responses[f"{base}thanks/"] = client.get(f"{base}thanks/")
        client.get(base)
        responses[f"{base} (errors)"] = client.post(
            base,
            {
                "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
                "message": "",
                "email": "x@",
            },
        )
    files = []
    for number, (name, response) in enumerate(responses.items()):
        assert response.status_code == 200, name
        file = tmp_path / f"feedback-{number}.html"
        file.write_bytes(response.content)
        files.append((name, file))
    errors = [
        f"{name}: line {m.get('lastLine')}: {m['message']}"
        for m in nu_check([file for _name, file in files])
        for name, file in files
        if file.name in m["url"]
    ]
    assert errors == [], "\n".join(errors)
