"""Editing a library resource while it is in review, over HTTP: in the editorial check its
editors may still change it (and are told the change goes on to the next steps); in the
scientific review and the compliance check it is locked for everyone, the editor is told so
in plain Chinese, and nothing stored changes — through the admin or the API."""

import lxml.html
import pytest
from django.contrib.contenttypes.models import ContentType
from rest_framework.test import APIClient
from wagtail.models import WorkflowContentType
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from kepu.library.models import Resource
from kepu.library.tests.factories import ResourceFactory
from kepu.orgs.choices import Role
from kepu.review.demo import standard_workflow
from kepu.review.models import ReviewerProfile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_search_dir(settings, tmp_path):
    settings.SEARCH_DIR = tmp_path / "search"
    settings.KEPU_SEARCH_URL = ""


BODY = "<p>超导现象于1911年发现。</p>"


def edit_form(client, resource):
    """The admin edit form's values, as the browser would send them back."""
    page = client.get(f"/admin/library/resources/edit/{resource.pk}/")
    assert page.status_code == 200
    root = lxml.html.fromstring(page.content)
    form = root.xpath('//form[@id="w-editor-form"]')[0]
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    # the body's StreamField is drawn by JavaScript; send it as the browser would
    body = nested_form_data({"body": streamfield([("paragraph", rich_text(BODY))])})
    data.update({name: [str(value)] for name, value in body.items()})
    return page, data


def post_edit(client, resource, **changes):
    _page, data = edit_form(client, resource)
    for name, value in changes.items():
        data[name] = [value]
    return client.post(f"/admin/library/resources/edit/{resource.pk}/", data)


def messages_of(response):
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def approve(resource, user):
    resource.refresh_from_db()
    state = resource.current_workflow_task_state
    state.task.specific.on_action(state, user, "approve")


@pytest.fixture
def in_review(tree, member):
    workflow = standard_workflow()
    WorkflowContentType.objects.create(
        content_type=ContentType.objects.get_for_model(Resource), workflow=workflow
    )
    people = {
        "editor": member(tree.branch, Role.EDITOR, username="editor"),
        "office": member(tree.branch, Role.RESPONSIBLE_OFFICE, username="office"),
        "reviewer": member(tree.branch, Role.REVIEWER, username="reviewer"),
    }
    ReviewerProfile.objects.create(user=people["reviewer"], domains=["物理"])
    resource = ResourceFactory(
        unit=tree.branch, title="超导为什么没有电阻", publish=False, domain="物理",
        summary="初稿摘要", body_text="超导现象于1911年发现。", acting_user=people["editor"],
    )  # fmt: skip
    workflow.start(resource, people["editor"])
    return resource, people


def test_editors_may_still_edit_in_the_editorial_check(in_review, client):
    resource, people = in_review
    client.force_login(people["editor"])
    page, _data = edit_form(client, resource)
    assert "审核中" in messages_of(page) and "后续审核步骤" in messages_of(page)
    saved = post_edit(client, resource, summary="编辑修改后的摘要")
    assert saved.status_code == 302
    resource.refresh_from_db()
    assert resource.get_latest_revision_as_object().summary == "编辑修改后的摘要"
    assert resource.current_workflow_task.name == "编辑审核"  # the review goes on


def test_locked_in_scientific_review_with_a_clear_message_and_nothing_lost(in_review, client):
    resource, people = in_review
    approve(resource, people["office"])  # the editorial check passes
    resource.refresh_from_db()
    assert resource.current_workflow_task.name == "科学性审查"
    revisions = resource.revisions.count()
    before = resource.get_latest_revision_as_object().summary

    client.force_login(people["editor"])
    page, _data = edit_form(client, resource)
    shown = messages_of(page)
    assert "科学性审查" in shown and "已锁定" in shown and "退回修改" in shown

    refused = post_edit(client, resource, summary="审核期间偷偷改的摘要")
    assert refused.status_code == 200
    said = messages_of(refused)
    assert "未保存" in said and "科学性审查" in said and "已存储的内容没有任何改动" in said
    # the editor's typing is still in the form; the stored piece is untouched
    assert "审核期间偷偷改的摘要" in refused.content.decode()
    resource.refresh_from_db()
    assert resource.revisions.count() == revisions
    assert resource.get_latest_revision_as_object().summary == before == resource.summary

    # the API says the same and changes nothing
    api = APIClient()
    api.force_authenticate(people["editor"])
    response = api.patch(f"/api/v1/library/resources/{resource.pk}/",
                         {"summary": "从接口改的摘要"}, format="json")  # fmt: skip
    assert response.status_code == 400
    assert "科学性审查" in str(response.json()) and "未保存" in str(response.json())
    resource.refresh_from_db()
    assert resource.revisions.count() == revisions and resource.summary == before

    # reviewers decide, they do not rewrite either (they hold no editing role at all)
    client.force_login(people["editor"])
    _page, data = edit_form(client, resource)
    client.force_login(people["reviewer"])
    data["summary"] = ["审核人改的摘要"]
    response = client.post(f"/admin/library/resources/edit/{resource.pk}/", data)
    assert response.status_code in (302, 403) and response.get("Location") != (
        f"/admin/library/resources/edit/{resource.pk}/"
    )
    assert resource.revisions.count() == revisions


def test_locked_in_the_compliance_check_even_for_publishers(in_review, client, member, tree):
    resource, people = in_review
    approve(resource, people["office"])
    approve(resource, people["reviewer"])
    resource.refresh_from_db()
    assert resource.current_workflow_task.name == "内容合规审核"
    revisions = resource.revisions.count()
    client.force_login(people["office"])
    refused = post_edit(client, resource, summary="签发前改的摘要")
    assert refused.status_code == 200 and "内容合规审核" in messages_of(refused)
    assert resource.revisions.count() == revisions
