"""Drafts across units: who sees, edits and publishes a draft owned by institute A — through
the public page, the API, the admin and the search. Written out by hand from
docs/subsystems/permissions.md (roles reach down their subtree, never up or sideways)."""

import pytest
from rest_framework.test import APIClient

from kepu.core.testing import assert_matrix
from kepu.core.testing import places as unit_places
from kepu.library.models import Resource
from kepu.library.search import search_resources
from kepu.orgs.choices import Role

from .factories import ResourceFactory

pytestmark = pytest.mark.django_db

ROLES = [r for r in Role.values if r != Role.PLATFORM_ADMIN]
ALL = {"self", "child", "parent", "sibling", "other"}
OWN_OR_ABOVE = {"self", "parent"}
NONE: set[str] = set()

SEE_DRAFT = dict.fromkeys(ROLES, NONE) | {
    Role.LEADING_GROUP: OWN_OR_ABOVE,
    Role.RESPONSIBLE_OFFICE: OWN_OR_ABOVE,
    Role.OFFICER: OWN_OR_ABOVE,
    Role.EDITOR: OWN_OR_ABOVE,
    Role.REVIEWER: OWN_OR_ABOVE,
    Role.SPOKESPERSON: OWN_OR_ABOVE,
}
EDIT_DRAFT = dict.fromkeys(ROLES, NONE) | {
    Role.RESPONSIBLE_OFFICE: OWN_OR_ABOVE,
    Role.OFFICER: OWN_OR_ABOVE,
    Role.EDITOR: OWN_OR_ABOVE,
}
PUBLISH = dict.fromkeys(ROLES, NONE) | {
    Role.LEADING_GROUP: OWN_OR_ABOVE,
    Role.RESPONSIBLE_OFFICE: OWN_OR_ABOVE,
}


@pytest.fixture
def world(tree, member):
    """A draft owned by institute A; one user per (role, place)."""
    draft = ResourceFactory(unit=tree.inst_a, title="尚未发布的超导草稿", body_text="超导草稿正文",
                            publish=False)  # fmt: skip
    places = unit_places(tree)
    users = {
        (role, place): member(unit, role, username=f"{role}-{place}")
        for role in ROLES
        for place, unit in places.items()
    }
    return draft, users


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_who_sees_a_draft_on_the_portal_and_in_the_api(world, client):
    draft, users = world

    def probe(role, place):
        user = users[(role, place)]
        client.force_login(user)
        page = client.get(f"/library/r/{draft.pk}/").status_code
        api = api_for(user).get(f"/api/v1/library/resources/{draft.pk}/").status_code
        listed = draft.pk in [
            r["id"] for r in api_for(user).get("/api/v1/library/resources/").json()["results"]
        ]
        assert page in (200, 404) and api in (200, 404)
        assert (page == 200) == (api == 200) == listed, (page, api, listed)
        return page == 200

    assert_matrix(SEE_DRAFT, ALL, probe)
    client.logout()
    assert client.get(f"/library/r/{draft.pk}/").status_code == 404  # anonymous


def test_who_sees_a_draft_in_the_admin(world, client):
    _draft, users = world

    def probe(role, place):
        client.force_login(users[(role, place)])
        listing = client.get("/admin/library/resources/")
        if listing.status_code != 200:
            return False
        return "尚未发布的超导草稿" in listing.content.decode()

    assert_matrix(SEE_DRAFT, ALL, probe)


def test_who_edits_a_draft_through_the_api(world):
    draft, users = world

    def probe(role, place):
        response = api_for(users[(role, place)]).patch(
            f"/api/v1/library/resources/{draft.pk}/", {"summary": f"{role}-{place}"}, format="json"
        )
        assert response.status_code in (200, 403, 404), response.content
        return Resource.objects.get(pk=draft.pk).summary == f"{role}-{place}"

    assert_matrix(EDIT_DRAFT, ALL, probe)


def test_who_publishes_through_the_api(world, committed):
    draft, users = world

    def probe(role, place):
        with committed():
            response = api_for(users[(role, place)]).post(
                f"/api/v1/library/resources/{draft.pk}/publish/"
            )
        assert response.status_code in (200, 403, 404), response.content
        published = Resource.objects.get(pk=draft.pk).live
        if published:  # put it back for the next probe
            with committed():
                draft.refresh_from_db()
                draft.unpublish()
        return published

    assert_matrix(PUBLISH, ALL, probe)


def test_drafts_never_reach_the_public_search(tree, committed, client):
    with committed():
        ResourceFactory(
            unit=tree.inst_a, external_id="draft", title="超导草稿", body_text="超导", publish=False
        )
        ResourceFactory(unit=tree.inst_b, external_id="live", title="超导科普", body_text="超导")
    assert [h.external_id for h in search_resources("超导").hits] == ["live"]
    api = client.get("/api/v1/library/search/", {"q": "超导"}).json()
    assert [h["external_id"] for h in api["hits"]] == ["live"]
    assert "超导草稿" not in client.get("/library/", {"q": "超导"}).content.decode()


def test_refusals_say_why(tree, member):
    from django.core.exceptions import PermissionDenied

    from kepu.library import actions

    editor = member(tree.inst_b, Role.EDITOR)
    with pytest.raises(PermissionDenied, match=r"物理研究所"):
        actions.create_resource(tree.inst_a, acting_user=editor, title="越权")
