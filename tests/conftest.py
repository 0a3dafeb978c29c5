import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads in tests go to a temporary folder, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def demo(db):
    """The seed page's content, as `load_demo` loads it."""
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))
