"""The page cache's dealings with the cache server: the published content version, render locks,
and a breaker.

The content version (see partnerships/caching.py) is published to a shared cache (Redis) by
every committed change, as a whole number of microseconds, together with the version of the
change before it (so that a page rendered at that one can be served while it is rendered again).
Versions only ever move forward: two processes that commit one after the other may publish in the
opposite order, and the older version must not win, or pages rendered before the newer change
would be served as current. The pair is written in one step on the server, so no reader sees a
version with another one's predecessor.

A render lock says "one request is rendering this page again"; the others serve the previous
version meanwhile. It is taken with `add` (only one request gets it, in Redis as in a local
memory cache) and released only by its holder.

The breaker: once the cache fails (refuses, or does not answer within its socket timeout), this
process leaves it alone for PAUSE_SECONDS and renders pages without it. A Redis that hangs then
costs one timeout every few seconds, instead of several on every request.
"""

import dataclasses
import datetime
import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

VERSION_KEY = "content-version"
PREVIOUS_KEY = "content-version-previous"
# How long a published version is trusted before it is read from the database again: the bound
# on how long a change goes unseen when it could not be published (the cache was down).
VERSION_SECONDS = 60
PAUSE_SECONDS = 10

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)


@dataclasses.dataclass(frozen=True)
class ContentVersion:
    """When the content last changed, and when it had changed before that (None if unknown)."""

    changed_at: datetime.datetime
    previous: datetime.datetime | None = None


# Set the version and its predecessor only where there is no version (or no number) or an older
# one, in one step on the server. ARGV: version, previous version ("" if unknown), lifetime.
PUBLISH_IF_NEWER = """
local current = tonumber(redis.call('GET', KEYS[1]) or '')
if current == nil or current < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
  if ARGV[2] == '' then
    redis.call('DEL', KEYS[2])
  else
    redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
  end
  return 1
end
return 0
"""
# Put back a version read from the database, only where none was published meanwhile.
PUT_BACK = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
if ARGV[2] == '' then
  redis.call('DEL', KEYS[2])
else
  redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
end
return 1
"""
# Release a render lock only if it is still the caller's: a render that outlived the lock must
# not release the next holder's.
RELEASE_IF_HELD = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

_paused_until = 0.0


def call(method, *args):
    """`method(*args)` on the cache, or None while the cache is failing."""
    global _paused_until
    if time.monotonic() < _paused_until:
        return None
    try:
        return method(*args)
    except Exception:  # whatever the cache raises, the page is rendered without it
        _paused_until = time.monotonic() + PAUSE_SECONDS
        logger.warning(
            "Page cache unavailable; pages are rendered without it for the next %s seconds.",
            PAUSE_SECONDS,
            exc_info=True,
        )
        return None


def resume():
    """Close the breaker (tests; a process that knows the cache is back)."""
    global _paused_until
    _paused_until = 0.0


def as_number(version):
    return (version - EPOCH) // MICROSECOND


def as_datetime(number):
    return EPOCH + int(number) * MICROSECOND


def redis_client():
    """The Redis connection behind the cache, or None for a cache that runs no scripts (the
    local-memory cache that stands in for Redis in tests)."""
    try:
        from django_redis import get_redis_connection

        return get_redis_connection("default")
    except (ImportError, NotImplementedError):
        return None


def publish(version, previous=None):
    call(_write_version, PUBLISH_IF_NEWER, ContentVersion(version, previous))


def put_back(version):
    """Put a version read from the database back, unless one was published meanwhile."""
    call(_write_version, PUT_BACK, version)


def _write_version(script, version):
    number = as_number(version.changed_at)
    previous = as_number(version.previous) if version.previous is not None else None
    client = redis_client()
    if client is None:
        # Without scripts the last publication wins; good enough for the stand-in.
        if script is PUT_BACK and not cache.add(VERSION_KEY, number, VERSION_SECONDS):
            return
        cache.set_many({VERSION_KEY: number, PREVIOUS_KEY: previous}, VERSION_SECONDS)
        return
    keys = [cache.make_key(VERSION_KEY), cache.make_key(PREVIOUS_KEY)]
    client.eval(script, 2, *keys, number, "" if previous is None else previous, VERSION_SECONDS)


def read(*keys):
    """(the published ContentVersion or None, {key: value} of the other keys found): one trip."""
    found = call(cache.get_many, [VERSION_KEY, PREVIOUS_KEY, *keys]) or {}
    number, previous = found.pop(VERSION_KEY, None), found.pop(PREVIOUS_KEY, None)
    # Anything but a whole number there (written by something else) counts as no version.
    if not isinstance(number, int):
        return None, found
    previous = as_datetime(previous) if isinstance(previous, int) else None
    return ContentVersion(as_datetime(number), previous), found


def published():
    """The published version as a datetime, or None."""
    version, _found = read()
    return version.changed_at if version is not None else None


def take_lock(key, token, seconds):
    """True if this caller now holds the lock, False if another does, None if the cache failed.

    `token` is a whole number, unique to the caller: django-redis stores numbers as they are
    (anything else pickled), so the release script can compare it.
    """
    return call(cache.add, key, token, seconds)


def release_lock(key, token):
    call(_release_if_held, key, token)


def _release_if_held(key, token):
    client = redis_client()
    if client is None:
        # Not atomic: the lock could pass to another request between the two calls only if it
        # expired just then, and that costs at most one render more.
        if cache.get(key) == token:
            cache.delete(key)
        return
    client.eval(RELEASE_IF_HELD, 1, cache.make_key(key), token)
