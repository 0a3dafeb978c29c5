import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


def test_models_and_migrations_agree(db):
    """`makemigrations --check`: a model change without its migration fails the suite."""
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


@pytest.mark.django_db
def test_create_demo_admin_creates_one_login_and_then_leaves_it_alone():
    out = io.StringIO()
    call_command("create_demo_admin", stdout=out)
    assert "password" in out.getvalue()
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    call_command("create_demo_admin", stdout=io.StringIO())
    assert get_user_model().objects.count() == 1
