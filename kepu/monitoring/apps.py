from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "kepu.monitoring"
    label = "monitoring"
    verbose_name = "舆情与形象资产监测"
