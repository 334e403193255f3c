from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class SchedulerConfig(AppConfig):
    name = "kepu.scheduler"
    label = "scheduler"
    verbose_name = "定时任务"

    def ready(self) -> None:
        # Periodic jobs are declared next to their tasks in each app's tasks.py.
        autodiscover_modules("tasks")
