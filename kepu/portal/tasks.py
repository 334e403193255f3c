"""Background work for the portal."""

from datetime import timedelta

from django.core.management import call_command
from django_tasks import task

from kepu.scheduler.registry import periodic


@periodic(every=timedelta(minutes=1))
@task()
def publish_scheduled_pages() -> str:
    """Wagtail's scheduled publishing and unpublishing (go-live / expiry times)."""
    call_command("publish_scheduled", verbosity=0)
    return "ok"
