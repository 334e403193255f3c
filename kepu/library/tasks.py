"""Background work of the library: keeping the search index in step with the database."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from kepu.scheduler.registry import periodic


@task()
def update_search_index(resource_ids: list[int]) -> dict[str, int]:
    """(Re)index the live ones among ``resource_ids``, drop the others. Idempotent."""
    from .search import index_resources_now

    return index_resources_now(resource_ids)


@task()
def rebuild_search_index() -> dict:
    """Full online rebuild (aside + swap); enqueued when the dictionaries change."""
    from .search import rebuild_index

    info = rebuild_index()
    return {"docs": info["docs"], "seconds": round(info["seconds"], 2)}


@periodic(every=timedelta(hours=24))
@task()
def nightly_search_rebuild() -> dict:
    """A nightly rebuild heals anything an interrupted update left behind."""
    from .search import rebuild_index

    info = rebuild_index()
    return {"docs": info["docs"], "seconds": round(info["seconds"], 2)}
