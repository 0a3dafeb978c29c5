"""The page cache is keyed on what changes the page: nothing else in a request makes an entry.

See partnerships/cache_keys.py for the rules.
"""

import collections
import datetime
import random

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from django.utils import timezone

from partnerships.views import DirectoryForm

from .adminforms import make_editor
from .random_requests import PAGES, random_request
from .test_caching import redis_url, use_redis  # noqa: F401 (redis_url is a fixture)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def page_entries():
    """The pages in the cache, whichever backend it is (local memory or Redis)."""
    backend = caches["default"]
    if hasattr(backend, "_cache") and isinstance(backend._cache, dict):  # local memory
        return {key for key in backend._cache if ":page:" in key}
    from django_redis import get_redis_connection

    return {key for key in get_redis_connection("default").scan_iter() if b":page:" in key}


def hit(client, path, **extra):
    response = client.get(path, **extra)
    assert response.status_code == 200, path
    return response.get("X-Page-Cache") == "hit"


# --- Parameters a page does not read ---


@pytest.mark.parametrize(
    "path",
    [
        "/robots.txt?u=1",
        "/de/?utm_source=newsletter&utm_medium=email",
        "/en/partners/warsaw/?fbclid=abc",
        "/sitemap.xml?u=2",
        "/de/partners/?utm_campaign=spring&u=3",
    ],
)
def test_parameters_a_page_does_not_read_share_its_entry(client, demo, path):
    canonical = client.get(path.split("?")[0])
    response = client.get(path)
    assert response["X-Page-Cache"] == "hit"
    assert response["ETag"] == canonical["ETag"]
    assert len(page_entries()) == 1


def test_nothing_of_an_ignored_parameter_reaches_the_stored_page(client, demo):
    """Rendered for the first reader, with her newsletter's parameters, kept for everyone."""
    first = client.get("/de/?utm_source=newsletter")
    assert first["X-Page-Cache"] == "miss"
    assert b"utm_source" not in first.content
    assert b'<link rel="canonical" href="http://testserver/de/">' in first.content
    assert client.get("/de/")["X-Page-Cache"] == "hit"


def test_an_address_without_its_slash_is_redirected_with_its_query(client, demo):
    response = client.get("/de/partners?kind=twin_city&utm_source=x")
    assert response.status_code == 301
    assert response["Location"] == "/de/partners/?kind=twin_city&utm_source=x"
    assert not page_entries()


# --- The directory's own parameters ---


@pytest.mark.parametrize(
    "query",
    [
        "kind=twin_city&status=active",
        "status=active&kind=twin_city",  # order
        "kind=twin_city&status=active&q=&country=",  # empty values
        "kind=twin_city&status=active&q=++",  # a search of spaces is none
        "kind=agenda21_partnership&kind=twin_city&status=active",  # repeated: the last counts
        "kind=twin_city&status=active&sort=name&page=1",  # defaults
        "kind=twin_city&status=active&page=01",
        "kind=twin_city&status=active&page=first",  # not a number: the paginator's first page
        "kind=twin_city&status=active&utm_source=x&u=1",  # not the directory's
    ],
)
def test_equivalent_directory_queries_share_one_entry(client, demo, query):
    canonical = client.get("/en/partners/?kind=twin_city&status=active")
    response = client.get(f"/en/partners/?{query}")
    assert response["X-Page-Cache"] == "hit"
    assert response.content == canonical.content
    assert len(page_entries()) == 1


def test_each_different_filter_has_its_own_entry(client, demo):
    for query in ["", "kind=twin_city", "kind=twin_city&sort=-name", "country=CN", "sort=year"]:
        client.get(f"/en/partners/?{query}")
    assert len(page_entries()) == 5


def test_every_directory_parameter_is_known_to_the_cache():
    """A new filter must be added to PARAMETERS, or the cache would ignore it (one page for all)."""
    assert set(DirectoryForm.PARAMETERS) == set(DirectoryForm.base_fields) | {"page"}


@pytest.mark.parametrize(
    "query", ["kind=no-such-kind", "sort=sideways", "status=unknown", "country=XX"]
)
def test_a_value_outside_its_valid_set_is_reported_and_never_stored(client, demo, query):
    for _request in range(2):
        response = client.get(f"/en/partners/?{query}")
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert "X-Page-Cache" not in response
    assert not page_entries()


def test_a_page_number_past_the_end_redirects_to_the_last_page(client, demo):
    for number in ["2", "999", "12345678901234567890", "0", "-3"]:
        response = client.get(f"/en/partners/?kind=twin_city&page={number}")
        assert response.status_code == 302
        assert response["Location"] == "/en/partners/?kind=twin_city"  # one page of results
    assert not page_entries()


def test_a_search_is_rendered_every_time_and_never_stored(client, demo, django_assert_num_queries):
    first = client.get("/en/partners/?q=war")
    assert first["X-Page-Cache"] == "miss"
    assert "Warsaw" in first.content.decode()
    assert client.get("/en/partners/?q=war&sort=name")["X-Page-Cache"] == "miss"
    assert not page_entries()
    # Still revalidated: a browser that has the page gets a 304 for the version query alone.
    with django_assert_num_queries(1):
        assert (
            client.get("/en/partners/?q=war", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        )


def test_the_sitemap_page_parameter(client, demo):
    client.get("/sitemap-partners.xml")
    assert hit(client, "/sitemap-partners.xml?p=1")
    assert hit(client, "/sitemap-partners.xml?p=01&u=1")
    assert client.get("/sitemap-partners.xml?p=2").status_code == 404  # one page holds them all
    assert client.get("/sitemap-partners.xml?p=x").status_code == 404
    # The index reads no parameter at all.
    client.get("/sitemap.xml")
    assert hit(client, "/sitemap.xml?p=2")
    assert len(page_entries()) == 2


# --- Cookies ---


@pytest.mark.parametrize(
    ("cookie", "queries"),
    [
        ("garbage", 1),  # the version; not a session key, so no session query
        ("nosuchsession0123456789abcdefghi", 2),  # a session key's form: the session, looked up
    ],
)
def test_a_session_cookie_that_names_no_session_is_served_from_the_cache(
    client, demo, django_assert_num_queries, cookie, queries
):
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert client.get("/de/")["X-Page-Cache"] == "miss"  # and stored, for everyone
    with django_assert_num_queries(queries):
        assert hit(client, "/de/")
    del client.cookies[settings.SESSION_COOKIE_NAME]
    assert hit(client, "/de/")


def test_cookies_the_page_does_not_read_change_nothing(client, demo):
    client.get("/de/")
    client.cookies["csrftoken"] = "x" * 32
    client.cookies["django_language"] = "en"
    client.cookies["tracking"] = "abc"
    assert hit(client, "/de/")
    assert len(page_entries()) == 1


def test_a_signed_in_editor_sees_the_live_site(client, demo):
    client.get("/de/")
    client.force_login(make_editor())
    response = client.get("/de/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response and "ETag" not in response
    assert len(page_entries()) == 1


def test_with_a_shared_cache_only_a_session_cookie_costs_a_query(
    client, demo, settings, django_assert_num_queries
):
    settings.PUBLIC_PAGE_CACHE_SHARED = True  # the local-memory cache stands in for Redis here
    client.get("/de/")
    with django_assert_num_queries(0):
        assert hit(client, "/de/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32
    with django_assert_num_queries(1):  # the session, by its key
        assert hit(client, "/de/")


def signed_in(client, user):
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.parametrize("change", ["not staff", "inactive", "password", "expired", "deleted"])
def test_a_session_that_no_longer_belongs_to_an_editor_is_served_from_the_cache(
    client, demo, change
):
    client.get("/de/")
    editor = make_editor()
    key = signed_in(client, editor)
    assert not hit(client, "/de/")
    if change == "not staff":
        User.objects.filter(pk=editor.pk).update(is_staff=False)
    elif change == "inactive":
        User.objects.filter(pk=editor.pk).update(is_active=False)
    elif change == "password":
        editor.set_password("another-long-password-2")
        editor.save()
    elif change == "expired":
        past = timezone.now() - datetime.timedelta(seconds=1)
        Session.objects.filter(session_key=key).update(expire_date=past)
    else:
        Session.objects.filter(session_key=key).delete()
    assert hit(client, "/de/")


# --- Methods ---


@pytest.mark.parametrize("path", PAGES)
def test_options_and_other_methods_answer_without_rendering_the_page(
    client, demo, django_assert_num_queries, path
):
    with django_assert_num_queries(0):
        options = client.options(path)
        assert options.status_code == 200
        assert options["Allow"] == "GET, HEAD, OPTIONS"
        assert options.content == b""
        for method in ["TRACE", "POST", "PUT", "DELETE", "PATCH", "PROPFIND"]:
            refused = client.generic(method, path)
            assert refused.status_code == 405, method
            assert refused["Allow"] == "GET, HEAD, OPTIONS"
            assert refused.content == b""
    assert client.head(path).status_code == 200


# --- Nothing a reader varies fills the cache ---


@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_random_query_strings_and_cookies_add_no_entries(client, demo, settings, request, backend):
    if backend == "redis":
        use_redis(settings, request.getfixturevalue("redis_url"))
    for path in PAGES:
        client.get(path)
    before = page_entries()
    assert len(before) == len(PAGES)

    rng = random.Random(20261201)
    kinds = collections.Counter()
    for _request in range(200):
        response, kind = random_request(client, rng)
        kinds[kind] += 1
        if kind == "equivalent":
            assert response["X-Page-Cache"] == "hit"
        elif kind == "method":
            assert response.status_code in (200, 405) and not response.content
        else:
            assert response.status_code in (200, 302, 404)
    assert min(kinds.values()) >= 5  # each kind of request was tried
    client.cookies.clear()
    assert page_entries() == before


def test_every_public_page_under_a_language_prefix_ends_with_a_slash():
    """The cache leaves an address without its slash to CommonMiddleware's redirect."""
    prefixed = [
        pattern
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLResolver) and isinstance(pattern.pattern, LocalePrefixPattern)
    ]
    patterns = prefixed[0].url_patterns[0].url_patterns
    assert patterns
    assert all(str(p.pattern) == "" or str(p.pattern).endswith("/") for p in patterns)
