from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kepu.api"
    label = "kepu_api"
    verbose_name = "开放接口"
