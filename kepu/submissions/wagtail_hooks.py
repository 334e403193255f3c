"""信息报送 in the admin: submitted items (inbox and outbox), requests, figures."""

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from kepu.core.wagtail_policy import PermittedMenuItem, ScopedPermissionPolicy
from kepu.orgs import permissions as perms

from . import services
from .models import Submission, SubmissionRequest
from .views import decide_view, figures_view, submit_view

register_permission_policy(
    Submission,
    ScopedPermissionPolicy(Submission, unit_field="from_unit", actions={"view": perms.VIEW_DRAFTS}),
)
register_permission_policy(
    SubmissionRequest,
    ScopedPermissionPolicy(
        SubmissionRequest, unit_field="unit", actions={"view": perms.VIEW_DRAFTS}
    ),
)


class SubmissionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return services.submissions_for(self.request.user)


class SubmissionInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        try:
            return services.get_submission_for_user(self.request.user, self.kwargs["pk"])
        except Submission.DoesNotExist as exc:
            raise Http404 from exc


class SubmissionViewSet(ModelViewSet):
    model = Submission
    icon = "upload"
    menu_label = _("Submitted items")
    name = "submissions_submission"
    url_prefix = "submissions/items"
    index_view_class = SubmissionIndexView
    inspect_view_class = SubmissionInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    search_backend_name = None
    search_fields = ["title", "summary"]
    list_filter = ["status", "category", "urgency", "from_unit", "to_unit"]
    list_display = [
        "title",
        "from_unit",
        "to_unit",
        "category",
        "urgency",
        "status",
        "submitted_at",
    ]
    list_export = [
        "title",
        "from_unit",
        "to_unit",
        "category",
        "urgency",
        "status",
        "submitted_at",
        "decided_at",
        "decision_reason",
    ]
    export_filename = "submissions"
    inspect_view_fields = [
        "title", "from_unit", "to_unit", "category", "urgency", "status", "summary", "body",
        "submitted_by", "submitted_at", "decided_at", "decision_reason",
    ]  # fmt: skip
    form_fields = ["title"]


class RequestIndexView(generic.IndexView):
    def get_base_queryset(self):
        return services.requests_for(self.request.user)


class RequestViewSet(ModelViewSet):
    model = SubmissionRequest
    icon = "date"
    menu_label = _("Requests and deadlines")
    name = "submissions_request"
    url_prefix = "submissions/requests"
    index_view_class = RequestIndexView
    copy_view_enabled = False
    search_backend_name = None
    search_fields = ["title"]
    list_display = ["title", "unit", "category", "due_at"]
    form_fields = ["title"]


class SubmissionsGroup(ViewSetGroup):
    menu_label = _("Information submission")
    menu_icon = "upload"
    menu_order = 170
    items = (SubmissionViewSet, RequestViewSet)


@hooks.register("register_admin_viewset")
def register_submissions():
    return SubmissionsGroup()


@hooks.register("register_admin_urls")
def register_submission_urls():
    return [
        path("submissions/new/", submit_view, name="submissions_submit"),
        path("submissions/items/<int:pk>/decide/", decide_view, name="submissions_decide"),
        path("submissions/figures/", figures_view, name="submissions_figures"),
    ]


@hooks.register("register_admin_menu_item")
def submit_menu_item():
    return PermittedMenuItem(
        _("Submit an item"), reverse("submissions_submit"), icon_name="upload", order=171,
        action=perms.SUBMIT_CONTENT,
    )  # fmt: skip


@hooks.register("register_admin_menu_item")
def figures_menu_item():
    return PermittedMenuItem(
        _("Submission figures"), reverse("submissions_figures"), icon_name="table", order=172,
        action=perms.VIEW_STATS,
    )  # fmt: skip
