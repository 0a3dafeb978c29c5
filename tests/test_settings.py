"""The settings module in each environment, read in a fresh process as a server would read it."""

import json
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOST = "partnerships.example.org"

# Variables the settings read; removed so that the developer's or CI's own values do not leak in.
SETTINGS_VARIABLES = {
    "ALLOWED_HOSTS",
    "CACHE_URL",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "MEDIA_ROOT",
    "MEDIA_URL",
    "RELEASE_ID",
    "STATIC_ROOT",
}


def clean_environment(**values):
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in SETTINGS_VARIABLES and not name.startswith(("DJANGO_", "AXES_"))
    }
    env.update(values)
    return env


def production(tmp_path, **values):
    defaults = {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    return clean_environment(**{**defaults, **values})


def run(args, env, timeout=120):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def settings_in(env):
    """Selected settings as a process with this environment sees them."""
    code = textwrap.dedent(
        """
        import json, django
        from django.conf import settings
        django.setup()
        print(json.dumps({
            "DEBUG": settings.DEBUG,
            "STATIC": settings.STORAGES["staticfiles"]["BACKEND"],
            "CACHE": settings.CACHES["default"]["BACKEND"],
            "CACHE_LOCATION": settings.CACHES["default"].get("LOCATION"),
            "PAGE_CACHE_SHARED": settings.PUBLIC_PAGE_CACHE_SHARED,
            "CACHE_OPTIONS": settings.CACHES["default"].get("OPTIONS", {}),
            "DATABASE": settings.DATABASES["default"]["ENGINE"],
            "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
            "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
            "SESSION_COOKIE_HTTPONLY": settings.SESSION_COOKIE_HTTPONLY,
            "HSTS": settings.SECURE_HSTS_SECONDS,
            "SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
            "PROXY_SSL_HEADER": getattr(settings, "SECURE_PROXY_SSL_HEADER", None),
            "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
            "CSRF_TRUSTED_ORIGINS": settings.CSRF_TRUSTED_ORIGINS,
        }))
        """
    )
    result = run(["-c", code], {**env, "DJANGO_SETTINGS_MODULE": "config.settings"})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production(tmp_path)
    del env["DJANGO_SECRET_KEY"]
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    env = production(tmp_path)
    del env["ALLOWED_HOSTS"]
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_the_wsgi_entry_point_means_production():
    """gunicorn loads config.wsgi: without DJANGO_ENV set, that is production."""
    result = run(["-c", "import config.wsgi"], clean_environment())
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_gunicorn_loads_the_application_with_the_config_in_the_repository(tmp_path):
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    command = [gunicorn, "--check-config", "-c", "config/gunicorn.conf.py"]
    ok = subprocess.run(command, cwd=ROOT, env=production(tmp_path), capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    without_key = production(tmp_path)
    del without_key["DJANGO_SECRET_KEY"]
    refused = subprocess.run(command, cwd=ROOT, env=without_key, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in refused.stderr


def test_deploy_check_passes_in_production(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_does_fail_on_a_weak_configuration(tmp_path):
    """The check above can fail: a production server without HSTS is reported."""
    env = production(tmp_path, DJANGO_HSTS_SECONDS="0")
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout


def test_development_defaults():
    values = settings_in(clean_environment())
    assert values["DEBUG"] is True
    assert values["STATIC"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert values["CACHE"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["PAGE_CACHE_SHARED"] is False  # each process has its own: ask the database
    assert values["DATABASE"] == "django.db.backends.sqlite3"
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SSL_REDIRECT"] is False
    assert values["HSTS"] == 0


def test_production_values(tmp_path):
    values = settings_in(
        production(
            tmp_path,
            CACHE_URL="redis://cache.internal:6379/1",
            DATABASE_URL="postgres://partnerships@db.internal:5432/partnerships",
            CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        )
    )
    assert values["DEBUG"] is False
    assert values["STATIC"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["CACHE"] == "django_redis.cache.RedisCache"
    assert values["CACHE_LOCATION"] == "redis://cache.internal:6379/1"
    assert values["PAGE_CACHE_SHARED"] is True
    # A Redis that hangs is given up on quickly (and then left alone for a while).
    assert values["CACHE_OPTIONS"]["SOCKET_TIMEOUT"] <= 0.5
    assert values["CACHE_OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] <= 0.5
    assert values["DATABASE"] == "django.db.backends.postgresql"
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["HSTS"] == 31536000
    assert values["SSL_REDIRECT"] is True
    assert values["PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["ALLOWED_HOSTS"] == [HOST]
    assert values["CSRF_TRUSTED_ORIGINS"] == [f"https://{HOST}"]


def test_a_cache_url_that_is_not_redis_is_refused(tmp_path):
    result = run(["manage.py", "check"], production(tmp_path, CACHE_URL="memcached://x:11211"))
    assert result.returncode != 0
    assert "CACHE_URL must be a redis://" in result.stderr


# --- A production process end to end: collectstatic, WhiteNoise, headers, cookies -----------

SMOKE = textwrap.dedent(
    """
    import json, django
    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client

    User.objects.create_superuser("chef", "chef@example.org", "the-right-password-42")
    results = {}

    def record(name, response):
        results[name] = {
            "status": response.status_code,
            "headers": dict(response.headers),
            "cookies": {
                key: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"])}
                for key, m in response.cookies.items()
            },
            "body": b"".join(response).decode("utf-8", "replace")[:20000]
            if response.streaming else response.content.decode("utf-8", "replace")[:20000],
        }

    https = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_HOST": "%(host)s"}
    client = Client()
    record("page", client.get("/de/", **https))
    record("plain_http", client.get("/de/", HTTP_HOST="%(host)s"))
    record("healthz", client.get("/healthz", HTTP_HOST="%(host)s"))
    record("login_form", client.get("/admin/login/", **https))
    record("login", client.post(
        "/admin/login/",
        {"username": "chef", "password": "the-right-password-42", "next": "/admin/"},
        **https,
    ))
    record("admin", client.get("/admin/partnerships/partner/", **https))
    record("foreign_host", Client().get("/de/", HTTP_X_FORWARDED_PROTO="https",
                                        HTTP_HOST="evil.example"))
    page = results["page"]["body"]
    css = page.split('href="/static/css/')[1].split('"')[0]
    record("static", Client().get("/static/css/" + css, HTTP_ACCEPT_ENCODING="gzip", **https))
    print("RESULTS" + json.dumps(results))
    """
) % {"host": HOST}


@pytest.fixture(scope="module")
def production_responses(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production")
    env = production(tmp_path)
    for command in (["collectstatic", "--noinput"], ["migrate"], ["load_demo"]):
        result = run(["manage.py", *command, "-v0"], env, timeout=300)
        assert result.returncode == 0, result.stderr
    result = run(["-c", SMOKE], {**env, "DJANGO_SETTINGS_MODULE": "config.settings"})
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULTS"))
    return json.loads(line.removeprefix("RESULTS"))


def test_production_page_headers(production_responses):
    page = production_responses["page"]
    assert page["status"] == 200
    headers = page["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["ETag"]
    # Static files are linked by their hashed, compressed names.
    assert "/static/css/site." in page["body"] and 'site.css"' not in page["body"]


def test_production_redirects_plain_http_but_not_the_health_check(production_responses):
    assert production_responses["plain_http"]["status"] == 301
    assert production_responses["plain_http"]["headers"]["Location"] == f"https://{HOST}/de/"
    assert production_responses["healthz"]["status"] == 200


def test_production_cookies_are_secure_and_http_only(production_responses):
    csrf = production_responses["login_form"]["cookies"]["csrftoken"]
    assert csrf == {"secure": True, "httponly": True}
    assert production_responses["login"]["status"] == 302
    session = production_responses["login"]["cookies"]["sessionid"]
    assert session == {"secure": True, "httponly": True}
    assert production_responses["admin"]["status"] == 200


def test_production_refuses_foreign_hosts(production_responses):
    assert production_responses["foreign_host"]["status"] == 400


def test_whitenoise_serves_hashed_compressed_static_files(production_responses):
    static = production_responses["static"]
    assert static["status"] == 200
    assert static["headers"]["Content-Encoding"] == "gzip"
    assert "immutable" in static["headers"]["Cache-Control"]
    assert "max-age=315360000" in static["headers"]["Cache-Control"]


# --- /healthz -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch, caplog):
    from django.db import OperationalError

    from partnerships import health

    class Unreachable:
        def cursor(self):
            raise OperationalError('connection to server at "db.internal" failed')

    monkeypatch.setattr(health, "connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
    assert "the database does not answer" in caplog.text


def test_gunicorn_freezes_the_loaded_application_before_forking_and_recycles_rarely():
    """Run in a process of its own: freezing is for the life of the process."""
    code = textwrap.dedent(
        """
        import gc, runpy
        conf = runpy.run_path("config/gunicorn.conf.py")
        conf["when_ready"](None)
        print(gc.get_freeze_count() > 1000, conf["max_requests"], conf["max_requests_jitter"])
        """
    )
    result = run(["-c", code], {**clean_environment(), "GUNICORN_MAX_REQUESTS": "2000"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "2000", "200"]


def test_each_log_line_appears_once_in_development():
    """Django's "django" logger had a console handler of its own besides the root's."""
    code = textwrap.dedent(
        """
        import logging, django
        django.setup()
        logging.getLogger("django.request").warning("a request line")
        logging.getLogger("partnerships").warning("an application line")
        logging.getLogger("django.server").info("a runserver line")
        """
    )
    result = run(["-c", code], clean_environment(DJANGO_SETTINGS_MODULE="config.settings"))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines.count("a request line") == 1, result.stderr
    assert lines.count("an application line") == 1, result.stderr
    # runserver's request lines keep their time stamp: "[01/Dec/2026 10:00:00,123] ...".
    [server_line] = [line for line in lines if "a runserver line" in line]
    assert server_line.startswith("[") and server_line.endswith("] a runserver line")
