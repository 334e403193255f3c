from datetime import timedelta

from django_tasks import task

from kepu.scheduler.registry import periodic

from .services import send_deadline_reminders


@periodic(every=timedelta(hours=1))
@task()
def remind_submission_deadlines() -> int:
    """Email units that have not answered a request that is due soon or overdue."""
    return send_deadline_reminders()
