from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "partnerships.feedback"
    label = "feedback"
    verbose_name = _("Reported barriers")
    default_auto_field = "django.db.models.BigAutoField"
