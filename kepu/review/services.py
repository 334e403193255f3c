"""Read-side: the 审核 badge and the review queue with time per step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from wagtail.models import TaskState

from .models import ReviewApproval


@dataclass
class ReviewBadge:
    reviewers: list[str]
    approved_at: datetime


def review_badge(obj: Any) -> ReviewBadge | None:
    """Who approved the live version for scientific accuracy, and when (None if nobody)."""
    approvals = (
        ReviewApproval.objects.filter(
            task_state__workflow_state__content_type=ContentType.objects.get_for_model(obj),
            task_state__workflow_state__object_id=str(obj.pk),
            task_state__status=TaskState.STATUS_APPROVED,
        )
        .select_related("user", "task_state")
        .order_by("-task_state__finished_at", "at")
    )
    latest_state = None
    names: list[str] = []
    for approval in approvals:
        if latest_state is None:
            latest_state = approval.task_state
        if approval.task_state_id != latest_state.pk:
            break
        names.append(approval.user.get_full_name() or approval.user.get_username())
    if latest_state is None:
        return None
    return ReviewBadge(reviewers=names, approved_at=latest_state.finished_at)
