from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "kepu.orgs"
    label = "orgs"
    verbose_name = "组织体系"
