"""全媒体发布 in the admin: publication plans, where each piece went, partner platforms,
deliveries, outbox."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from kepu.core.wagtail_policy import ScopedIndexView, ScopedObjectMixin, ScopedPermissionPolicy
from kepu.orgs import permissions as perms

from .admin_views import package_view, plan_view, plans_view, retry_view
from .models import ChannelPublication, Delivery, OutboundEmail, Partner

register_permission_policy(
    ChannelPublication,
    ScopedPermissionPolicy(
        ChannelPublication, unit_field="unit", actions={"view": perms.VIEW_DRAFTS}
    ),
)
register_permission_policy(
    Partner,
    ScopedPermissionPolicy(
        Partner,
        unit_field="unit",
        actions={
            "view": perms.PUBLISH_CONTENT,
            "add": perms.PUBLISH_CONTENT,
            "change": perms.PUBLISH_CONTENT,
            "delete": perms.PUBLISH_CONTENT,
        },
    ),
)
register_permission_policy(
    Delivery,
    ScopedPermissionPolicy(
        Delivery, unit_field="partner__unit", actions={"view": perms.PUBLISH_CONTENT}
    ),
)
register_permission_policy(
    OutboundEmail,
    ScopedPermissionPolicy(
        OutboundEmail, unit_field="publication__unit", actions={"view": perms.PUBLISH_CONTENT}
    ),
)


class ScopedEdit(ScopedObjectMixin, generic.EditView):
    pass


class ScopedInspect(ScopedObjectMixin, generic.InspectView):
    scoped_action = "view"


class PublicationViewSet(ModelViewSet):
    model = ChannelPublication
    icon = "resubmit"
    menu_label = _("Channel status")
    name = "publishing_publication"
    url_prefix = "publishing/channels"
    index_view_class = ScopedIndexView
    copy_view_enabled = False
    search_backend_name = None
    list_filter = ["channel", "status"]
    list_display = ["__str__", "unit", "channel", "status", "published_at", "error"]
    list_export = [
        "content_type",
        "object_id",
        "unit",
        "channel",
        "status",
        "published_at",
        "error",
    ]
    form_fields = ["status"]


class PartnerViewSet(ModelViewSet):
    model = Partner
    icon = "link"
    menu_label = _("Partner platforms")
    name = "publishing_partner"
    url_prefix = "publishing/partners"
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEdit
    copy_view_enabled = False
    search_backend_name = None
    list_display = ["name", "unit", "endpoint", "is_active"]
    form_fields = ["unit", "name", "endpoint", "is_active"]


class DeliveryViewSet(ModelViewSet):
    model = Delivery
    icon = "mail"
    menu_label = _("Deliveries")
    name = "publishing_delivery"
    url_prefix = "publishing/deliveries"
    index_view_class = ScopedIndexView
    inspect_view_enabled = True
    inspect_view_class = ScopedInspect
    copy_view_enabled = False
    search_backend_name = None
    list_filter = ["status", "event"]
    list_display = [
        "partner",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
    ]
    form_fields = ["status"]


class OutboxViewSet(ModelViewSet):
    model = OutboundEmail
    icon = "mail"
    menu_label = _("Newsletter outbox")
    name = "publishing_outbox"
    url_prefix = "publishing/outbox"
    index_view_class = ScopedIndexView
    copy_view_enabled = False
    search_backend_name = None
    list_filter = ["status"]
    list_display = ["subject", "subscriber", "status", "sent_at", "error"]
    form_fields = ["status"]


class PlansMenuItem(MenuItem):
    def is_shown(self, request):
        return perms.user_has_permission(request.user, perms.VIEW_DRAFTS)


class PublishingGroup(ViewSetGroup):
    menu_label = _("All-media publishing")
    menu_icon = "resubmit"
    menu_order = 180
    items = (PublicationViewSet, PartnerViewSet, DeliveryViewSet, OutboxViewSet)

    def get_submenu_items(self):
        plans = PlansMenuItem(
            _("Publication plans"), reverse("publishing_plans"), icon_name="list-ul", order=0
        )
        return [plans, *super().get_submenu_items()]


@hooks.register("register_admin_viewset")
def register_publishing():
    return PublishingGroup()


@hooks.register("register_admin_urls")
def register_publishing_urls():
    return [
        path("publishing/plans/", plans_view, name="publishing_plans"),
        path("publishing/plans/<int:content_type_id>/<str:object_id>/", plan_view,
             name="publishing_plan"),
        path("publishing/plans/<int:content_type_id>/<str:object_id>/package/<slug:channel>/",
             package_view, name="publishing_package"),
        path("publishing/deliveries/<int:pk>/retry/", retry_view,
             name="publishing_delivery_retry"),
    ]  # fmt: skip
