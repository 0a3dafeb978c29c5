"""Third-party apps as the admin shows them (their INSTALLED_APPS entries name these)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks_db.apps import TasksAppConfig


class BackgroundTasksConfig(TasksAppConfig):
    """django-tasks' database queue, named in the admin's language: the library names its app
    in English only, and its models' names ("Task Result") have no German or other catalogue."""

    verbose_name = _("Background tasks")


# Translators: the names django-tasks gives its queue's rows in the admin.
TASK_MODEL_NAMES = [gettext_noop("Task Result"), gettext_noop("Task Results")]
