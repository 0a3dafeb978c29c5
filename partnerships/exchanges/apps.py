from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    """Associations that carry partnerships, and the exchanges and events of each relationship."""

    name = "partnerships.exchanges"
    label = "exchanges"
    verbose_name = _("Associations and events")

    def ready(self):
        from . import history, signals  # noqa: F401
