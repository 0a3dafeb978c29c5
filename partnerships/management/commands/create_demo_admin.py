import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

# From the project folder, without activating the virtual environment (a bare `python` would
# be the system's, without Django).
MANAGE = ".venv/bin/python manage.py"


class Command(BaseCommand):
    help = "Create an administrator with a random password for a development site, once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Admin login: user “{username}” exists already. A new password: "
                f"{MANAGE} changepassword {username}"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username, password=password)
        self.stdout.write(
            self.style.SUCCESS(f"Admin login: user “{username}”, password “{password}”")
            + f" (shown once; change it with: {MANAGE} changepassword {username})"
        )
