"""How many reports one client address may send: settings.FEEDBACK_RATE_LIMIT per window.

Counted in the cache (Redis when the site has it, so every app server counts together) under a
hash of the address, which is never stored anywhere else. The address is the one django-axes
locks logins out by: X-Real-IP behind the proxy, REMOTE_ADDR otherwise (config/settings.py).
"""

import hashlib
import logging

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def counter_key(request):
    address = get_client_ip_address(request) or "unknown"
    # Salted with the secret key, so the cache does not hold a plain list of readers' addresses.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{address}".encode()).hexdigest()
    return f"feedback-rate:{digest[:32]}"


def take_one(request):
    """Count one report from this client; False once it has sent its share in this window.

    A cache that fails lets the report through: losing a report is worse than a little spam.
    """
    limit = settings.FEEDBACK_RATE_LIMIT
    if limit <= 0:
        return True
    key = counter_key(request)
    try:
        cache.add(key, 0, settings.FEEDBACK_RATE_LIMIT_SECONDS)
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the window's first report
        cache.set(key, 1, settings.FEEDBACK_RATE_LIMIT_SECONDS)
        return True
    except Exception:
        logger.warning("Feedback rate limit not counted: the cache failed.", exc_info=True)
        return True
    return count <= limit
