"""gunicorn's settings for Partnerships: `gunicorn -c config/gunicorn.conf.py`.

Every value can be overridden from the environment, so the same file serves a laptop, the
benchmark and the city's servers (docs/deploy.md).
"""

import gc
import multiprocessing
import os

wsgi_app = "config.wsgi:application"

# nginx in front forwards to this address; never expose gunicorn directly.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Synchronous workers: the pages are rendered from the cache or from a handful of queries, so a
# worker is never idle waiting long; (2 x cores) + 1 is gunicorn's own recommendation.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Recycle workers now and then so that a slow leak can never grow without bound; rarely, because
# a fresh worker answers its first requests slowly (benchmarks/load.sh: at 5,000 requests, the
# recycling under load pushed p99 latency from ~80 ms to ~110 ms).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10  # so that the workers do not all restart at once

# Load the application once in the master, so workers start fast and share memory.
preload_app = True


def when_ready(server):
    """The application is loaded and no worker is forked yet: freeze what it allocated.

    The garbage collector then leaves the ~90,000 objects of the loaded application alone: a full
    collection in a worker scans only what requests created, instead of pausing a request for
    tens of milliseconds (measured: 79 ms), and it no longer writes to the memory pages the
    workers share with the master (copy-on-write). See the documentation of `gc.freeze`.
    """
    gc.collect()
    gc.freeze()


# Only nginx on this host may set X-Forwarded-Proto / X-Real-IP.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
