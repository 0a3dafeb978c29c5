import pytest
from django.core.management import call_command

from partnerships import shared_cache


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads in tests go to a temporary folder, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PENDING_UPLOADS_ROOT = tmp_path / "pending-uploads"
    return settings.MEDIA_ROOT


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
