"""The review queue: every item in review in the user's units, its step, time in the step,
and whether the step is overdue."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.models import TaskState

from kepu.orgs import permissions as perms

from . import subjects


def queue_view(request):
    if not perms.user_has_permission(request.user, perms.VIEW_DRAFTS):
        raise PermissionDenied
    rows = []
    states = (
        TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS)
        .select_related("task", "workflow_state")
        .order_by("started_at")
    )
    now = timezone.now()
    for state in states:
        obj = state.workflow_state.content_object
        unit = subjects.unit_of(obj)
        if unit is None or not perms.user_has_permission(request.user, perms.VIEW_DRAFTS, unit):
            continue
        task = state.task.specific
        rows.append(
            {
                "object": obj,
                "unit": unit,
                "task": task,
                "hours": round((now - state.started_at).total_seconds() / 3600, 1),
                "overdue": getattr(task, "is_overdue", lambda s: False)(state),
            }
        )
    return TemplateResponse(request, "review/queue.html", {"rows": rows})
