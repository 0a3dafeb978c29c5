from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslatingConfig(AppConfig):
    name = "partnerships.translating"
    label = "translating"
    verbose_name = _("Translations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import stamps  # noqa: F401  (connects the signals that keep the stamps)
