"""Rough edges a citizen found: the 404's language links, the favicon, Hebrew phone numbers,
the directory on a phone, the English heading."""

import re

import pytest
from django.test import RequestFactory
from django.utils import translation

from partnerships.templatetags.partnerships import path_in_language


def switcher_links(html):
    switcher = html[html.index('<nav class="language-switcher"') :]
    switcher = switcher[: switcher.index("</nav>")]
    return dict(re.findall(r'<a href="([^"]*)" hreflang="(\w+)"', switcher))


def hreflang_links(html):
    return re.findall(r'<link rel="alternate" hreflang="[\w-]+" href="([^"]*)">', html)


def test_a_404_links_to_the_same_address_in_the_other_languages(client, demo):
    response = client.get("/de/partners/no-such-partner/")
    assert response.status_code == 404
    assert switcher_links(response.content.decode()) == {
        "/de/partners/no-such-partner/": "de",
        "/en/partners/no-such-partner/": "en",
        "/he/partners/no-such-partner/": "he",
        "/pl/partners/no-such-partner/": "pl",
    }
    missing = client.get("/en/no/such/page/")
    assert switcher_links(missing.content.decode())["/he/no/such/page/"] == "he"


@pytest.mark.parametrize(
    "path",
    ["//other-host/", "//other-host/de/", "//other-host/de/partners/warsaw/", "/de//other-host/x"],
)
def test_a_path_that_starts_like_another_host_never_links_to_it(client, demo, path):
    # As a browser or proxy sends it: the test client would read "//other-host" as a host.
    response = client.get("/", PATH_INFO=path)
    if response.status_code in (301, 302):  # to the reader's language: on this host, too
        location = response["Location"]
        assert location.startswith("/") and not location.startswith("//"), location
        response = client.get("/", PATH_INFO=location)
    assert response.status_code == 404
    html = response.content.decode()
    for url in [*switcher_links(html), *hreflang_links(html)]:
        assert not url.startswith("//"), url
        assert url.startswith(("/", "http://testserver/")), url
        assert "//other-host" not in url, url


def test_the_language_path_of_any_request_stays_on_this_host():
    factory = RequestFactory()
    for path, expected in [
        ("//other-host/de/", "/en/other-host/de/"),
        ("//other-host/x", "/en/other-host/x"),
        ("///other-host/de/partners/", "/en/other-host/de/partners/"),
        ("/de/partners/warsaw/", "/en/partners/warsaw/"),
        ("/de/missing/", "/en/missing/"),
    ]:
        request = factory.get("/")
        request.path = request.path_info = path
        with translation.override("de"):
            assert path_in_language(request, "en") == expected, path


def test_favicon_and_apple_touch_icon_are_linked_and_served(client, demo):
    html = client.get("/en/").content.decode()
    for rel, name in [
        ("icon", "icons/favicon.svg"),
        ("icon", "icons/favicon-32.png"),
        ("apple-touch-icon", "icons/apple-touch-icon.png"),
    ]:
        assert re.search(rf'<link rel="{rel}" href="/static/{name}"', html), name
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/icons/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]


def test_phone_numbers_and_addresses_are_isolated_left_to_right_in_hebrew(client, demo):
    html = client.get("/he/").content.decode()
    assert re.search(r'<a href="tel:\+4921189\d+" dir="ltr">\+49 \(0\) 211\.89-23155</a>', html)
    assert html.count('dir="ltr">+49') == 4  # the office and its three contacts
    assert "<bdi>40213 Düsseldorf</bdi>" in html


def test_the_directory_labels_every_column_for_the_phone_layout(client, demo):
    html = client.get("/en/partners/?sort=year").content.decode()
    assert 'data-label="Since"' in html and 'data-label="Status"' in html
    # An empty "until" is left out on a phone rather than shown as "Until:" with nothing.
    assert '<td data-label="Until"></td>' in html


def test_the_english_heading_reads_as_english(client, demo):
    assert (
        "<h1>Düsseldorf&#x27;s international relations</h1>" in client.get("/en/").content.decode()
    )
    assert "<h1>Düsseldorf international</h1>" in client.get("/de/").content.decode()
    assert "<h1>דיסלדורף הבינלאומית</h1>" in client.get("/he/").content.decode()
    polish = client.get("/pl/").content.decode()
    assert '<h1 lang="de" dir="ltr">Düsseldorf international</h1>' in polish
