"""Demo: the standard review workflow on both organisations, reviewer domains, terms."""

from django.contrib.auth import get_user_model
from wagtail.models import Workflow, WorkflowContentType, WorkflowPage, WorkflowTask

from kepu.orgs.models import Unit

from .models import (
    ComplianceTask,
    EditorialCheckTask,
    ReviewerProfile,
    ScientificReviewTask,
    SensitiveTerm,
)

TERMS = [
    ("包治百病", "虚假医疗宣传"), ("根治", "虚假医疗宣传"), ("祖传秘方", "虚假医疗宣传"),
    ("量子保健", "伪科学"), ("量子水", "伪科学"), ("永动机", "伪科学"), ("转基因致癌", "待核实说法"),
    ("100%有效", "绝对化用语"), ("国家级最高", "绝对化用语"),
]  # fmt: skip
REVIEWERS = {"sunli": ["物理", "天文", "地球环境"], "zhoumin": ["生命健康", "农业"]}


def standard_workflow() -> Workflow:
    workflow, created = Workflow.objects.get_or_create(name="科普内容审核")
    if created:
        tasks = [
            EditorialCheckTask.objects.create(name="编辑审核"),
            ScientificReviewTask.objects.create(name="科学性审查"),
            ComplianceTask.objects.create(name="内容合规审核"),
        ]
        for order, task in enumerate(tasks):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


def load_demo_data(stdout=None):
    workflow = standard_workflow()
    for unit in Unit.objects.filter(depth=1):
        page = getattr(unit, "home_page", None)
        if page is not None:
            WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": workflow})
    try:
        from kepu.library.models import Resource
    except ImportError:
        Resource = None
    if Resource is not None:
        from django.contrib.contenttypes.models import ContentType

        WorkflowContentType.objects.get_or_create(
            content_type=ContentType.objects.get_for_model(Resource),
            defaults={"workflow": workflow},
        )
    for term, category in TERMS:
        SensitiveTerm.objects.get_or_create(term=term, defaults={"category": category})
    users = get_user_model().objects.filter(username__in=REVIEWERS)
    for user in users:
        ReviewerProfile.objects.get_or_create(
            user=user, defaults={"domains": REVIEWERS[user.username]}
        )
