"""What an editor is told when a piece is in review.

A piece in a review step is locked for everyone the step does not let edit (the scientific
review and the compliance check lock it for all: reviewers comment and decide, they do not
rewrite), so that what the reviewers approve is exactly what gets published. Wagtail's own
message ("only reviewers for this task can edit") is wrong for Kepu's steps; these say which
step, why, and what to do. Edits refused while locked leave everything stored unchanged.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from wagtail.locks import WorkflowLock


def _names(lock: WorkflowLock) -> dict[str, str]:
    state = lock.object.current_workflow_state
    return {
        "model_name": str(lock.model_name),
        "task": lock.task.name,
        "workflow": state.workflow.name if state else "",
    }


class ReviewLock(WorkflowLock):
    def get_message(self, user: Any) -> str:
        if self.for_user(user):
            return _(
                "This %(model_name)s is in review (step “%(task)s” of “%(workflow)s”) and is "
                "locked, so that what the reviewers approve is what gets published. To change "
                "it, ask for it to be returned for changes, or cancel the review, then edit it."
            ) % _names(self)
        return _(
            "This %(model_name)s is in review (step “%(task)s”). Changes you save here go on "
            "to the remaining review steps."
        ) % _names(self)


def review_lock_reason(obj: Any, user: Any) -> str | None:
    """Why ``user`` may not save changes to ``obj`` now because of its review (None if they
    may). Callers refuse the edit with this message and store nothing."""
    get_lock = getattr(obj, "get_lock", None)
    lock = get_lock() if get_lock else None
    if not isinstance(lock, WorkflowLock) or not lock.for_user(user):
        return None
    return _(
        "Your changes were not saved: this %(model_name)s is locked while it is in review "
        "(step “%(task)s” of “%(workflow)s”). Nothing stored has changed. Ask for it to be "
        "returned for changes, or cancel the review, then edit it again."
    ) % _names(lock)
