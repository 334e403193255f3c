"""The organisation in the Wagtail admin: units, members, invitations, audit log."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permissions import register_permission_policy

from kepu.audit.models import AuditEntry
from kepu.core.wagtail_policy import (
    ActionFormMixin,
    PermittedMenuItem,
    ScopedIndexView,
    ScopedObjectMixin,
    ScopedPermissionPolicy,
)

from . import actions
from . import permissions as perms
from .forms import MembershipForm, UnitCreateForm, UnitEditForm
from .models import Membership, Unit
from .views import invite_view, move_unit_view

register_permission_policy(
    Unit,
    ScopedPermissionPolicy(
        Unit,
        unit_field="",
        actions={"view": perms.VIEW_UNIT, "change": perms.CHANGE_UNIT, "add": perms.ADD_UNIT},
    ),
)
register_permission_policy(
    Membership,
    ScopedPermissionPolicy(
        Membership,
        unit_field="unit",
        actions={
            "view": perms.VIEW_MEMBERS,
            "add": perms.MANAGE_MEMBERS,
            "delete": perms.MANAGE_MEMBERS,
        },
    ),
)
register_permission_policy(
    AuditEntry,
    ScopedPermissionPolicy(AuditEntry, unit_field="unit", actions={"view": perms.VIEW_AUDIT}),
)


class UnitIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().order_by("path")

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        buttons.append(
            ListingButton(
                _("Move"),
                url=reverse("orgs_unit_move", args=[instance.pk]),
                icon_name="arrows-up-down",
            )
        )
        return buttons


class UnitCreateView(ActionFormMixin, generic.CreateView):
    def save_instance(self):
        data = {k: v for k, v in self.form.cleaned_data.items() if k != "parent"}
        return actions.create_unit(
            self.form.cleaned_data.get("parent"), acting_user=self.request.user, **data
        )


class UnitEditView(ScopedObjectMixin, ActionFormMixin, generic.EditView):
    def save_instance(self):
        from kepu.portal.actions import set_unit_hostname

        data = dict(self.form.cleaned_data)
        hostname = data.pop("hostname", "")
        unit = actions.update_unit(
            Unit.objects.get(pk=self.object.pk), acting_user=self.request.user, **data
        )
        set_unit_hostname(unit, hostname, acting_user=self.request.user)
        return unit


class UnitViewSet(ModelViewSet):
    model = Unit
    icon = "group"
    menu_label = _("Units")
    name = "orgs_unit"
    url_prefix = "orgs/units"
    index_view_class = UnitIndexView
    add_view_class = UnitCreateView
    edit_view_class = UnitEditView
    add_form_class = UnitCreateForm
    edit_form_class = UnitEditForm
    copy_view_enabled = False
    search_backend_name = None
    search_fields = ["name", "code", "name_en"]
    list_filter = ["kind", "is_active"]
    list_export = ["code", "name", "name_en", "kind", "region_code", "depth", "is_active"]
    export_filename = "units"

    list_display = ["indented_name", "code", "kind", "region_code", "is_active"]

    def get_form_class(self, for_update=False):
        return self.edit_form_class if for_update else self.add_form_class


class MembershipIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "unit")


class MembershipCreateView(ActionFormMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return actions.add_membership(
            data["user"], data["unit"], data["role"], acting_user=self.request.user,
            title=data.get("title", ""),
        )  # fmt: skip


class MembershipDeleteView(ScopedObjectMixin, generic.DeleteView):
    scoped_action = "delete"

    def delete_action(self):
        actions.remove_membership(self.object, acting_user=self.request.user)


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Members and roles")
    name = "orgs_membership"
    url_prefix = "orgs/members"
    index_view_class = MembershipIndexView
    add_view_class = MembershipCreateView
    delete_view_class = MembershipDeleteView
    copy_view_enabled = False
    search_backend_name = None
    search_fields = ["user__username", "user__name", "unit__name"]
    list_filter = ["role"]
    list_display = ["user", "unit", "role", "title", "created_at"]
    list_export = ["user", "unit", "role", "title", "created_at"]
    export_filename = "memberships"

    def get_form_class(self, for_update=False):
        return MembershipForm


class AuditIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("actor", "unit")


class AuditEntryViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit log")
    name = "audit_entry"
    url_prefix = "audit"
    index_view_class = AuditIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    search_backend_name = None
    search_fields = ["action", "object_repr", "actor_name", "reason"]
    list_filter = ["action"]
    list_display = ["timestamp", "actor_name", "action", "object_repr", "unit", "reason"]
    list_export = ["timestamp", "actor_name", "action", "object_repr", "unit", "reason", "data"]
    export_filename = "audit-log"
    form_fields = ["reason"]


class OrganisationGroup(ViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "site"
    menu_order = 150
    items = (UnitViewSet, MembershipViewSet, AuditEntryViewSet)


@hooks.register("register_admin_viewset")
def register_organisation():
    return OrganisationGroup()


@hooks.register("register_admin_urls")
def register_org_urls():
    return [
        path("orgs/units/<int:pk>/move/", move_unit_view, name="orgs_unit_move"),
        path("orgs/invite/", invite_view, name="orgs_invite"),
    ]


@hooks.register("register_admin_menu_item")
def register_invite_menu_item():
    return PermittedMenuItem(
        _("Invite a user"), reverse("orgs_invite"), icon_name="mail", order=160,
        action=perms.MANAGE_MEMBERS,
    )  # fmt: skip
