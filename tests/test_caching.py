"""Public pages are cached per language and content version, and revalidate with 304."""

import datetime
import os
import shutil
import socket
import subprocess
import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from partnerships import caching, shared_cache
from partnerships.caching import PublicPageCacheMiddleware, content_version
from partnerships.models import ContentChange, Page, Partner

from .adminforms import change_form_data, make_editor


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty (local-memory) cache."""
    cache.clear()


def test_a_page_is_rendered_once_then_served_from_the_cache_for_one_query(
    client, demo, django_assert_num_queries
):
    first = client.get("/de/")
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"

    with django_assert_num_queries(1):  # the content version, nothing else
        second = client.get("/de/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["ETag"] == first["ETag"]
    # The security headers are added to cached pages too.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"
    assert second["Content-Language"] == "de"
    assert second["Content-Length"] == str(len(second.content))


def test_each_language_has_its_own_cached_page(client, demo):
    german = client.get("/de/")
    english = client.get("/en/")
    assert english["X-Page-Cache"] == "miss"
    assert german["ETag"] != english["ETag"]
    overview = Page.objects.get(key=Page.Key.OVERVIEW)
    assert escape(overview.title_de) in german.content.decode()
    assert escape(overview.title_en) in english.content.decode()
    assert client.get("/en/").content == english.content
    assert client.get("/de/").content == german.content


def test_an_admin_edit_shows_on_the_very_next_request(client, demo):
    client.get("/de/")
    assert client.get("/de/")["X-Page-Cache"] == "hit"

    editor = make_editor()
    client.force_login(editor)
    page = Page.objects.get(key=Page.Key.OVERVIEW)
    url = reverse("admin:partnerships_page_change", args=[page.pk])
    response = client.post(
        url, change_form_data(client.get(url), title_de="Düsseldorf weltweit verbunden")
    )
    assert response.status_code == 302
    client.logout()

    response = client.get("/de/")
    assert response["X-Page-Cache"] == "miss"
    assert "Düsseldorf weltweit verbunden" in response.content.decode()


def test_an_import_shows_on_the_very_next_request(client, demo):
    """An import writes in bulk, without save(), and then touches the content version."""
    client.get("/de/partners/warsaw/")
    Partner.objects.filter(slug="warsaw").update(description_de="Neu importierte Beschreibung.")
    assert "Neu importierte" not in client.get("/de/partners/warsaw/").content.decode()
    ContentChange.touch()
    assert "Neu importierte" in client.get("/de/partners/warsaw/").content.decode()


def test_a_delete_shows_on_the_very_next_request(client, demo):
    assert client.get("/de/partners/warsaw/").status_code == 200
    assert 'href="/de/partners/warsaw/"' in client.get("/de/").content.decode()
    Partner.objects.get(slug="warsaw").delete()
    assert client.get("/de/partners/warsaw/").status_code == 404
    assert 'href="/de/partners/warsaw/"' not in client.get("/de/").content.decode()


def test_conditional_requests_get_304_until_the_content_changes(
    client, demo, django_assert_num_queries
):
    response = client.get("/de/")
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert "no-cache" in response["Cache-Control"]

    with django_assert_num_queries(1):
        assert client.get("/de/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    not_modified = client.get("/de/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == etag

    time.sleep(1.01)  # Last-Modified counts whole seconds
    Partner.objects.get(slug="warsaw").save()

    changed = client.get("/de/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert client.get("/de/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 200


def test_logged_in_pages_are_never_cached(client, demo):
    client.force_login(make_editor())
    response = client.get("/de/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response and "ETag" not in response
    client.logout()
    assert client.get("/de/")["X-Page-Cache"] == "miss"


def test_the_admin_is_never_cached(client, admin_client, demo):
    for response in [client.get("/admin/login/"), admin_client.get("/admin/")]:
        assert response.status_code == 200
        assert "X-Page-Cache" not in response and "ETag" not in response


def test_not_found_is_not_cached(client, demo):
    assert client.get("/de/partners/nowhere/").status_code == 404
    assert "X-Page-Cache" not in client.get("/de/partners/nowhere/")


def test_a_response_with_a_csrf_token_or_a_cookie_is_not_stored(demo):
    def uses_csrf(request):
        get_token(request)
        return HttpResponse("form")

    def sets_cookie(request):
        response = HttpResponse("cookie")
        response.set_cookie("seen", "1")
        return response

    def plain(request):
        return HttpResponse("plain")

    factory = RequestFactory()
    for view, stored in [(uses_csrf, False), (sets_cookie, False), (plain, True)]:
        cache.clear()
        middleware = PublicPageCacheMiddleware(view)
        middleware(factory.get("/de/"))
        second = middleware(factory.get("/de/"))
        assert (second.get("X-Page-Cache") == "hit") is stored, view.__name__


def test_a_cache_that_is_down_does_not_take_the_site_down(client, demo, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    response = client.get("/de/")
    assert response.status_code == 200
    assert "Page cache unavailable" in caplog.text


def published():
    """The version published in the cache, or None."""
    return shared_cache.published()


def use_redis(settings, url):
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url},
    }
    settings.PUBLIC_PAGE_CACHE_SHARED = True


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url():
    """A private redis-server for this test (Debian package redis-server)."""
    server = shutil.which("redis-server")
    if server is None:
        message = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_pages_are_cached_in_redis(client, demo, settings, redis_url, django_assert_num_queries):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
        }
    }
    assert client.get("/de/")["X-Page-Cache"] == "miss"
    with django_assert_num_queries(1):
        assert client.get("/de/")["X-Page-Cache"] == "hit"
    Partner.objects.get(slug="warsaw").save()
    assert client.get("/de/")["X-Page-Cache"] == "miss"


def test_with_a_shared_cache_a_cached_page_costs_no_query(
    client, demo, settings, redis_url, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
        }
    }
    settings.PUBLIC_PAGE_CACHE_SHARED = True
    assert client.get("/de/partners/warsaw/")["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        cached = client.get("/de/partners/warsaw/")
    assert cached["X-Page-Cache"] == "hit"
    with django_assert_num_queries(0):
        assert (
            client.get("/de/partners/warsaw/", HTTP_IF_NONE_MATCH=cached["ETag"]).status_code == 304
        )

    # An admin edit, committed in another "worker" (this process, the cache shared through Redis).
    editor = make_editor()
    client.force_login(editor)
    partner = Partner.objects.get(slug="warsaw")
    url = reverse("admin:partnerships_partner_change", args=[partner.pk])
    data = change_form_data(client.get(url), description_de="Neue Beschreibung aus dem Admin.")
    with django_capture_on_commit_callbacks(execute=True):  # the admin's transaction commits
        response = client.post(url, data)
    assert response.status_code == 302
    client.logout()

    response = client.get("/de/partners/warsaw/")
    assert response["X-Page-Cache"] == "miss"
    assert "Neue Beschreibung aus dem Admin." in response.content.decode()
    assert response["ETag"] != cached["ETag"]
    assert published() == ContentChange.last()


def test_a_shared_version_is_published_only_once_the_change_is_committed(
    client, demo, settings, django_capture_on_commit_callbacks
):
    """Published inside the transaction, a reader could cache the old content as the new."""
    settings.PUBLIC_PAGE_CACHE_SHARED = True  # the local-memory cache stands in for Redis here
    client.get("/de/")
    before = published()
    assert before == ContentChange.last()

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            Partner.objects.filter(slug="warsaw").update(name_de="Warschau (neu)")
            ContentChange.touch()
            assert published() == before
            assert client.get("/de/")["X-Page-Cache"] == "hit"  # not committed: still the old
    assert published() == ContentChange.last() != before
    response = client.get("/de/")
    assert response["X-Page-Cache"] == "miss"
    assert "Warschau (neu)" in response.content.decode()


def test_a_missing_shared_version_is_read_again_without_overwriting_a_newer_one(
    client, demo, settings, monkeypatch, django_assert_num_queries
):
    settings.PUBLIC_PAGE_CACHE_SHARED = True
    client.get("/de/")
    cache.delete(shared_cache.VERSION_KEY)  # evicted, expired, or Redis restarted
    with django_assert_num_queries(1):
        assert client.get("/de/")["X-Page-Cache"] == "hit"
    assert published() == ContentChange.last()

    # An edit is published between this request's database read and its write to the cache:
    # the request must not put its older version back over the newer one.
    cache.delete(shared_cache.VERSION_KEY)
    older = ContentChange.last()
    newer = older + datetime.timedelta(seconds=5)

    def read_then_an_edit_lands():
        version = content_version()
        ContentChange.publish(newer, older)
        return version

    monkeypatch.setattr(caching, "content_version", read_then_an_edit_lands)
    client.get("/de/")
    assert published() == newer


def test_an_older_version_published_late_never_replaces_a_newer_one(demo, settings, redis_url):
    """Two processes commit one after the other; their publications cross on the way."""
    use_redis(settings, redis_url)
    newer = ContentChange.last()
    ContentChange.publish(newer)
    ContentChange.publish(newer - datetime.timedelta(milliseconds=3))
    assert published() == newer
    ContentChange.publish(newer + datetime.timedelta(microseconds=1))
    assert published() == newer + datetime.timedelta(microseconds=1)

    cache.set(shared_cache.VERSION_KEY, "not a version")  # left by something else
    assert published() is None
    ContentChange.publish(newer)
    assert published() == newer


def test_versions_only_grow_even_when_a_servers_clock_is_behind(demo):
    """An app server whose clock lags would otherwise record an older version than the last."""
    ahead = timezone.now() + datetime.timedelta(minutes=5)
    ContentChange.objects.filter(pk=1).update(changed_at=ahead)
    ContentChange.touch()
    assert ContentChange.last() > ahead


@pytest.mark.django_db(transaction=True)
def test_a_change_that_waited_for_another_ones_commit_gets_the_later_version(monkeypatch):
    """Two editors save at once: the one whose clock said "earlier" but committed second must
    still get the later version, or a shared cache would keep the first one's."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite lets one writer in at a time)")
    ContentChange.touch()
    real_now = timezone.now
    earlier = real_now() - datetime.timedelta(minutes=1)
    monkeypatch.setattr(
        timezone,
        "now",
        lambda: earlier if threading.current_thread().name == "second" else real_now(),
    )
    first_holds_the_lock, first_may_commit = threading.Event(), threading.Event()
    versions = {}

    def first():
        with transaction.atomic():
            ContentChange.touch()
            versions["first"] = ContentChange.last()
            first_holds_the_lock.set()
            first_may_commit.wait(10)
        connection.close()

    def second():
        first_holds_the_lock.wait(10)
        ContentChange.touch()  # waits here for the first's commit
        versions["second"] = ContentChange.last()
        connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second, name="second")]
    for thread in threads:
        thread.start()
    first_holds_the_lock.wait(10)
    time.sleep(0.3)
    assert "second" not in versions  # still waiting for the lock
    first_may_commit.set()
    for thread in threads:
        thread.join(10)
    assert versions["second"] > versions["first"] > earlier
    assert ContentChange.last() == versions["second"]


def test_a_shared_cache_that_is_down_does_not_take_the_site_down(client, demo, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    settings.PUBLIC_PAGE_CACHE_SHARED = True
    response = client.get("/de/partners/warsaw/")
    assert response.status_code == 200
    assert "Warschau" in response.content.decode()
    assert "Page cache unavailable" in caplog.text
    ContentChange.publish(ContentChange.last())  # what every committed change does: no error


def test_a_cache_that_hangs_costs_one_timeout_not_one_per_request(client, demo, settings, caplog):
    """Redis accepts the connection and never answers: the breaker keeps the site responsive."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)  # the kernel completes connections; nobody ever reads or writes
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{silent.getsockname()[1]}/0",
                "OPTIONS": settings.CACHES["default"].get("OPTIONS", {})
                | {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
            }
        }
        settings.PUBLIC_PAGE_CACHE_SHARED = True
        for _request in range(5):
            response = client.get("/de/partners/warsaw/")
            assert response.status_code == 200
            assert "Warschau" in response.content.decode()
        ContentChange.publish(ContentChange.last())
    # One attempt timed out; the four requests and the publication after it left the cache alone.
    timeouts = [r for r in caplog.records if "Page cache unavailable" in r.getMessage()]
    assert len(timeouts) == 1


def test_without_a_recorded_change_nothing_is_cached(client, demo):
    """A database filled without save() has no version to key on: render every time."""
    ContentChange.objects.all().delete()
    for _request in range(2):
        response = client.get("/de/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response and "ETag" not in response


def test_the_plain_sql_version_is_the_models_version(demo):
    ContentChange.touch()
    assert content_version().changed_at == ContentChange.last()
    assert content_version().changed_at.tzinfo is not None


def test_the_page_cache_can_be_switched_off(client, demo, settings):
    settings.PUBLIC_PAGE_CACHE = False
    client.get("/de/")
    response = client.get("/de/")
    assert "X-Page-Cache" not in response and "ETag" not in response


def test_the_sitemap_is_cached_until_the_next_edit(client, demo):
    """(The open data is served from files instead: tests/test_open_data.py.)"""
    path = "/sitemap-partners.xml"
    first = client.get(path)
    assert first["X-Page-Cache"] == "miss"
    second = client.get(path)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    partner = Partner.objects.get(slug="warsaw")
    partner.slug = "warszawa"
    partner.save()
    third = client.get(path)
    assert third["X-Page-Cache"] == "miss"
    assert b"warszawa" in third.content


def test_every_address_under_a_language_prefix_is_a_public_page():
    """The cache takes any /<lang>/ address for a public page without resolving it: keep
    i18n_patterns to the public URLs alone (no admin, no login under a prefix): the partnerships'
    pages and the form to report a barrier (which the cache passes through: FORM_PAGES)."""
    from django.urls import URLResolver, get_resolver
    from django.urls.resolvers import LocalePrefixPattern

    prefixed = [
        pattern
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLResolver) and isinstance(pattern.pattern, LocalePrefixPattern)
    ]
    assert len(prefixed) == 1
    assert [p.namespace for p in prefixed[0].url_patterns] == ["partnerships", "feedback"]


# --- After a change: the previous page while one request renders the new one ---


def page_key(path, language="de"):
    """The cache key of `path` as the test client asks for it."""
    return PublicPageCacheMiddleware.cache_key(RequestFactory().get(path), language)


def another_request_renders(path):
    """Hold the render lock of `path`, as a request that is rendering it would."""
    lock_key = PublicPageCacheMiddleware.lock_key(page_key(path))
    assert cache.add(lock_key, 1, 60)
    return lock_key


def versions_at(changed_at, previous):
    """Give the recorded versions these times (how a test moves the clock)."""
    ContentChange.objects.filter(pk=1).update(changed_at=changed_at, previous_changed_at=previous)


def test_after_a_change_readers_get_the_previous_page_while_another_request_renders_it(
    client, demo, django_assert_num_queries
):
    before = client.get("/de/partners/warsaw/")
    assert before["X-Page-Cache"] == "miss"
    lock_key = another_request_renders("/de/partners/warsaw/")
    Partner.objects.filter(slug="warsaw").update(description_de="Nach der Änderung.")
    ContentChange.touch()

    with django_assert_num_queries(1):  # the content version, as for a cache hit
        stale = client.get("/de/partners/warsaw/")
    assert stale["X-Page-Cache"] == "stale"
    assert stale.content == before.content
    # The previous page's own validator, so that a browser does not keep it as the new one.
    assert stale["ETag"] == before["ETag"]
    assert "Last-Modified" not in stale
    assert "no-cache" in stale["Cache-Control"]
    with django_assert_num_queries(1):
        revalidated = client.get("/de/partners/warsaw/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert revalidated.status_code == 304
    assert revalidated["ETag"] == before["ETag"]

    cache.delete(lock_key)  # the other request is done (here: gave up without storing)
    fresh = client.get("/de/partners/warsaw/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert fresh.status_code == 200
    assert fresh["X-Page-Cache"] == "miss"
    assert "Nach der Änderung." in fresh.content.decode()
    assert fresh["ETag"] != before["ETag"]
    assert cache.get(lock_key) is None  # this request held it, and let it go
    assert client.get("/de/partners/warsaw/")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize(
    ("stale_seconds", "others_get"),
    [(10, ("stale", b"page 1")), (0, ("hit", b"page 2"))],
    ids=["the previous page", "past the bound: the new page, once rendered"],
)
def test_one_request_renders_the_changed_page_while_the_others_do_not(
    demo, settings, stale_seconds, others_get
):
    """Single flight, with real concurrency: the renderer waits inside the view."""
    settings.PUBLIC_PAGE_CACHE_SHARED = True  # the version from the cache: no query in threads
    settings.PUBLIC_PAGE_STALE_SECONDS = stale_seconds
    renders = []
    rendering, may_finish = threading.Event(), threading.Event()

    def view(request):
        renders.append(request.path)
        if len(renders) > 1:
            rendering.set()
            may_finish.wait(10)
        return HttpResponse(f"page {len(renders)}")

    middleware = PublicPageCacheMiddleware(view)
    factory = RequestFactory()
    assert middleware(factory.get("/de/"))["X-Page-Cache"] == "miss"
    ContentChange.touch()
    ContentChange.publish(ContentChange.last(), content_version().previous)  # "committed"

    responses = []

    def read():
        responses.append(middleware(factory.get("/de/")))

    renderer = threading.Thread(target=read)
    renderer.start()
    assert rendering.wait(10)
    others = [threading.Thread(target=read) for _reader in range(5)]
    for reader in others:
        reader.start()
    time.sleep(0.3)  # the others have their answer, or are waiting for the renderer's
    may_finish.set()
    for thread in [renderer, *others]:
        thread.join(10)

    assert len(renders) == 2  # the first render, and one after the change: not seven
    answers = sorted((response["X-Page-Cache"], response.content) for response in responses)
    assert answers == sorted([("miss", b"page 2"), *[others_get] * 5])
    after = middleware(factory.get("/de/"))
    assert (after["X-Page-Cache"], after.content) == ("hit", b"page 2")


@pytest.fixture
def short_renders(monkeypatch):
    """A reader waits for another request's render this long at most (here: the test's lock,
    which nobody lets go)."""
    monkeypatch.setattr(caching, "RENDER_SECONDS", 0.3)


@pytest.mark.parametrize(("seconds_since_the_change", "served"), [(9, "stale"), (11, "miss")])
def test_the_previous_page_is_served_at_most_stale_seconds_after_the_change(
    client, demo, settings, short_renders, seconds_since_the_change, served
):
    settings.PUBLIC_PAGE_STALE_SECONDS = 10
    now = timezone.now()
    rendered_at = now - datetime.timedelta(hours=1)  # a quiet hour before the change
    versions_at(rendered_at, None)
    client.get("/de/")
    another_request_renders("/de/")
    ContentChange.touch()
    assert content_version().previous == rendered_at
    versions_at(now - datetime.timedelta(seconds=seconds_since_the_change), rendered_at)

    response = client.get("/de/")
    assert response["X-Page-Cache"] == served


@pytest.mark.parametrize(("rendered_seconds_ago", "served"), [(8, "stale"), (12, "miss")])
def test_a_page_that_misses_two_changes_counts_from_its_own_version(
    client, demo, settings, short_renders, rendered_seconds_ago, served
):
    """The first change it misses came after its own version, at a time not recorded."""
    settings.PUBLIC_PAGE_STALE_SECONDS = 10
    versions_at(timezone.now() - datetime.timedelta(seconds=rendered_seconds_ago), None)
    client.get("/de/")
    another_request_renders("/de/")
    ContentChange.touch()
    ContentChange.touch()
    assert client.get("/de/")["X-Page-Cache"] == served


def test_without_stale_seconds_a_reader_waits_for_the_render_then_renders_itself(
    client, demo, settings, short_renders
):
    settings.PUBLIC_PAGE_STALE_SECONDS = 0
    client.get("/de/")
    another_request_renders("/de/")  # and never finishes
    ContentChange.touch()
    started = time.monotonic()
    assert client.get("/de/")["X-Page-Cache"] == "miss"
    assert time.monotonic() - started >= caching.RENDER_SECONDS


def test_a_page_not_cached_yet_is_rendered_once_too(demo, settings):
    """The first readers of a page nobody has cached (a new release, an evicted entry) wait for
    one render instead of each rendering it."""
    settings.PUBLIC_PAGE_CACHE_SHARED = True
    ContentChange.publish(ContentChange.last(), content_version().previous)
    renders, rendering, may_finish = [], threading.Event(), threading.Event()

    def view(request):
        renders.append(request.path)
        rendering.set()
        may_finish.wait(10)
        return HttpResponse("the page")

    middleware = PublicPageCacheMiddleware(view)
    responses = []
    readers = [
        threading.Thread(target=lambda: responses.append(middleware(RequestFactory().get("/de/"))))
        for _reader in range(4)
    ]
    readers[0].start()
    assert rendering.wait(10)
    for reader in readers[1:]:
        reader.start()
    time.sleep(0.3)
    may_finish.set()
    for reader in readers:
        reader.join(10)
    assert len(renders) == 1
    assert sorted(response["X-Page-Cache"] for response in responses) == ["hit"] * 3 + ["miss"]


def test_a_render_that_fails_lets_the_lock_go(demo):
    def failing_view(request):
        raise RuntimeError("the database went away")

    factory = RequestFactory()
    PublicPageCacheMiddleware(lambda request: HttpResponse("before"))(factory.get("/de/"))
    ContentChange.touch()
    with pytest.raises(RuntimeError):
        PublicPageCacheMiddleware(failing_view)(factory.get("/de/"))
    assert cache.get(PublicPageCacheMiddleware.lock_key(page_key("/de/"))) is None

    after = PublicPageCacheMiddleware(lambda request: HttpResponse("after"))(factory.get("/de/"))
    assert (after["X-Page-Cache"], after.content) == ("miss", b"after")


def test_editors_see_the_change_at_once_while_readers_get_the_previous_page(client, demo):
    client.get("/de/partners/warsaw/")
    another_request_renders("/de/partners/warsaw/")
    Partner.objects.filter(slug="warsaw").update(description_de="Gerade geändert.")
    ContentChange.touch()
    assert client.get("/de/partners/warsaw/")["X-Page-Cache"] == "stale"

    client.force_login(make_editor())
    response = client.get("/de/partners/warsaw/")
    assert "Gerade geändert." in response.content.decode()
    assert "X-Page-Cache" not in response


def test_several_changes_in_one_transaction_are_one_change_to_readers(
    demo, settings, django_capture_on_commit_callbacks
):
    """A form saved with its inlines, an import: the version before is the last committed."""
    settings.PUBLIC_PAGE_CACHE_SHARED = True
    before = ContentChange.last()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            for partner in Partner.objects.all()[:3]:
                partner.save()
    assert content_version().previous == before
    assert shared_cache.read()[0] == content_version()

    ContentChange.touch()  # a transaction of its own
    assert content_version().previous != before


def test_stale_pages_in_redis(client, demo, settings, redis_url, django_assert_num_queries):
    use_redis(settings, redis_url)
    before = client.get("/de/partners/warsaw/")
    lock_key = another_request_renders("/de/partners/warsaw/")
    Partner.objects.filter(slug="warsaw").update(description_de="In Redis geändert.")
    ContentChange.touch()
    ContentChange.publish(ContentChange.last(), content_version().previous)  # "committed"

    with django_assert_num_queries(0):
        stale = client.get("/de/partners/warsaw/")
    assert (stale["X-Page-Cache"], stale.content) == ("stale", before.content)
    assert stale["ETag"] == before["ETag"]

    cache.delete(lock_key)
    fresh = client.get("/de/partners/warsaw/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "In Redis geändert." in fresh.content.decode()
    assert cache.get(lock_key) is None
    with django_assert_num_queries(0):
        assert client.get("/de/partners/warsaw/")["X-Page-Cache"] == "hit"


def test_a_render_lock_in_redis_is_released_only_by_its_holder(demo, settings, redis_url):
    use_redis(settings, redis_url)
    assert shared_cache.take_lock("page:x:rendering", 1234, 10) is True
    assert shared_cache.take_lock("page:x:rendering", 5678, 10) is False
    shared_cache.release_lock("page:x:rendering", 5678)  # its lock expired, this one is 1234's
    assert cache.get("page:x:rendering") == 1234
    shared_cache.release_lock("page:x:rendering", 1234)
    assert cache.get("page:x:rendering") is None


def test_redis_keeps_the_version_and_its_predecessor_together(demo, settings, redis_url):
    use_redis(settings, redis_url)
    older = timezone.now()
    newer = older + datetime.timedelta(seconds=1)
    ContentChange.publish(newer, older)
    ContentChange.publish(older, older - datetime.timedelta(seconds=1))  # late: changes nothing
    assert shared_cache.read()[0] == shared_cache.ContentVersion(newer, older)

    cache.delete(shared_cache.VERSION_KEY)
    shared_cache.put_back(shared_cache.ContentVersion(older, None))
    assert shared_cache.read()[0] == shared_cache.ContentVersion(older, None)
    shared_cache.put_back(shared_cache.ContentVersion(newer, older))  # one is there: kept
    assert shared_cache.read()[0] == shared_cache.ContentVersion(older, None)
