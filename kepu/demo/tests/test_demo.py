import io

from django.core.management import call_command
from wagtail.models import Page, Revision

from kepu.accounts.models import User
from kepu.audit.models import AuditEntry
from kepu.orgs.choices import Role
from kepu.orgs.models import Membership, Unit


def counts():
    return {
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_demo_is_realistic_and_idempotent(db, client):
    call_command("load_demo", "--quiet-logins", stdout=io.StringIO())
    first = counts()
    # one academy with 3 branches and 10+ institutes; a province with cities and counties
    academy = Unit.objects.get(kind="academy")
    assert Unit.objects.filter(kind="branch", path__startswith=academy.path).count() == 3
    assert Unit.objects.filter(kind__in=["institute", "science_base"]).count() >= 10
    assert Unit.objects.filter(kind="city").count() >= 2
    assert Unit.objects.filter(kind="county").count() >= 2
    # every role is held by someone
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    # sub-sites render with their content
    assert "超导" in client.get("/hxas/hxas-bj/hxas-iop/").content.decode()
    call_command("load_demo", "--quiet-logins", stdout=io.StringIO())
    assert counts() == first
