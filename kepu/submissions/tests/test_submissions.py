from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from kepu.audit.models import AuditEntry
from kepu.orgs.choices import Role
from kepu.submissions import actions, services
from kepu.submissions.models import Submission


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def people(tree, member):
    return {
        "iop": member(tree.inst_a, Role.OFFICER, username="iop"),
        "nao": member(tree.inst_b, Role.OFFICER, username="nao"),
        "branch": member(tree.branch, Role.OFFICER, username="branch"),
        "academy": member(tree.academy, Role.RESPONSIBLE_OFFICE, username="academy"),
    }


def submit(api, tree, **extra):
    data = {
        "from_unit": tree.inst_a.code,
        "to_unit": tree.branch.code,
        "title": "物理所超导开放日圆满举办",
        "body": "<p>五百余名中学生走进实验室。</p><script>alert(1)</script><a href='javascript:x()' onclick='y()'>链接</a>",
        "category": "activity",
        "urgency": "urgent",
    } | extra
    return api.post("/api/v1/submissions/items/", data, format="multipart")


def test_submit_and_see_across_levels(tree, people):
    response = submit(api_for(people["iop"]), tree)
    assert response.status_code == 201, response.content
    sub = Submission.objects.get()
    # HTML is sanitised before it is stored
    assert "<script" not in sub.body and "javascript:" not in sub.body and "onclick" not in sub.body
    assert "五百余名中学生" in sub.body
    seen = {
        name: any(
            s["id"] == sub.pk
            for s in api_for(user).get("/api/v1/submissions/items/").json()["results"]
        )
        for name, user in people.items()
    }
    assert seen == {"iop": True, "nao": False, "branch": True, "academy": True}
    assert AuditEntry.objects.filter(
        action="kepu.submissions.submitted", object_id=str(sub.pk)
    ).exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"to_unit": "acad-nao"}, "to_unit"),  # a sibling, not an ancestor
        ({"to_unit": "zjast"}, "to_unit"),
        ({"title": ""}, "title"),
        ({"body": ""}, "body"),
        ({"category": "gossip"}, "category"),
    ],
)
def test_bad_submissions_name_the_field(tree, people, extra, field):
    response = submit(api_for(people["iop"]), tree, **extra)
    assert response.status_code == 400
    assert field in response.json()
    assert not Submission.objects.exists()


def test_attachments_are_checked(tree, people, settings):
    settings.KEPU_ATTACHMENT_MAX_BYTES = 1024
    api = api_for(people["iop"])
    bad_type = submit(api, tree, uploads=[SimpleUploadedFile("virus.exe", b"MZ...")])
    assert bad_type.status_code == 400 and "virus.exe" in str(bad_type.json()["attachments"])
    too_big = submit(api, tree, uploads=[SimpleUploadedFile("plan.pdf", b"%PDF" + b"0" * 2048)])
    assert too_big.status_code == 400 and "plan.pdf" in str(too_big.json()["attachments"])
    assert not Submission.objects.exists()
    ok = submit(api, tree, uploads=[SimpleUploadedFile("plan.pdf", b"%PDF-1.4 small")])
    assert ok.status_code == 201
    assert ok.json()["attachments"][0]["original_name"] == "plan.pdf"


def test_return_needs_a_reason_and_submitter_sees_it(tree, people):
    submit(api_for(people["iop"]), tree)
    sub = Submission.objects.get()
    branch = api_for(people["branch"])
    no_reason = branch.post(
        f"/api/v1/submissions/items/{sub.pk}/return/", {"reason": ""}, format="json"
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    ok = branch.post(
        f"/api/v1/submissions/items/{sub.pk}/return/", {"reason": "请补充活动照片"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "returned"
    mine = api_for(people["iop"]).get(f"/api/v1/submissions/items/{sub.pk}/").json()
    assert mine["decision_reason"] == "请补充活动照片"
    assert [e["kind"] for e in mine["events"]] == ["submitted", "returned"]
    # decided items cannot be decided again
    again = branch.post(
        f"/api/v1/submissions/items/{sub.pk}/return/", {"reason": "再退"}, format="json"
    )
    assert again.status_code == 400 and "status" in again.json()


def test_forward_moves_the_decision_up(tree, people):
    submit(api_for(people["iop"]), tree)
    sub = Submission.objects.get()
    # the submitter cannot decide on its own item
    assert (
        api_for(people["iop"]).post(f"/api/v1/submissions/items/{sub.pk}/forward/").status_code
        == 403
    )
    forwarded = api_for(people["branch"]).post(
        f"/api/v1/submissions/items/{sub.pk}/forward/", {"reason": "值得全院推广"}, format="json"
    )
    assert forwarded.status_code == 200 and forwarded.json()["to_unit"] == tree.academy.code
    # the branch no longer decides; the academy does
    assert (
        api_for(people["branch"])
        .post(f"/api/v1/submissions/items/{sub.pk}/return/", {"reason": "x"}, format="json")
        .status_code
        == 403
    )
    ret = api_for(people["academy"]).post(
        f"/api/v1/submissions/items/{sub.pk}/return/", {"reason": "已有同类报道"}, format="json"
    )
    assert ret.status_code == 200
    assert [e["kind"] for e in ret.json()["events"]] == ["submitted", "forwarded", "returned"]
    # the top unit cannot forward further
    submit(api_for(people["iop"]), tree, to_unit=tree.academy.code)
    top = Submission.objects.filter(status="pending").get()
    resp = api_for(people["academy"]).post(f"/api/v1/submissions/items/{top.pk}/forward/")
    assert resp.status_code == 400 and "to_unit" in resp.json()


def test_adopt_creates_a_linked_draft_resource(tree, people):
    from kepu.library.models import Resource

    submit(api_for(people["iop"]), tree)
    sub = Submission.objects.get()
    response = api_for(people["branch"]).post(f"/api/v1/submissions/items/{sub.pk}/adopt/")
    assert response.status_code == 200, response.content
    sub.refresh_from_db()
    resource = sub.adopted_object
    assert isinstance(resource, Resource)
    assert resource.unit == tree.branch and not resource.live
    assert resource.title == sub.title


def test_figures_per_unit(tree, people):
    iop, nao = api_for(people["iop"]), api_for(people["nao"])
    for _ in range(3):
        submit(iop, tree)
    submit(nao, tree, from_unit=tree.inst_b.code)
    subs = list(Submission.objects.filter(from_unit=tree.inst_a).order_by("pk"))
    branch = people["branch"]
    actions.return_submission(subs[0], acting_user=branch, reason="重复")
    actions.forward_submission(subs[1], acting_user=branch)
    rows = api_for(branch).get("/api/v1/submissions/items/stats/").json()
    by_unit = {r["unit"]: r for r in rows}
    assert (
        by_unit["acad-iop"]["submitted"],
        by_unit["acad-iop"]["returned"],
        by_unit["acad-iop"]["pending"],
    ) == (3, 1, 2)
    assert by_unit["acad-iop"]["adoption_rate"] == 0.0
    assert by_unit["acad-nao"]["submitted"] == 1
    # an institute officer sees only its own figures
    own = api_for(people["iop"]).get("/api/v1/submissions/items/stats/").json()
    assert [r["unit"] for r in own] == ["acad-iop"]


def test_requests_and_deadline_reminders(tree, people, member):
    branch = people["branch"]
    due = timezone.now() + timedelta(days=2)
    bad = api_for(branch).post(
        "/api/v1/submissions/requests/",
        {"unit": tree.branch.code, "title": "报送公众科学日方案", "category": "activity", "due_at": due.isoformat(),
         "recipients": [tree.inst_a.code, tree.other.code]},
        format="json",
    )  # fmt: skip
    assert bad.status_code == 400 and "recipients" in bad.json()
    ok = api_for(branch).post(
        "/api/v1/submissions/requests/",
        {"unit": tree.branch.code, "title": "报送公众科学日方案", "category": "activity", "due_at": due.isoformat(),
         "recipients": [tree.inst_a.code, tree.inst_b.code]},
        format="json",
    )  # fmt: skip
    assert ok.status_code == 201, ok.content
    # the institute answers; the observatory does not
    submit(api_for(people["iop"]), tree, request=ok.json()["id"])
    mail.outbox.clear()
    assert services.send_deadline_reminders() == 1
    assert mail.outbox[0].to == ["nao@example.cn"]
    assert "报送公众科学日方案" in mail.outbox[0].subject
    assert services.send_deadline_reminders() == 0  # once per kind
    assert services.send_deadline_reminders(timezone.now() + timedelta(days=3)) == 1  # overdue
    assert "nao@example.cn" in mail.outbox[-1].to


def test_admin_submit_and_decide(tree, people, client):
    client.force_login(people["iop"])
    response = client.post(
        "/admin/submissions/new/",
        {"from_unit": tree.inst_a.pk, "to_unit": tree.branch.pk, "title": "新闻线索", "category": "research",
         "urgency": "normal", "body": "<p>发现新型超导材料</p>"},
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    sub = Submission.objects.get()
    assert client.get(f"/admin/submissions/items/inspect/{sub.pk}/").status_code == 200
    # the submitter is refused the decision screen; the branch officer decides
    assert client.get(f"/admin/submissions/items/{sub.pk}/decide/").status_code in (302, 403)
    client.force_login(people["nao"])
    assert client.get(f"/admin/submissions/items/inspect/{sub.pk}/").status_code in (302, 403, 404)
    client.force_login(people["branch"])
    decided = client.post(
        f"/admin/submissions/items/{sub.pk}/decide/", {"decision": "return", "reason": ""}
    )
    assert decided.status_code == 200 and "reason" in decided.context["form"].errors
    decided = client.post(
        f"/admin/submissions/items/{sub.pk}/decide/",
        {"decision": "return", "reason": "请补充数据来源"},
    )
    assert decided.status_code == 302
    figures = client.get("/admin/submissions/figures/")
    assert figures.status_code == 200 and "物理研究所" in figures.content.decode()
    xlsx = client.get("/admin/submissions/figures/", {"export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
