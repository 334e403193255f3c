from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "kepu.publishing"
    label = "publishing"
    verbose_name = "全媒体发布"
