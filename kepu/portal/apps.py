from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "kepu.portal"
    label = "portal"
    verbose_name = "门户与网站群"
