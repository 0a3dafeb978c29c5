"""Settings for Partnerships, read from the environment.

One module for every environment. A developer gets SQLite and DEBUG without setting anything;
production (DJANGO_ENV=production, which the WSGI entry point sets by default) refuses to start
without the values that must never be guessed.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


# --- Environment ---
# "development" (the default for manage.py) or "production" (the default for wsgi.py).
DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"
DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_ENV=production.")
    SECRET_KEY = "django-insecure-development-only-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Applications ---
# --- Background tasks (large imports: partnerships/transfer/tasks.py) ---
# Django 6's tasks framework, backported by django-tasks. The default keeps the queue in the
# site's own database and needs only `manage.py db_worker` beside the site (scripts/run starts
# it). TASKS_BACKEND=rq puts the queue on Redis (TASKS_REDIS_URL, else CACHE_URL) for RQ's
# workers (`manage.py rqworker --job-class django_tasks_rq.Job default`; docs/deploy.md).
# "immediate" runs each task inside the request that enqueues it (the tests' choice).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
if TASKS_BACKEND == "database":
    # django_tasks_db, named in the admin's language (config/apps.py).
    TASK_APPS = ["config.apps.BackgroundTasksConfig"]
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "rq":
    TASK_APPS = ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL") or os.environ.get("CACHE_URL", "")
    if not TASKS_REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs TASKS_REDIS_URL or CACHE_URL.")
    # An import of 200,000 rows is checked and written in minutes; RQ's default is 3.
    RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": 60 * 60}}
elif TASKS_BACKEND == "immediate":
    TASK_APPS = []
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured("TASKS_BACKEND must be database, rq or immediate.")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so that its field patches are in place.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_countries",
    "import_export",
    "easy_thumbnails",
    "reversion",
    "axes",
    "csp",
    "partnerships",
    "partnerships.transfer",
    "partnerships.feedback",
    "partnerships.translating",
    "partnerships.exchanges",
    "django_tasks",
    *TASK_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before sessions, locale or the database are touched.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages leave compressed to a client that accepts gzip. nginx always does, and keeps a public
    # page for a second (docs/deploy.md): it then sends the compressed page as it is, as it sends
    # a static file, instead of compressing it again for every reader.
    "django.middleware.gzip.GZipMiddleware",
    # Cached public pages are answered here, with the headers the middleware below added when
    # the page was rendered. Not for signed-in editors. See partnerships/caching.py.
    "partnerships.caching.PublicPageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # axes must come after AuthenticationMiddleware (it answers locked-out logins).
    "axes.middleware.AxesMiddleware",
    # SQLite: a save that timed out behind a large import's write says so (partnerships/busy.py).
    "partnerships.busy.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---
# SQLite for a developer; production sets DATABASE_URL (postgres://user@host:5432/name).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Write-ahead logging: the site's readers never wait for a writer. Without it, the task
        # worker writing a large import (one transaction, minutes long) locked every page out.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        # A write takes the write lock when its transaction begins, so two writers queue up
        # instead of one failing at once with "database is locked" half-way through.
        "transaction_mode": "IMMEDIATE",
        # How long a write waits for another's (an editor's save behind a large import's end).
        "timeout": 30,
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ---
# Redis when CACHE_URL is set (redis://host:6379/0), shared by every app server; otherwise
# memory local to each process, which is right for a developer and for tests.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    if urlsplit(CACHE_URL).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured("CACHE_URL must be a redis:// or rediss:// URL.")
    CACHES = {
        "default": {
            # django-redis rather than Django's own backend: it keeps one client per process,
            # where Django's builds a new one for every call (a third of a cached page's time).
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "partnerships",
            # Redis answers in well under a millisecond; one that hangs must not hang the site.
            # After a failure each process renders without the cache for a few seconds
            # (partnerships/shared_cache.py).
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "partnerships",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
# What a background import has done so far (rows read, checked, written), written by the worker
# while the import's transaction is still open, so not into the database: into Redis when the
# site has it, else into files that the site's and the worker's processes on this machine share.
IMPORT_PROGRESS_DIR = Path(os.environ.get("IMPORT_PROGRESS_DIR", BASE_DIR / "import-progress"))
CACHES["import_progress"] = (
    {**CACHES["default"], "KEY_PREFIX": "partnerships-import"}
    if CACHE_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": IMPORT_PROGRESS_DIR,
    }
)
# Public pages are cached per address and checked against the content version on every request
# (partnerships/caching.py), so the lifetime only bounds how long unused entries take up memory.
# PUBLIC_PAGE_CACHE=0 turns the page cache (and its ETags) off, e.g. to measure a view's own cost.
PUBLIC_PAGE_CACHE = env_bool("PUBLIC_PAGE_CACHE", default=True)
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 3600)
# After a change, one request renders a page again while the others are served the page as it
# was, for at most this many seconds after the change (0: never; they wait for the new page).
# So an edit shows on every page within these seconds, and never stalls the readers.
PUBLIC_PAGE_STALE_SECONDS = env_int("PUBLIC_PAGE_STALE_SECONDS", 10)
# Addresses in one page of the sitemap (the protocol allows 50,000; partnerships/sitemaps.py).
SITEMAP_PAGE_ADDRESSES = env_int("SITEMAP_PAGE_ADDRESSES", 10_000)
# A shared cache (Redis) also holds the content version, published there by every change, so a
# cached page costs no database query. Local memory is private to each process, so there the
# version is read from the database on every request.
PUBLIC_PAGE_CACHE_SHARED = bool(CACHE_URL)
# Changes with every release (e.g. the git commit), so that new templates are not hidden behind
# pages cached by the previous release.
RELEASE_ID = os.environ.get("RELEASE_ID", "")

# --- Authentication ---
AUTHENTICATION_BACKENDS = [
    # django-axes refuses logins from a locked-out address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation ---
# German is the city's language and the fallback for untranslated content. Adding a language is
# a line here, `makemigrations` for its new translated columns (with the search's index: see
# README, "Languages"), and its locale/ catalogue.
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", _("German")),
    ("en", _("English")),
    ("he", _("Hebrew")),
    ("pl", _("Polish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Where a language's number and date formats need more than Django's (config/formats/<code>/).
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Berlin"

MODELTRANSLATION_DEFAULT_LANGUAGE = "de"
# Every language falls back to German, the language the office always writes first.
MODELTRANSLATION_FALLBACK_LANGUAGES = ("de",)

# --- Static files and uploads ---
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = os.environ.get("MEDIA_URL", "media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# An image chosen on an admin form that came back with an error waits here, for a day at most,
# until the form is saved (partnerships/kept_uploads.py). Never served: keep it outside
# MEDIA_ROOT and, with several app servers, on storage they share, like MEDIA_ROOT.
PENDING_UPLOADS_ROOT = Path(os.environ.get("PENDING_UPLOADS_ROOT", BASE_DIR / "pending-uploads"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves compressed files with hashed names (cached for ever) through WhiteNoise;
    # they exist only after `collectstatic`, which development and tests do not need.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# A developer's WhiteNoise serves straight from static/ and app folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# --- Images (partnerships/images.py) ---
# Uploads beyond these limits are refused with a message; renditions are made once on save.
IMAGE_MAX_UPLOAD_BYTES = int(os.environ.get("IMAGE_MAX_UPLOAD_BYTES", 15 * 1024 * 1024))
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", 50_000_000))
IMAGE_RENDITION_WIDTHS = (320, 640, 768, 1280)
# easy-thumbnails: renditions sit next to their source, e.g. partners/a.jpg.640x0_q70.webp.
THUMBNAIL_PROGRESSIVE = 640

# --- The sign-language (DGS) video (partnerships/video.py) ---
# Checked with ffprobe on upload; nginx's client_max_body_size (docs/deploy.md) must allow it.
SIGN_LANGUAGE_VIDEO_MAX_BYTES = env_int("SIGN_LANGUAGE_VIDEO_MAX_BYTES", 200 * 1024 * 1024)
SIGN_LANGUAGE_VIDEO_MAX_SECONDS = env_int("SIGN_LANGUAGE_VIDEO_MAX_SECONDS", 15 * 60)

# modeltranslation's tabs need jQuery UI; serve our copy instead of its default CDN address.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# --- Import/export ---
# Imports run in one transaction: a file with one bad row writes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# How long an uploaded file waits for its preview to be confirmed (transfer/uploads.py).
IMPORT_UPLOAD_TIMEOUT = int(os.environ.get("IMPORT_UPLOAD_TIMEOUT", 2 * 60 * 60))
# On SQLite, a background import with no progress for this long is taken as lost (its worker
# died); PostgreSQL knows at once by a row lock (transfer/runs.py).
IMPORT_LOST_AFTER = env_int("IMPORT_LOST_AFTER", 300)
# Import needs its own permission ("Can import partners from a file"); export needs "view".
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# The licence of the open data at /data/ (a licence line in every file and a Link header).
OPEN_DATA_LICENCE = os.environ.get(
    "OPEN_DATA_LICENCE", "Datenlizenz Deutschland – Namensnennung – Version 2.0"
)
OPEN_DATA_LICENCE_URL = os.environ.get(
    "OPEN_DATA_LICENCE_URL", "https://www.govdata.de/dl-de/by-2-0"
)
# The same licence as DCAT-AP.de names it (http://dcat-ap.de/def/licenses/), for the metadata
# that GovData harvests (partnerships/open_data/dcat.py), and the publisher's GovData
# contributor id (dcatde:contributorID, e.g. http://dcat-ap.de/def/contributors/...), if any.
OPEN_DATA_LICENCE_DCAT = os.environ.get(
    "OPEN_DATA_LICENCE_DCAT", "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
)
OPEN_DATA_CONTRIBUTOR_ID = os.environ.get("OPEN_DATA_CONTRIBUTOR_ID", "")
# Where the open data's files are written after each change and served from
# (partnerships/open_data/). Kept across releases (outside the checkout) they are served at once
# after a deploy; with several app servers, on storage they share, as MEDIA_ROOT.
OPEN_DATA_ROOT = Path(os.environ.get("OPEN_DATA_ROOT", BASE_DIR / "open-data"))

# --- Security ---
# Behind nginx (docs/deploy.md), which terminates TLS and sets X-Forwarded-Proto; without a
# proxy that sets it, DJANGO_BEHIND_PROXY=0, or anyone could claim to be on HTTPS.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", default=PRODUCTION)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=PRODUCTION)
# The proxy's health check asks over plain HTTP on the internal network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# A year of HTTPS only, subdomains included: the city's hosts are all HTTPS.
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Partner websites we link to learn nothing about which page the reader came from.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = PRODUCTION
# The admin sends the CSRF token from its forms; no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): scripts, styles and everything else only from this
# site; no inline script or style, no eval. The admin (Django's, modeltranslation's tabs, our
# jQuery UI copy in static/vendor) runs from static files only, so it works under this policy.
_media_origin = "{0.scheme}://{0.netloc}".format(urlsplit(MEDIA_URL)) if "//" in MEDIA_URL else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the small icons inlined in the admin's and jQuery UI's style sheets.
        "img-src": [SELF, "data:", *([_media_origin] if _media_origin else [])],
        # The sign-language video and its captions, from the uploads.
        "media-src": [SELF, *([_media_origin] if _media_origin else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Admin logins (django-axes): five failed attempts from one address lock it out for 15 minutes.
# Behind the proxy the client's address is the X-Real-IP header that nginx sets (and overwrites
# when a client sends one); otherwise every reader would share the proxy's address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
# Lockouts are still logged as warnings; this only silences the start-up banner.
AXES_VERBOSE = False
if BEHIND_PROXY:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_REAL_IP", "REMOTE_ADDR"]

# --- Site ---
# The public name of the city whose relations these are; used in titles and structured data.
CITY_NAME = os.environ.get("PARTNERSHIPS_CITY_NAME", "Düsseldorf")
# The domain in every event's calendar UID (RFC 5545: "event-12@<domain>"). One name, whatever
# host a reader subscribed through, so that a calendar app never sees an event twice; it must
# stay the same for good (a new one shows every event again beside the old ones).
CALENDAR_UID_DOMAIN = os.environ.get(
    "PARTNERSHIPS_CALENDAR_UID_DOMAIN", "international-relations.duesseldorf.de"
)

# --- E-mail ---
# Django's mail settings, read from the environment. Production sends through SMTP
# (EMAIL_HOST...); a developer's mails are printed to the console. EMAIL_BACKEND overrides both.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
# A mail server that does not answer must not hold the task worker for minutes.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Feedback on barriers (BGG §12b; partnerships/feedback/) ---
# Who is told of a new report: these addresses, else the office's e-mail (admin: Office).
FEEDBACK_RECIPIENTS = env_list("FEEDBACK_RECIPIENTS")
# The longest description a report may have, in characters.
FEEDBACK_MAX_MESSAGE_CHARS = env_int("FEEDBACK_MAX_MESSAGE_CHARS", 5000)
# Reports one client address may send per window (0: no limit), counted in the cache by the
# address django-axes sees (X-Real-IP behind the proxy), kept there only as a hash.
FEEDBACK_RATE_LIMIT = env_int("FEEDBACK_RATE_LIMIT", 5)
FEEDBACK_RATE_LIMIT_SECONDS = env_int("FEEDBACK_RATE_LIMIT_SECONDS", 60 * 60)
# Reports are deleted this many days after they arrived (`manage.py delete_old_feedback`, run
# daily: docs/deploy.md). The privacy statement names this period.
FEEDBACK_RETENTION_DAYS = env_int("FEEDBACK_RETENTION_DAYS", 180)
if FEEDBACK_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("FEEDBACK_RETENTION_DAYS must be at least 1.")
# Where the city is, for the map's home mark and its arcs to the partners (Düsseldorf's
# Rathaus by default). Empty values leave the home mark out.
CITY_LATITUDE = float(os.environ.get("PARTNERSHIPS_CITY_LATITUDE", "51.2277") or "nan")
CITY_LONGITUDE = float(os.environ.get("PARTNERSHIPS_CITY_LONGITUDE", "6.7735") or "nan")

# --- Logging ---
# Everything goes to the console once, through the root logger, at DJANGO_LOG_LEVEL. Django's
# default configuration gives the "django" logger a console handler of its own (with DEBUG) and
# lets it propagate to the root as well, which printed every line twice in development; here it
# only propagates. Configuring "django" resets its children, so runserver's request lines
# ("django.server") get Django's own handler and format back, as in its DEFAULT_LOGGING.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}
