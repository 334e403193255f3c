from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kepu.core"
    label = "kepu_core"
    verbose_name = "核心"
