"""Cache the public pages, and let browsers and proxies revalidate them cheaply.

A public page depends only on its address (language prefix included) and on the content, and
`ContentChange` records when the content last changed, whatever changed it: an admin edit, a
delete, an import. So a page is cached under its address together with the content version it
was rendered at, and served only while that is still the current version: after an edit the next
request finds an older version in the entry, renders the new content and replaces the entry.
Nothing has to be invalidated.

Where the current version comes from decides what a cached page costs:
- local memory (one cache per process): the database, one query per request, because an edit
  made in another worker or by an import command must show on the very next request;
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

Never cached: the admin and every address outside the public pages, requests with the session
of a signed-in editor (editors see the site as it is, and their pages never reach the cache),
searches, and responses that set a cookie, use the CSRF token, touch the session or say
`private`/`no-store`. A public page answers GET and HEAD; OPTIONS gets the list of those, any
other method a 405, neither rendering the page.
"""

import datetime
import functools
import hashlib

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language_from_path

from . import cache_keys, shared_cache, sitemaps
from .models import ContentChange

# Public addresses without a language prefix, cached like the pages: each costs a render that
# grows with the number of partners (a sitemap page names up to 50,000 addresses). (The open data
# is served from files written once per version instead: partnerships/open_data/.)
LANGUAGE_NEUTRAL_PAGES = {
    "sitemap",
    *(sitemaps.section_url_name(section) for section in sitemaps.sitemaps),
    "robots-txt",
}
# The methods a public page answers with the page; OPTIONS gets the list, anything else a 405.
SERVED_METHODS = ("GET", "HEAD")
# Set afresh on every response from the cache; every other header is stored with the page.
VALIDATOR_HEADERS = {"etag", "last-modified", "cache-control", "x-page-cache"}


def content_version():
    """`ContentChange.last()` in plain SQL.

    Without a shared cache this runs on every public request, cached or not, and building the same
    ORM query each time cost as much as the rest of a cache hit (profiled: ~0.6 ms of ~2 ms).
    Identifiers come from the model's metadata, the value is a parameter.
    """
    meta = ContentChange._meta
    field = meta.get_field("changed_at")
    column, table, key = (
        connection.ops.quote_name(name) for name in (field.column, meta.db_table, meta.pk.column)
    )
    # Quoted names from the model, and the value as a parameter: nothing from a request.
    sql = f"SELECT {column} FROM {table} WHERE {key} = %s"  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, [1])
        row = cursor.fetchone()
    if row is None:
        return None
    value = field.to_python(row[0])  # SQLite answers text, PostgreSQL an aware datetime
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


@functools.cache
def language_neutral_paths():
    return {reverse(name) for name in LANGUAGE_NEUTRAL_PAGES}


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self.public_language(request)
        if language is None:
            return self.get_response(request)
        if request.method not in SERVED_METHODS:
            return self.refuse_method(request)
        if not settings.PUBLIC_PAGE_CACHE or cache_keys.signed_in_editor(request):
            return self.get_response(request)

        storable = cache_keys.canonicalise(request)
        key = self.cache_key(request, language)
        version, entry = self.current_version_and_entry(key)
        if version is None:
            # No change recorded yet (a database filled without save()): nothing to key on.
            return self.get_response(request)
        version_id = version.isoformat()
        etag = f'"{hashlib.sha256(f"{key}|{version_id}".encode()).hexdigest()[:32]}"'
        last_modified = int(version.timestamp())

        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return self.add_validators(not_modified, etag, last_modified)

        if entry is not None and entry[0] == version_id:
            _version_id, content, headers = entry
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return self.add_validators(response, etag, last_modified)

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

    @staticmethod
    def current_version_and_entry(key):
        """The current content version and the cached entry for `key` (None where missing)."""
        if not settings.PUBLIC_PAGE_CACHE_SHARED:
            version = content_version()
            if version is None:
                return None, None
            return version, shared_cache.call(cache.get, key)
        version, entry = shared_cache.read_with(key)
        if version is None:
            version = content_version()
            if version is not None:
                shared_cache.put_back(version)
        return version, entry

    @staticmethod
    def public_language(request):
        """The language of a public page at this address ("" for every language), or None."""
        # LocaleMiddleware has not run yet: the language is the address's prefix (/de/, /en/).
        # Every address under a language prefix is a public page: i18n_patterns in
        # config/urls.py holds the partnerships URLs alone (tested), and a 404 is never stored.
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

        No public page takes a form or any other method, and OPTIONS and TRACE count as safe to
        the CSRF middleware, so they used to reach the views and render whole pages uncached.
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
        ]
        digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
        return f"page:{digest}"

    @staticmethod
    def add_validators(response, etag, last_modified):
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        # Browsers and proxies may keep the page but must ask (and get a 304) before reusing it,
        # so an edit is visible on the very next request everywhere.
        patch_cache_control(response, no_cache=True, public=True)
        return response
