"""The page cache's dealings with the cache server: the published content version, and a breaker.

The content version (see partnerships/caching.py) is published to a shared cache (Redis) by
every committed change, as a whole number of microseconds, and only ever moves forward: two
processes that commit one after the other may publish in the opposite order, and the older
version must not win, or pages rendered before the newer change would be served as current.

The breaker: once the cache fails (refuses, or does not answer within its socket timeout), this
process leaves it alone for PAUSE_SECONDS and renders pages without it. A Redis that hangs then
costs one timeout every few seconds, instead of several on every request.
"""

import datetime
import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

VERSION_KEY = "content-version"
# How long a published version is trusted before it is read from the database again: the bound
# on how long a change goes unseen when it could not be published (the cache was down).
VERSION_SECONDS = 60
PAUSE_SECONDS = 10

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)

# Set the version only where there is none (or no number) or an older one, in one step on the
# server.
PUBLISH_IF_NEWER = """
local current = tonumber(redis.call('GET', KEYS[1]) or '')
if current == nil or current < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
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


def publish(version):
    call(_publish_if_newer, as_number(version))


def _publish_if_newer(number):
    try:
        from django_redis import get_redis_connection

        client = get_redis_connection("default")
    except (ImportError, NotImplementedError):
        # A cache that runs no scripts (the local-memory cache that stands in for Redis in
        # tests): the last publication wins.
        cache.set(VERSION_KEY, number, VERSION_SECONDS)
        return
    client.eval(PUBLISH_IF_NEWER, 1, cache.make_key(VERSION_KEY), number, VERSION_SECONDS)


def read_with(key):
    """(published version as a datetime or None, the cached entry for `key` or None): one trip."""
    found = call(cache.get_many, [VERSION_KEY, key]) or {}
    number = found.get(VERSION_KEY)
    # Anything but a whole number there (written by something else) counts as no version.
    return (as_datetime(number) if isinstance(number, int) else None), found.get(key)


def put_back(version):
    """Put a version read from the database back, unless one was published meanwhile."""
    call(cache.add, VERSION_KEY, as_number(version), VERSION_SECONDS)
