from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "kepu.review"
    label = "review"
    verbose_name = "审核"
