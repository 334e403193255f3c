"""`manage.py rebuild_search` rebuilds from the database aside and swaps: queries running
meanwhile never fail and never see an empty index; updates made meanwhile are not lost."""

import threading
import time

import pytest
from django.core.management import call_command

from kepu.library.models import Resource
from kepu.library.search import get_index, search_resources
from kepu.library.tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_rebuild_while_queries_run(tree, committed, capsys):
    with committed():
        ResourceFactory(
            unit=tree.inst_a, external_id="anchor", title="引力波探测", body_text="激光干涉"
        )
        for i in range(150):
            ResourceFactory(unit=tree.inst_b, external_id=f"n{i}", title=f"天文观测笔记{i}",
                            body_text="望远镜 星系 恒星 " * 20)  # fmt: skip
    index = get_index()
    before = index._generation().name
    # A change the index has not seen yet: the rebuild reads it from the database.
    Resource.objects.filter(external_id="n0").update(title="暗物质粒子")

    stop = threading.Event()
    answers: list[list[str]] = []
    errors: list[BaseException] = []

    def searcher():
        while not stop.is_set():
            try:
                answers.append(
                    [h.external_id for h in search_resources("引力波", facets=False).hits]
                )
            except BaseException as exc:  # any failure is the finding
                errors.append(exc)
            time.sleep(0.001)

    thread = threading.Thread(target=searcher)
    thread.start()
    try:
        time.sleep(0.05)
        call_command("rebuild_search", "--workers", "0")
        time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not errors, errors[:3]
    assert len(answers) > 10
    assert all(a == ["anchor"] for a in answers), {tuple(a) for a in answers}
    assert index._generation().name != before  # swapped to a new generation
    assert [h.external_id for h in search_resources("暗物质").hits] == ["n0"]
    assert "151 resources" in capsys.readouterr().out
