from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kepu.search"
    label = "kepu_search"
    verbose_name = "中文检索"
