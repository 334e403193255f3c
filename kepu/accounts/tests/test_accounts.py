import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from rest_framework.test import APIClient

from kepu.accounts.tests.factories import PASSWORD, UserFactory
from kepu.orgs.choices import Role
from kepu.orgs.models import Membership

User = get_user_model()


def test_passwords_are_hashed(db):
    user = UserFactory()
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)


def test_invitation_by_email_sets_up_an_account(
    tree, member, client, django_capture_on_commit_callbacks
):
    office = member(tree.inst_a, Role.RESPONSIBLE_OFFICE)
    client.force_login(office)
    # when the office invites a new reviewer through the admin
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/orgs/invite/",
            {
                "email": "New.Reviewer@Example.cn",
                "name": "钱学敏",
                "unit": tree.lab.pk,
                "role": Role.REVIEWER,
            },
        )
    assert response.status_code == 302
    # then an account exists with no usable password, holding the role
    invited = User.objects.get(email="new.reviewer@example.cn")
    assert not invited.has_usable_password()
    assert Membership.objects.filter(user=invited, unit=tree.lab, role=Role.REVIEWER).exists()
    # and the email carries a one-time link to set a password
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    client.logout()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    done = client.post(
        set_url, {"new_password1": "Kexue-Puji-2026", "new_password2": "Kexue-Puji-2026"}
    )
    assert done.status_code == 302
    invited.refresh_from_db()
    assert invited.check_password("Kexue-Puji-2026")
    # a used link does not work twice
    again = client.get(path, follow=True)
    assert "new_password1" not in again.content.decode()


def test_invitation_outside_scope_is_refused(tree, member, client):
    office = member(tree.inst_a, Role.RESPONSIBLE_OFFICE)
    client.force_login(office)
    response = client.post(
        "/admin/orgs/invite/",
        {"email": "x@example.cn", "unit": tree.inst_b.pk, "role": Role.REVIEWER},
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not User.objects.filter(email="x@example.cn").exists()


def test_invitation_via_api(tree, member, django_capture_on_commit_callbacks):
    office = member(tree.branch, Role.RESPONSIBLE_OFFICE)
    api = APIClient()
    api.force_authenticate(office)
    with django_capture_on_commit_callbacks(execute=True):
        bad = api.post(
            "/api/v1/memberships/invite/",
            {"email": "nope", "unit": tree.inst_a.code, "role": "editor"},
        )
        assert bad.status_code == 400 and "email" in bad.json()
        ok = api.post(
            "/api/v1/memberships/invite/",
            {"email": "editor@example.cn", "unit": tree.inst_a.code, "role": "editor"},
        )
    assert ok.status_code == 201, ok.content
    assert ok.json()["user"] == "editor@example.cn"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_admin_login_is_rate_limited(client, settings):
    user = UserFactory(username="target")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/admin/login/", {"username": "target", "password": "wrong"})
        assert response.status_code == 200
    # the failure that reaches the limit locks the account out from this address
    response = client.post("/admin/login/", {"username": "target", "password": "wrong"})
    assert response.status_code == 429
    locked = client.post("/admin/login/", {"username": "target", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # another account from the same address is not locked
    UserFactory(username="other")
    assert (
        client.post("/admin/login/", {"username": "other", "password": PASSWORD}).status_code == 302
    )
    assert user.pk


@pytest.mark.django_db
def test_api_token_auth(client):
    user = UserFactory()
    response = client.post("/api/auth/token/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/users/me/")
    assert me.status_code == 200 and me.json()["username"] == user.username
