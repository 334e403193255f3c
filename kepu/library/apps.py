from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "kepu.library"
    label = "library"
    verbose_name = "科普资源库"
