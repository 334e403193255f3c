"""For each role held at institute A: what it can read and change at A, A's child, A's parent,
A's sibling and an unrelated unit — through the API and through the admin views."""

import pytest
from rest_framework.test import APIClient

from kepu.core.testing import assert_matrix
from kepu.core.testing import places as unit_places
from kepu.orgs.choices import Role
from kepu.orgs.models import Membership

ROLES = [r for r in Role.values if r != Role.PLATFORM_ADMIN]
ALL = {"self", "child", "parent", "sibling", "other"}
SUBTREE = {"self", "child"}
NONE: set[str] = set()

# Written out by hand from docs/subsystems/permissions.md, not computed from the policy.
READ_UNIT = dict.fromkeys(ROLES, SUBTREE)
CHANGE_UNIT = dict.fromkeys(ROLES, NONE) | {
    Role.RESPONSIBLE_OFFICE: SUBTREE,
    Role.OFFICER: SUBTREE,
}
READ_MEMBERS = dict.fromkeys(ROLES, NONE) | {
    Role.LEADING_GROUP: SUBTREE,
    Role.RESPONSIBLE_OFFICE: SUBTREE,
    Role.OFFICER: SUBTREE,
}
MANAGE_MEMBERS = dict.fromkeys(ROLES, NONE) | {Role.RESPONSIBLE_OFFICE: SUBTREE}
EDIT_SITE = dict.fromkeys(ROLES, NONE) | {
    Role.RESPONSIBLE_OFFICE: SUBTREE,
    Role.OFFICER: SUBTREE,
    Role.EDITOR: SUBTREE,
}


@pytest.fixture
def world(tree, member):
    places = unit_places(tree)
    users = {role: member(tree.inst_a, role, username=f"u-{role}") for role in ROLES}
    # Someone to be seen (or not) at every place.
    for place, unit in places.items():
        member(unit, Role.VOLUNTEER, username=f"vol-{place}")
    return places, users


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_read_unit(world):
    places, users = world
    assert_matrix(
        READ_UNIT,
        ALL,
        lambda role, place: (
            api_for(users[role]).get(f"/api/v1/units/{places[place].code}/").status_code == 200
        ),
    )


def test_api_change_unit(world):
    places, users = world

    def probe(role, place):
        unit = places[place]
        response = api_for(users[role]).patch(
            f"/api/v1/units/{unit.code}/", {"phone": f"010-{role[:4]}"}, format="json"
        )
        assert response.status_code in (200, 403, 404), response.content
        unit.refresh_from_db()
        return response.status_code == 200 and unit.phone == f"010-{role[:4]}"

    assert_matrix(CHANGE_UNIT, ALL, probe)


def test_api_read_members(world):
    places, users = world

    def probe(role, place):
        response = api_for(users[role]).get(
            "/api/v1/memberships/", {"unit": places[place].code, "limit": 100}
        )
        assert response.status_code == 200
        return any(m["user"] == f"vol-{place}" for m in response.json()["results"])

    assert_matrix(READ_MEMBERS, ALL, probe)


def test_api_manage_members(world, member):
    places, users = world
    from kepu.accounts.tests.factories import UserFactory

    def probe(role, place):
        newcomer = UserFactory()
        response = api_for(users[role]).post(
            "/api/v1/memberships/",
            {"user": newcomer.username, "unit": places[place].code, "role": Role.EXPERT},
            format="json",
        )
        assert response.status_code in (201, 403), response.content
        created = Membership.objects.filter(user=newcomer, unit=places[place]).exists()
        assert created == (response.status_code == 201)
        return created

    assert_matrix(MANAGE_MEMBERS, ALL, probe)


def test_admin_unit_edit_view(world, client):
    places, users = world

    def probe(role, place):
        client.force_login(users[role])
        response = client.get(f"/admin/orgs/units/edit/{places[place].pk}/")
        return response.status_code == 200

    # The edit screen opens only where the user may change the unit.
    assert_matrix(CHANGE_UNIT, ALL, probe)


def test_admin_unit_listing_is_scoped(world, client):
    places, users = world

    def probe(role, place):
        client.force_login(users[role])
        response = client.get("/admin/orgs/units/", {"q": places[place].code})
        if response.status_code != 200:
            return False
        return places[place] in response.context["object_list"]

    # Volunteers have no admin access at all; every other role lists its subtree.
    staff_read = {r: (NONE if r == Role.VOLUNTEER else SUBTREE) for r in ROLES}
    assert_matrix(staff_read, ALL, probe)


def test_admin_members_listing_is_scoped(world, client):
    _places, users = world

    def probe(role, place):
        client.force_login(users[role])
        response = client.get("/admin/orgs/members/", {"q": f"vol-{place}"})
        if response.status_code != 200:
            return False
        return any(m.user.username == f"vol-{place}" for m in response.context["object_list"])

    assert_matrix(READ_MEMBERS, ALL, probe)


def test_admin_sub_site_editing(world, client):
    places, users = world

    def probe(role, place):
        client.force_login(users[role])
        page = places[place].home_page
        return client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200

    assert_matrix(EDIT_SITE, ALL, probe)


def test_admin_sub_site_save_refused_outside_scope(world, client):
    places, users = world
    client.force_login(users[Role.OFFICER])
    page = places["sibling"].home_page
    response = client.post(f"/admin/pages/{page.pk}/edit/", {"title": "篡改", "slug": page.slug})
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.title != "篡改"


def test_anonymous_gets_nothing(world):
    _places, _ = world
    client = APIClient()
    for path in ("/api/v1/units/", "/api/v1/memberships/", "/api/v1/users/"):
        assert client.get(path).status_code in (401, 403)


def test_platform_admin_sees_everything(world, member, tree):
    places, _ = world
    admin = member(tree.academy, Role.PLATFORM_ADMIN, username="root-admin")
    api = api_for(admin)
    for unit in places.values():
        assert api.get(f"/api/v1/units/{unit.code}/").status_code == 200
