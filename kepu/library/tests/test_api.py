"""The library API: search (also the search node's protocol) and resources via the actions."""

import pytest
from rest_framework.test import APIClient

from kepu.library.models import Resource
from kepu.library.search import search_resources
from kepu.orgs.choices import Role

from .factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_search_api_returns_hits_facets_and_the_same_ranking(tree, committed, client):
    with committed():
        ResourceFactory(unit=tree.inst_a, external_id="a", title="量子计算机", body_text="量子比特",
                        audiences=["public"])  # fmt: skip
        ResourceFactory(unit=tree.inst_b, external_id="b", title="计算机病毒", body_text="量子加密",
                        audiences=["youth"])  # fmt: skip
    data = client.get("/api/v1/library/search/", {"q": "量子计算机"}).json()
    assert [h["external_id"] for h in data["hits"]] == [
        h.external_id for h in search_resources("量子计算机").hits
    ]
    assert data["hits"][0]["external_id"] == "a"
    assert {f["value"] for f in data["facets"]["audiences"]} == {"public", "youth"}
    only = client.get(
        "/api/v1/library/search/", {"q": "量子", "audience": "youth", "facets": "0"}
    ).json()
    assert [h["external_id"] for h in only["hits"]] == ["b"] and only["facets"] == {}


def test_create_edit_publish_through_the_api(tree, member, committed):
    editor = member(tree.inst_a, Role.EDITOR)
    office = member(tree.inst_a, Role.RESPONSIBLE_OFFICE)
    api = APIClient()
    api.force_authenticate(editor)
    response = api.post(
        "/api/v1/library/resources/",
        {"unit": "acad-iop", "title": "超导量子比特", "body_markdown": "**超导**电路<script>x</script>",
         "domain": "物理/量子科技", "audiences": ["researchers"]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    resource = Resource.objects.get(pk=pk)
    assert not resource.live and "<script" not in str(list(resource.body.raw_data))
    # an editor may not publish; the refusal says why
    refused = api.post(f"/api/v1/library/resources/{pk}/publish/")
    assert refused.status_code == 403 and "物理研究所" in refused.json()["detail"]
    assert (
        api.post(
            "/api/v1/library/resources/", {"unit": "acad-nao", "title": "x"}, format="json"
        ).status_code
        == 403
    )
    bad = api.post(
        "/api/v1/library/resources/",
        {"unit": "acad-iop", "title": "x", "domain": "玄学"},
        format="json",
    )
    assert bad.status_code == 400 and "domain" in bad.json()
    api.force_authenticate(office)
    with committed():
        assert api.post(f"/api/v1/library/resources/{pk}/publish/").status_code == 200
    assert [h.id for h in search_resources("超导量子比特").hits] == [pk]
    with committed():
        assert (
            api.post(f"/api/v1/library/resources/{pk}/withdraw/", {"reason": "待更新"}).status_code
            == 200
        )
    assert search_resources("超导量子比特").hits == []
    public = APIClient().get("/api/v1/library/resources/").json()
    assert pk not in [r["id"] for r in public["results"]]
