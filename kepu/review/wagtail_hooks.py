"""Review in the admin: the sensitive-term list, reviewer domains, the review queue."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from kepu.core.wagtail_policy import PermittedMenuItem
from kepu.orgs import permissions as perms

from .models import ReviewerProfile, SensitiveTerm
from .views import queue_view


class SensitiveTermViewSet(ModelViewSet):
    model = SensitiveTerm
    icon = "warning"
    menu_label = _("Sensitive terms")
    name = "review_terms"
    url_prefix = "review/terms"
    search_backend_name = None
    search_fields = ["term", "category"]
    list_display = ["term", "category", "is_active", "note"]
    list_filter = ["category", "is_active"]
    form_fields = ["term", "category", "note", "is_active"]
    list_export = ["term", "category", "is_active", "note"]


class ReviewerProfileViewSet(ModelViewSet):
    model = ReviewerProfile
    icon = "user"
    menu_label = _("Reviewer domains")
    name = "review_profiles"
    url_prefix = "review/reviewers"
    search_backend_name = None
    search_fields = ["user__username", "user__name"]
    list_display = ["user", "domains"]
    form_fields = ["user", "domains"]


class ReviewGroup(ViewSetGroup):
    menu_label = _("Review")
    menu_icon = "tasks"
    menu_order = 175
    items = (SensitiveTermViewSet, ReviewerProfileViewSet)


@hooks.register("register_admin_viewset")
def register_review():
    return ReviewGroup()


@hooks.register("register_admin_urls")
def register_review_urls():
    return [path("review/queue/", queue_view, name="review_queue")]


@hooks.register("register_admin_menu_item")
def queue_menu_item():
    return PermittedMenuItem(
        _("Review queue"), reverse("review_queue"), icon_name="tasks", order=176,
        action=perms.VIEW_DRAFTS,
    )  # fmt: skip
