from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "kepu.review"
    label = "review"
    verbose_name = "审核"

    def ready(self) -> None:
        from . import audit

        audit.connect()
