"""List endpoints cost a fixed number of queries, however many rows they show (no N+1)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from kepu.orgs.choices import Role
from kepu.orgs.tests.factories import UnitFactory


def count_queries(user, path):
    client = APIClient()
    # A fresh user object per request, as in production (grants are cached per object).
    client.force_authenticate(type(user).objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_unit_and_membership_lists_do_not_grow_with_rows(tree, member):
    admin = member(tree.academy, Role.RESPONSIBLE_OFFICE)
    paths = ["/api/v1/units/", "/api/v1/memberships/", "/api/v1/users/"]
    before = {p: count_queries(admin, p) for p in paths}
    for i in range(6):
        unit = UnitFactory(parent=tree.inst_b, code=f"grow-{i}")
        member(unit, Role.EDITOR)
    after = {p: count_queries(admin, p) for p in paths}
    assert after == before
