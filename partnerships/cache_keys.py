"""What a cached public page is keyed on: its address, reduced to what changes the page.

Whatever in a request a page does not read must not give it an entry of its own, or anyone could
fill the cache, and have every request rendered, by varying it (a trial made 2,665 entries in
three seconds with `/robots.txt?u=1`, `?u=2`...). So, for the page cache (partnerships/caching.py):

- Parameters a page does not read are ignored: the page is served, and on a miss rendered, as if
  they were not there. Only the directory (DirectoryForm.PARAMETERS), the events archive
  (ArchiveForm.PARAMETERS), the other lists of partnerships/exchanges/ (`page`) and the
  sitemap's sections (`p`, their page) read any; the sitemap index reads none. Ignored rather
  than redirected: a reader who follows a newsletter's link (utm_*) gets the page without a
  second round trip.
- A page's own parameters are normalised, so that equivalent queries share one entry: a fixed
  order, each once with the value the page reads, no empty values or defaults, page numbers as
  the paginator reads them (DirectoryForm.canonical_query). The view then sees this query too,
  and nothing of the ignored parameters can reach the stored page (its canonical link, the
  language switcher and the pagination repeat the query).
- What stays unbounded is never stored: a search (`q`, free text) is rendered on every request
  (with its ETag, so a browser revalidates it for a 304); a value outside its valid set is
  reported on the page, which says `no-store`; a page number past the end redirects to the last
  page.
- Cookies: public pages read none. Only the session of a signed-in staff user bypasses the cache
  (editors see the live site); any other session cookie, garbage or expired, is served from it.

A request is rewritten to its canonical query (and rid of a reader's session cookie) before
anything else reads it, so its key, its ETag and the page rendered for it all belong to the same
address.
"""

import functools
import re
from importlib import import_module

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare

from .exchanges.views import ArchiveForm
from .sitemaps import section_url_name, sitemaps
from .views import DirectoryForm, canonical_page_number

# What Django's session engines hand out (get_random_string(32, VALID_KEY_CHARS)): a cookie in
# any other form names no session and costs no query. (The signed_cookies engine, whose keys
# look different, is not used here.)
SESSION_KEY_FORMAT = re.compile(r"[a-z0-9]{32}")


def directory_query(data):
    query = DirectoryForm.canonical_query(data)
    # A search is free text, so there would be no end of entries: render it every time.
    return query, "q" not in query


def archive_query(data):
    return ArchiveForm.canonical_query(data), True


def page_query(data):
    """A paginated list's `page`, as its paginator reads it; the first page has none."""
    query = QueryDict(mutable=True)
    if page := canonical_page_number(data.get("page", "")):
        query["page"] = page
    return query, True


# The lists that read nothing but their page number (partnerships/exchanges/).
PAGINATED_PAGES = ("partnerships:events", "partnerships:associations", "partnerships:jubilees")


def sitemap_query(data):
    """A sitemap section's page, `p`, as its paginator reads it ("01" is 1, the default)."""
    page = data.get("p", "")
    try:
        page = "" if int(page) == 1 else str(int(page))
    except ValueError:
        pass  # not a number (or none): the view answers 404, which is never stored
    query = QueryDict(mutable=True)
    if page:
        query["p"] = page
    return query, True


@functools.cache
def query_rules():
    """The addresses whose page reads parameters, each with the rule for its canonical query."""
    rules = {reverse(section_url_name(section)): sitemap_query for section in sitemaps}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            rules[reverse("partnerships:directory")] = directory_query
            rules[reverse("partnerships:events-archive")] = archive_query
            for name in PAGINATED_PAGES:
                rules[reverse(name)] = page_query
    return rules


def canonical_query(path, query_string):
    """(The query string of the same page under its canonical address, whether it may be stored)."""
    if not query_string:
        return "", True
    rule = query_rules().get(path)
    if rule is None:
        return "", True  # a page without parameters: whatever is there changes nothing
    query, storable = rule(QueryDict(query_string))
    return query.urlencode(), storable


def canonicalise(request):
    """Reduce a reader's `request` to what its page reads; whether the page may be stored.

    Everything after the page cache (the view included) then sees the canonical address, and no
    session cookie: a reader's is none of the page's business (an editor's never gets here), and
    SessionMiddleware would answer one that names no session by deleting it, a cookie that would
    keep the page out of the cache.
    """
    query_string = request.META.get("QUERY_STRING", "")
    query, storable = canonical_query(request.path_info, query_string)
    if query != query_string:
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)
    request.COOKIES.pop(settings.SESSION_COOKIE_NAME, None)
    return storable


@functools.cache
def session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def signed_in_editor(request):
    """Whether the request carries the session of a signed-in, active staff user.

    What it costs, only when a session cookie is there: nothing for a cookie that is not in the
    form of a session key; one lookup of the session otherwise (with the database engine, one
    query by primary key), and for a session with a user in it one query for the user. Nothing is
    written: a session that is gone, expired or not signed in is simply not an editor's.
    """
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if key is None or not SESSION_KEY_FORMAT.fullmatch(key):
        return False
    session = session_store()(key)
    try:
        user_id = get_user_model()._meta.pk.to_python(session[SESSION_KEY])
        backend_path = session[BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):  # no user signed in (or a user id that is none)
        return False
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return False
    user = load_backend(backend_path).get_user(user_id)  # None for an inactive user
    # As django.contrib.auth.get_user: a password changed since the login ends the session.
    # (Unlike it, no secret from SECRET_KEY_FALLBACKS: that session gets cached pages, which are
    # current ones, until the editor's next request to the admin renews its hash.)
    session_hash = session.get(HASH_SESSION_KEY)
    return bool(
        user is not None
        and user.is_staff
        and session_hash
        and constant_time_compare(session_hash, user.get_session_auth_hash())
    )
