"""Cache the public pages, and let browsers and proxies revalidate them cheaply.

A public page depends only on its address (language prefix included), on the content and on
the date (its events to come, this year's jubilees: partnerships/exchanges/). `ContentChange`
records when the content last changed, whatever changed it: an admin edit, a delete, an
import. So a page is cached under its address and the day together with the content version it
was rendered at, and served as current only while that is still the current version: after an
edit the next request finds an older version in the entry, renders the new content and replaces
the entry. Nothing has to be invalidated.

Only one request renders it, though (single flight): it takes the page's render lock (`add` in
the cache, which one request alone gets; in local memory the lock is the worker process's own,
so a worker of one thread, which serves one request at a time, renders the page itself),
and while it renders, the other requests for that page are served the previous version
("X-Page-Cache: stale"), with that version's own ETag and no Last-Modified, so that a browser
revalidates it and gets the new page once there is one. At national scale rendering a page takes
seconds, and every reader rendering it at once after each edit stalled the site.
The bound, settings.PUBLIC_PAGE_STALE_SECONDS (N, default 10): a previous version is served only
while the oldest change it misses is at most N seconds old, so every change shows on every page
within N seconds. An entry rendered at the version before the last change misses only the last
change, whose time is the current version (`ContentChange` keeps the version before it too); an
entry older than that misses one made at an unrecorded time after its own version, so its own
version is the reference then (strict, never late). Past the bound (and for a page not cached
at all) readers wait for the lock holder's page instead of rendering it again beside it, which
would only slow both down; with N = 0 there are no previous versions. The lock lasts at most
RENDER_SECONDS, gunicorn's timeout; a render that fails lets it go, and a reader that finds no
new page when the lock is gone renders the page itself. So a change shows within N seconds
unless the page takes longer to render. Versions are the app servers' clocks: the bound assumes
they agree (NTP).

Where the current version comes from decides what a cached page costs:
- local memory (one cache per process): the database, one query per request, because an edit
  made in another worker or by an import command must be noticed on the very next request;
- a shared cache (Redis, settings.PUBLIC_PAGE_CACHE_SHARED): the cache itself, where every change
  publishes the new version once it is committed (`ContentChange.publish`, which only ever moves
  it forward). The version and the page come in one round trip, without touching the database.
  If the version is not there (the cache was emptied, or it expired after
  `shared_cache.VERSION_SECONDS`), it is read from the database and put back with `add`, which
  never overwrites a version published meanwhile. See partnerships/shared_cache.py, which also
  holds the breaker that keeps a failing cache from slowing every request.

The same version gives each page its ETag and Last-Modified, so a browser (or a CDN) that asks
"has this changed?" gets a 304 without the page being rendered or read.

The middleware sits right after the security and static-file middleware, so a cached page skips
everything else (sessions, locale, CSRF, authentication, CSP...). The headers that middleware
adds to a public page (Content-Security-Policy, X-Frame-Options, Content-Language,
Content-Length) are the same for every reader and are stored with the page; the security
middleware above adds HSTS, nosniff and the referrer policy to every response.

The address a page is cached under is reduced to what changes the page: parameters it does not
read are ignored, its own are normalised, a search is never stored, and cookies other than an
editor's session change nothing (partnerships/cache_keys.py has the rules and their reasons).

Never cached: the admin and every address outside the public pages, the pages with a form
(FORM_PAGES: the report of a barrier, whose POST reaches its view), requests with the session
of a signed-in editor (editors see the site as it is, also while readers get a previous version,
and their pages never reach the cache),
searches, and responses that set a cookie, use the CSRF token, touch the session or say
`private`/`no-store`. A public page answers GET and HEAD; OPTIONS gets the list of those, any
other method a 405, neither rendering the page.
"""

import datetime
import functools
import hashlib
import secrets
import time

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language_from_path

from . import cache_keys, shared_cache, sitemaps
from .exchanges import clock
from .models import ContentChange

# Public addresses without a language prefix, cached like the pages: each costs a render that
# grows with the number of partners (a sitemap page names up to 10,000 addresses). (The open data
# is served from files written once per version instead: partnerships/open_data/.)
LANGUAGE_NEUTRAL_PAGES = {
    "sitemap",
    *(sitemaps.section_url_name(section) for section in sitemaps.sitemaps),
    "robots-txt",
}
# Public pages with a form (and its CSRF token, different for every reader): never stored, and
# every method reaches their view, which decides what it answers (the POST of a report).
FORM_PAGES = {"feedback:report"}
# The methods a public page answers with the page; OPTIONS gets the list, anything else a 405.
SERVED_METHODS = ("GET", "HEAD")
# How long a render lock lasts at most: gunicorn stops a request after 30 seconds
# (config/gunicorn.conf.py), so no render holds it longer.
RENDER_SECONDS = 30
# Set afresh on every response from the cache; every other header is stored with the page.
VALIDATOR_HEADERS = {"etag", "last-modified", "cache-control", "x-page-cache"}


def content_version():
    """`ContentChange`'s versions (the last change's and the one before) in plain SQL, or None.

    Without a shared cache this runs on every public request, cached or not, and building the same
    ORM query each time cost as much as the rest of a cache hit (profiled: ~0.6 ms of ~2 ms).
    Identifiers come from the model's metadata, the value is a parameter.
    """
    meta = ContentChange._meta
    fields = [meta.get_field("changed_at"), meta.get_field("previous_changed_at")]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    table, key = quote(meta.db_table), quote(meta.pk.column)
    # Quoted names from the model, and the value as a parameter: nothing from a request.
    sql = f"SELECT {columns} FROM {table} WHERE {key} = %s"  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, [1])
        row = cursor.fetchone()
    if row is None:
        return None
    changed_at, previous = (
        as_aware_datetime(field, value) for field, value in zip(fields, row, strict=True)
    )
    return shared_cache.ContentVersion(changed_at, previous)


def as_aware_datetime(field, value):
    if value is None:
        return None
    value = field.to_python(value)  # SQLite answers text, PostgreSQL an aware datetime
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def start_of_today():
    """The city's last midnight (settings.TIME_ZONE), as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(clock.today(), datetime.time()))


@functools.cache
def language_neutral_paths():
    return {reverse(name) for name in LANGUAGE_NEUTRAL_PAGES}


@functools.cache
def form_paths():
    """FORM_PAGES' addresses in every language."""
    paths = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths.update(reverse(name) for name in FORM_PAGES)
    return paths


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self.public_language(request)
        if language is None or request.path_info in form_paths():
            return self.get_response(request)
        if request.method not in SERVED_METHODS:
            return self.refuse_method(request)
        if not settings.PUBLIC_PAGE_CACHE or cache_keys.signed_in_editor(request):
            return self.get_response(request)

        storable = cache_keys.canonicalise(request)
        key = self.cache_key(request, language)
        lock_key = self.lock_key(key)
        version, entry, rendering = self.current_version_and_entry(key, lock_key)
        if version is None:
            # No change recorded yet (a database filled without save()): nothing to key on.
            return self.get_response(request)
        version_id = version.changed_at.isoformat()
        etag = self.etag(key, version_id)
        # A page changes at the city's midnight too (its events to come, this year's jubilees),
        # so it was last modified then at the latest (and the day is in its key).
        last_modified = int(max(version.changed_at, start_of_today()).timestamp())

        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return self.add_validators(not_modified, etag, last_modified)

        if entry is not None and entry[0] == version_id:
            return self.from_entry(entry, "hit", etag, last_modified)

        if request.method != "GET" or not storable:
            return self.render(request, key, version_id, etag, last_modified, storable)
        # Single flight: one request renders the page, the others get the previous version
        # while it may be served, or wait for the new one.
        servable = self.may_serve_stale(entry, version)
        token = secrets.randbits(62)
        taken = False if rendering else shared_cache.take_lock(lock_key, token, RENDER_SECONDS)
        if taken is False:  # another request renders it
            if servable:
                return self.stale(request, key, entry)
            entry = self.wait_for_render(key, lock_key)
            if entry is not None and entry[0] == version_id:
                return self.from_entry(entry, "hit", etag, last_modified)
            return self.render(request, key, version_id, etag, last_modified, storable)
        try:
            return self.render(request, key, version_id, etag, last_modified, storable)
        finally:
            if taken:  # None: the cache failed, there is no lock
                shared_cache.release_lock(lock_key, token)

    @staticmethod
    def wait_for_render(key, lock_key):
        """The entry for `key` once the render lock is let go (or has lasted RENDER_SECONDS).

        Waiting costs a worker but no processor time, where rendering the page again beside the
        other request would slow both down: at 50,000 partners the overview takes seconds.
        """
        deadline = time.monotonic() + RENDER_SECONDS
        pause = 0.02
        while time.monotonic() < deadline:
            time.sleep(pause)
            pause = min(pause * 2, 0.25)
            found = shared_cache.call(cache.get_many, [key, lock_key]) or {}
            if lock_key not in found:
                return found.get(key)
        return shared_cache.call(cache.get, key)

    def render(self, request, key, version_id, etag, last_modified, storable):
        response = self.get_response(request)
        if self.is_cacheable_response(request, response):
            self.add_validators(response, etag, last_modified)
            if request.method == "GET" and storable:
                headers = [
                    (name, value)
                    for name, value in response.items()
                    if name.lower() not in VALIDATOR_HEADERS
                ]
                entry = (version_id, response.content, headers)
                shared_cache.call(cache.set, key, entry, settings.PUBLIC_PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    def stale(self, request, key, entry):
        """The page as it was before the last change(s), while another request renders it anew.

        With its own ETag, so that a browser revalidates it (and gets the new page) once the new
        one is there, instead of keeping it under the new page's validator. Without
        Last-Modified: in whole seconds, it could not tell this page from one rendered in the
        same second after the change.
        """
        etag = self.etag(key, entry[0])
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            response = self.add_validators(not_modified, etag)
            response["X-Page-Cache"] = "stale"
            return response
        return self.from_entry(entry, "stale", etag)

    def from_entry(self, entry, state, etag, last_modified=None):
        _version_id, content, headers = entry
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = state
        return self.add_validators(response, etag, last_modified)

    @staticmethod
    def stale_seconds():
        return settings.PUBLIC_PAGE_STALE_SECONDS

    @classmethod
    def may_serve_stale(cls, entry, version):
        """Whether the entry misses no change older than PUBLIC_PAGE_STALE_SECONDS.

        Rendered at the version before the last change, it misses only that change; rendered
        earlier, it misses one made at some time after its own version, so its own version is
        the bound's reference instead (safe, if strict).
        """
        if entry is None or cls.stale_seconds() <= 0:
            return False
        rendered_at = datetime.datetime.fromisoformat(entry[0])
        if rendered_at >= version.changed_at:
            return False
        if version.previous is not None and rendered_at >= version.previous:
            first_missed_change = version.changed_at
        else:
            first_missed_change = rendered_at
        age = timezone.now() - first_missed_change
        return age <= datetime.timedelta(seconds=cls.stale_seconds())

    @staticmethod
    def current_version_and_entry(key, lock_key):
        """The current ContentVersion, the cached entry for `key` (None where missing) and
        whether another request holds the render lock `lock_key`."""
        if not settings.PUBLIC_PAGE_CACHE_SHARED:
            version = content_version()
            if version is None:
                return None, None, False
            found = shared_cache.call(cache.get_many, [key, lock_key]) or {}
        else:
            version, found = shared_cache.read(key, lock_key)
            if version is None:
                version = content_version()
                if version is not None:
                    shared_cache.put_back(version)
        return version, found.get(key), lock_key in found

    @staticmethod
    def public_language(request):
        """The language of a public page at this address ("" for every language), or None."""
        # LocaleMiddleware has not run yet: the language is the address's prefix (/de/, /en/).
        # Every address under a language prefix is a public page: i18n_patterns in
        # config/urls.py holds the public URLs alone (tested), and a 404 is never stored.
        # Not resolving the address here saves a third of a cache hit's time. Each of those
        # pages ends with a slash; the address without one is CommonMiddleware's redirect to it,
        # which must keep the query as it came.
        language = get_language_from_path(request.path_info)
        if language is not None:
            return language if request.path_info.endswith("/") else None
        # The sitemap and robots.txt hold every language under one address.
        return "" if request.path_info in language_neutral_paths() else None

    @staticmethod
    def refuse_method(request):
        """Answer OPTIONS, and refuse anything else but GET and HEAD, without rendering the page.

        No public page but FORM_PAGES (passed through before this) takes a form or any other
        method, and OPTIONS and TRACE count as safe to the CSRF middleware, so they used to reach
        the views and render whole pages uncached.
        """
        allowed = [*SERVED_METHODS, "OPTIONS"]
        if request.method == "OPTIONS":
            return HttpResponse(headers={"Allow": ", ".join(allowed), "Content-Length": "0"})
        return HttpResponseNotAllowed(allowed)

    @staticmethod
    def is_cacheable_response(request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False  # the page holds this reader's CSRF token
        session = getattr(request, "session", None)
        if session is not None and (session.accessed or session.modified):
            return False
        cache_control = response.get("Cache-Control", "")
        return "private" not in cache_control and "no-store" not in cache_control

    @staticmethod
    def cache_key(request, language):
        parts = [
            settings.RELEASE_ID,
            # A new set of static files (new hashed names) means new pages.
            getattr(staticfiles_storage, "manifest_hash", ""),
            language,
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            # Events to come and this year's jubilees move on at midnight: a page a day.
            clock.today().isoformat(),
        ]
        digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
        return f"page:{digest}"

    @staticmethod
    def lock_key(key):
        """Held by the one request that renders the page at `key` again after a change."""
        return f"{key}:rendering"

    @staticmethod
    def etag(key, version_id):
        return f'"{hashlib.sha256(f"{key}|{version_id}".encode()).hexdigest()[:32]}"'

    @staticmethod
    def add_validators(response, etag, last_modified=None):
        response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        # Browsers and proxies may keep the page but must ask (and get a 304) before reusing it,
        # so an edit reaches them as soon as the server serves it.
        patch_cache_control(response, no_cache=True, public=True)
        return response
