"""Rows keep the words their text was cut into; a rebuild reuses them while they are
current and cuts again (and stores) whatever changed: the text by any path, or the
dictionary."""

import pytest

from kepu.library.models import Resource
from kepu.library.search import rebuild_index, search_resources
from kepu.library.tests.factories import ResourceFactory
from kepu.search.models import UserWord

pytestmark = pytest.mark.django_db


def ids(results):
    return [h.external_id for h in results.hits]


def test_rebuild_reuses_current_words_and_recuts_changed_rows(tree, committed):
    with committed():
        ResourceFactory(unit=tree.inst_a, external_id="a", title="黑洞是怎样形成的",
                        body_text="大质量恒星坍缩形成黑洞。")  # fmt: skip
        ResourceFactory(unit=tree.inst_a, external_id="b", title="彗星的尾巴",
                        body_text="彗星靠近太阳时形成彗尾。")  # fmt: skip
    saved = Resource.objects.get(external_id="a")
    title_words, body_words = saved.search_words.split("\n")
    assert "黑洞" in title_words.split() and "恒星" in body_words.split()

    info = rebuild_index(workers=0)
    assert (info["docs"], info["cut"]) == (2, 0)  # nothing segmented again
    assert ids(search_resources("黑洞")) == ["a"]

    # A change that bypasses save(): the stored words no longer match the text.
    Resource.objects.filter(external_id="b").update(title="暗物质的证据")
    info = rebuild_index(workers=0)
    assert (info["docs"], info["cut"]) == (2, 1)
    assert ids(search_resources("暗物质")) == ["b"]
    assert ids(search_resources("彗星的尾巴")) == ["b"]  # the body still has 彗星 and 彗尾
    assert "暗物质" in Resource.objects.get(external_id="b").search_words
    assert rebuild_index(workers=0)["cut"] == 0  # the new words were stored


def test_a_dictionary_change_recuts_everything(tree, committed):
    with committed():
        ResourceFactory(unit=tree.inst_a, external_id="q", title="量子纠缠通俗讲",
                        body_text="两个粒子之间的量子纠缠。")  # fmt: skip
        ResourceFactory(unit=tree.inst_b, external_id="r", title="火星探测",
                        body_text="火星车在火星表面巡视。")  # fmt: skip
    before = Resource.objects.get(external_id="q").search_words_key
    UserWord.objects.create(word="纠缠通俗")  # changes how 量子纠缠通俗讲 is cut
    info = rebuild_index(workers=0)
    assert info["cut"] == 2
    after = Resource.objects.get(external_id="q")
    assert after.search_words_key != before
    assert "纠缠通俗" in after.search_words.split("\n")[0].split()
    assert rebuild_index(workers=0)["cut"] == 0


def test_stored_words_stay_out_of_revisions(tree, committed):
    with committed():
        resource = ResourceFactory(unit=tree.inst_a, title="台风来了怎么办", body_text="关好门窗。")
    content = resource.latest_revision.content
    assert "search_words" not in content and "search_words_key" not in content
    assert content["title"] == "台风来了怎么办"
