import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

from partnerships import shared_cache


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite's test database in a file, not in memory: the task worker that
    test_import_background.py starts in a process of its own must be able to open it."""
    from django.conf import settings

    default = settings.DATABASES["default"]
    if default["ENGINE"] == "django.db.backends.sqlite3":
        test = default.setdefault("TEST", {})
        if not test.get("NAME"):
            test["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads (and the open data's files) in tests go to a temporary folder, never into the
    project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PENDING_UPLOADS_ROOT = tmp_path / "pending-uploads"
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Background tasks run inside the request that enqueues them (test_import_background.py
    runs them with the database backend and a real worker); their progress goes to memory."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CACHES = {
        **settings.CACHES,
        "import_progress": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }


@pytest.fixture(autouse=True)
def cache_breaker_closed():
    """A test that takes the cache down must not leave the next test without a cache."""
    shared_cache.resume()
    yield
    shared_cache.resume()


@pytest.fixture
def demo(db):
    """The seed page's content, as `load_demo` loads it."""
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server, whose threads close their database connection after each
    request. With CONN_MAX_AGE (config/settings.py) a thread serving a browser's keep-alive
    connection kept its connection open past the end of the run, and PostgreSQL then refused to
    drop the test database ("is being accessed by other users") and left it behind."""
    # Each thread's connection reads this dict when it connects; the live server's threads are
    # the only ones that connect from here on, the tests' own connection exists already.
    connections.settings[DEFAULT_DB_ALIAS]["CONN_MAX_AGE"] = 0
    return live_server
