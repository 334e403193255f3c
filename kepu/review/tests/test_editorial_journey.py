"""The editorial loop through the services, end to end: an institute submits an item, the
branch adopts it, an editor edits it, two domain reviewers approve, it is scheduled, and it
appears on the unit's library pages, in its feed and in the newsletter outbox — with the
审核 badge and an audit trail. The same journey through the admin in a browser is
``test_editorial_journey`` in test_editorial_journey_browser.py."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.models import WorkflowContentType

from kepu.audit.models import AuditEntry
from kepu.library import actions as library
from kepu.library.models import Resource
from kepu.library.tests.factories import domain
from kepu.orgs.choices import Role
from kepu.publishing.models import OutboundEmail, Subscriber
from kepu.review.demo import standard_workflow
from kepu.review.models import ReviewerProfile, ScientificReviewTask
from kepu.submissions.models import Submission


def approve(resource, user, action="approve", comment=""):
    resource.refresh_from_db()
    state = resource.current_workflow_task_state
    state.task.specific.on_action(state, user, action, comment=comment)


def test_editorial_journey_through_services(tree, member, django_capture_on_commit_callbacks):
    officer = member(tree.inst_a, Role.OFFICER, username="iop-officer")
    branch_office = member(tree.branch, Role.RESPONSIBLE_OFFICE, username="branch-office")
    editor = member(tree.branch, Role.EDITOR, username="branch-editor")
    reviewers = [member(tree.branch, Role.REVIEWER, username=f"rev{i}") for i in (1, 2)]
    for reviewer in reviewers:
        ReviewerProfile.objects.create(user=reviewer, domains=["天文"])
    Subscriber.objects.create(email="stargazer@example.cn", domains=["天文"])
    workflow = standard_workflow()
    ScientificReviewTask.objects.filter(workflow_tasks__workflow=workflow).update(
        required_approvals=2
    )
    WorkflowContentType.objects.create(
        content_type=ContentType.objects.get_for_model(Resource), workflow=workflow
    )

    # 1. the institute submits; 2. the branch adopts it into its library as a draft
    api = APIClient()
    api.force_authenticate(officer)
    sent = api.post("/api/v1/submissions/items/", {
        "from_unit": tree.inst_a.code, "to_unit": tree.branch.code, "title": "英仙座流星雨观测指南",
        "body": "<p>8月12日夜间是观测最佳时机。</p>", "category": "activity",
    }, format="json")  # fmt: skip
    assert sent.status_code == 201
    api.force_authenticate(branch_office)
    assert api.post(f"/api/v1/submissions/items/{sent.json()['id']}/adopt/").status_code == 200
    resource = Submission.objects.get().adopted_object
    assert resource.unit == tree.branch and not resource.live

    # 3. an editor edits it and plans its channels
    library.update_resource(resource, acting_user=editor, domain=domain("天文"),
                            summary="流星雨观测的时间、地点和方法。")  # fmt: skip
    api.force_authenticate(editor)
    bad_plan = api.post(
        f"/api/v1/library/resources/{resource.pk}/plan/", {"channels": ["fax"]}, format="json"
    )
    assert bad_plan.status_code == 400 and "channels" in bad_plan.json()
    plan = api.post(
        f"/api/v1/library/resources/{resource.pk}/plan/",
        {"channels": ["web", "feed", "newsletter"]},
        format="json",
    )
    assert plan.status_code == 200 and plan.json()["channels"] == ["web", "feed", "newsletter"]

    # 4. submitted to review with a go-live time: editorial check, two reviewers, compliance
    resource.refresh_from_db()
    resource.go_live_at = timezone.now() + timedelta(hours=2)
    resource.save_revision(user=editor)
    workflow.start(resource, editor)
    approve(resource, branch_office)
    approve(resource, reviewers[0])
    approve(resource, reviewers[1], comment="科学内容准确")
    with django_capture_on_commit_callbacks(execute=True):
        approve(resource, branch_office)
    resource.refresh_from_db()
    assert not resource.live  # scheduled, not yet live

    # 5. the schedule comes due (the clock is moved by moving the go-live time back):
    # it goes live and fans out to its channels
    revision = resource.latest_revision
    past = timezone.now() - timedelta(seconds=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", verbosity=0)
    resource.refresh_from_db()
    assert resource.live

    from django.test import Client

    visitor = Client()
    unit_page = visitor.get(f"/library/u/{tree.branch.code}/").content.decode()
    assert "英仙座流星雨观测指南" in unit_page
    feed = visitor.get(f"/library/feeds/unit/{tree.branch.code}/atom/").content.decode()
    assert "英仙座流星雨观测指南" in feed
    assert OutboundEmail.objects.filter(subscriber__email="stargazer@example.cn",
                                        subject="英仙座流星雨观测指南").exists()  # fmt: skip
    detail = visitor.get(f"/library/r/{resource.pk}/").content.decode()
    assert "review-badge" in detail
    assert reviewers[0].get_full_name() in detail and reviewers[1].get_full_name() in detail

    # every step left an audit entry under the unit's subtree
    actions_seen = set(AuditEntry.objects.values_list("action", flat=True))
    for code in ("kepu.submissions.submitted", "kepu.submissions.adopted", "kepu.review.submitted",
                 "kepu.review.step_approved", "kepu.review.approved", "kepu.publishing.plan_set",
                 "kepu.publishing.published"):  # fmt: skip
        assert code in actions_seen, code
