"""Declaring periodic jobs and enqueuing the ones that are due.

An app declares a job next to its task::

    @periodic(every=timedelta(minutes=1))
    @task()
    def publish_scheduled_pages() -> int: ...

``tick()`` — run in a loop by ``manage.py run_scheduler`` (started by ``make demo`` beside
the worker) — enqueues each due job on the configured task backend, whichever it is: the
database backend of the embedded default or RQ. Due rows are claimed under a row lock, so
two schedulers never enqueue the same run twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .models import PeriodicJob, SchedulerHeartbeat


@dataclass(frozen=True)
class PeriodicSpec:
    name: str
    task: Any
    interval: timedelta


REGISTRY: dict[str, PeriodicSpec] = {}


def periodic(*, every: timedelta, name: str | None = None):
    """Register a django-tasks ``Task`` to be enqueued every ``every``."""
    if every.total_seconds() < 1:
        raise ValueError("a periodic job runs at most once a second")

    def register(task_obj: Any) -> Any:
        job_name = name or task_obj.module_path
        REGISTRY[job_name] = PeriodicSpec(job_name, task_obj, every)
        return task_obj

    return register


def _sync_rows(now: datetime) -> None:
    existing = dict(PeriodicJob.objects.values_list("name", "interval_seconds"))
    for spec in REGISTRY.values():
        seconds = int(spec.interval.total_seconds())
        if spec.name not in existing:
            PeriodicJob.objects.get_or_create(
                name=spec.name, defaults={"interval_seconds": seconds, "next_run_at": now}
            )
        elif existing[spec.name] != seconds:
            PeriodicJob.objects.filter(name=spec.name).update(interval_seconds=seconds)


def tick(now: datetime | None = None) -> list[str]:
    """Enqueue every enabled job that is due; return the names enqueued."""
    now = now or timezone.now()
    _sync_rows(now)
    enqueued: list[str] = []
    with transaction.atomic():
        due = PeriodicJob.objects.filter(
            enabled=True, next_run_at__lte=now, name__in=list(REGISTRY)
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        for job in due:
            spec = REGISTRY[job.name]
            try:
                result = spec.task.enqueue()
            except Exception as exc:  # the queue being down must not stop other jobs
                job.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                job.next_run_at = now + timedelta(seconds=min(job.interval_seconds, 60))
                job.save(update_fields=["last_error", "next_run_at"])
                continue
            job.last_enqueued_at = now
            job.last_result_id = str(result.id)
            job.last_error = ""
            job.next_run_at = now + timedelta(seconds=job.interval_seconds)
            job.save(
                update_fields=["last_enqueued_at", "last_result_id", "last_error", "next_run_at"]
            )
            enqueued.append(job.name)
        SchedulerHeartbeat.objects.update_or_create(name="scheduler", defaults={"ticked_at": now})
    return enqueued
