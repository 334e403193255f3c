"""Monitoring in the Wagtail admin: dashboard, posts, sources, watch list, alert rules, alerts."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.permissions import register_permission_policy

from kepu.core.wagtail_policy import (
    ActionFormMixin,
    PermittedMenuItem,
    ScopedIndexView,
    ScopedObjectMixin,
    ScopedPermissionPolicy,
)
from kepu.orgs import permissions as perms

from . import actions, views
from .choices import AlertStatus
from .models import Alert, AlertRule, Source, WatchEntity

MANAGE = {"view": perms.VIEW_STATS, "add": perms.MANAGE_MONITORING,
          "change": perms.MANAGE_MONITORING, "delete": perms.MANAGE_MONITORING}  # fmt: skip
for model in (Source, WatchEntity, AlertRule):
    register_permission_policy(
        model, ScopedPermissionPolicy(model, unit_field="unit", actions=MANAGE)
    )
register_permission_policy(
    Alert,
    ScopedPermissionPolicy(
        Alert,
        unit_field="unit",
        actions={"view": perms.VIEW_STATS, "change": perms.MANAGE_MONITORING},
    ),
)


def _data(form):
    return {k: v for k, v in form.cleaned_data.items() if k != "unit"}


class SourceIndexView(ScopedIndexView):
    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        buttons.append(
            ListingButton(
                _("Health"),
                url=reverse("monitoring_source_health", args=[instance.pk]),
                icon_name="warning",
            )
        )
        return buttons


class SourceCreateView(ActionFormMixin, generic.CreateView):
    def save_instance(self):
        data = _data(self.form)
        return actions.create_source(
            self.form.cleaned_data["unit"], acting_user=self.request.user, **data
        )


class SourceEditView(ScopedObjectMixin, ActionFormMixin, generic.EditView):
    def save_instance(self):
        return actions.update_source(
            Source.objects.get(pk=self.object.pk),
            acting_user=self.request.user,
            **self.form.cleaned_data,
        )


class SourceViewSet(ModelViewSet):
    model = Source
    icon = "rss"
    menu_label = _("Sources")
    name = "monitoring_source"
    url_prefix = "monitoring/sources"
    index_view_class = SourceIndexView
    add_view_class = SourceCreateView
    edit_view_class = SourceEditView
    copy_view_enabled = False
    search_backend_name = None
    search_fields = ["name", "feed_url"]
    list_filter = ["kind", "transport", "is_active"]
    list_display = [
        "name",
        "unit",
        "kind",
        "transport",
        "last_success_at",
        "last_error_at",
        "items_total",
    ]
    form_fields = [
        "unit",
        "name",
        "kind",
        "transport",
        "feed_url",
        "poll_minutes",
        "retention_days",
        "is_active",
    ]


class EntityCreateView(ActionFormMixin, generic.CreateView):
    def save_instance(self):
        return actions.save_watch_entity(
            None,
            unit=self.form.cleaned_data["unit"],
            acting_user=self.request.user,
            **_data(self.form),
        )


class EntityEditView(ScopedObjectMixin, ActionFormMixin, generic.EditView):
    def save_instance(self):
        return actions.save_watch_entity(
            WatchEntity.objects.get(pk=self.object.pk),
            unit=self.form.cleaned_data["unit"],
            acting_user=self.request.user,
            **_data(self.form),
        )


class EntityIndexView(ScopedIndexView):
    pass


class WatchEntityViewSet(ModelViewSet):
    model = WatchEntity
    icon = "user"
    menu_label = _("Watch list")
    name = "monitoring_entity"
    url_prefix = "monitoring/watch-list"
    index_view_class = EntityIndexView
    add_view_class = EntityCreateView
    edit_view_class = EntityEditView
    copy_view_enabled = False
    search_backend_name = None
    search_fields = ["name", "aliases"]
    list_filter = ["kind", "is_active"]
    list_display = ["name", "kind", "unit", "linked_unit", "is_active"]
    form_fields = ["unit", "name", "kind", "aliases", "linked_unit", "is_active"]


class RuleCreateView(ActionFormMixin, generic.CreateView):
    def save_instance(self):
        return actions.save_alert_rule(
            None,
            unit=self.form.cleaned_data["unit"],
            acting_user=self.request.user,
            **_data(self.form),
        )


class RuleEditView(ScopedObjectMixin, ActionFormMixin, generic.EditView):
    def save_instance(self):
        return actions.save_alert_rule(
            AlertRule.objects.get(pk=self.object.pk),
            unit=self.form.cleaned_data["unit"],
            acting_user=self.request.user,
            **_data(self.form),
        )


class RuleIndexView(ScopedIndexView):
    pass


class AlertRuleViewSet(ModelViewSet):
    model = AlertRule
    icon = "warning"
    menu_label = _("Alert rules")
    name = "monitoring_rule"
    url_prefix = "monitoring/rules"
    index_view_class = RuleIndexView
    add_view_class = RuleCreateView
    edit_view_class = RuleEditView
    copy_view_enabled = False
    search_backend_name = None
    list_display = ["name", "kind", "unit", "entity", "threshold", "is_active"]
    form_fields = [
        "unit", "name", "kind", "entity", "threshold", "min_posts", "window_minutes", "terms",
        "cooldown_minutes", "emails", "webhook_url", "is_active",
    ]  # fmt: skip


def _may_acknowledge(user, alert) -> bool:
    return alert.status != AlertStatus.ACKNOWLEDGED and perms.user_has_permission(
        user, perms.MANAGE_MONITORING, alert.unit
    )


class AlertIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("rule", "unit")

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if _may_acknowledge(self.request.user, instance):
            buttons.append(
                ListingButton(
                    _("Acknowledge"),
                    url=reverse("monitoring_alert_acknowledge", args=[instance.pk]),
                    icon_name="check",
                    priority=5,
                )
            )
        return buttons


class AlertInspectView(ScopedObjectMixin, generic.InspectView):
    scoped_action = "view"

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if _may_acknowledge(self.request.user, self.object):
            buttons.append(
                HeaderButton(
                    _("Acknowledge"),
                    url=reverse("monitoring_alert_acknowledge", args=[self.object.pk]),
                    icon_name="check",
                )
            )
        return buttons


class AlertEditView(ScopedObjectMixin, ActionFormMixin, generic.EditView):
    """Status changes go through ``actions.acknowledge_alert`` (audited); an alert is not
    set back to new."""

    def save_instance(self):
        alert = Alert.objects.get(pk=self.object.pk)
        if (
            self.form.cleaned_data["status"] == AlertStatus.ACKNOWLEDGED
            and alert.status != AlertStatus.ACKNOWLEDGED
        ):
            return actions.acknowledge_alert(alert, acting_user=self.request.user)
        return alert


class AlertViewSet(ModelViewSet):
    model = Alert
    icon = "warning"
    menu_label = _("Alerts")
    name = "monitoring_alert"
    url_prefix = "monitoring/alerts"
    index_view_class = AlertIndexView
    inspect_view_class = AlertInspectView
    edit_view_class = AlertEditView
    inspect_view_enabled = True
    add_view_enabled = False
    copy_view_enabled = False
    search_backend_name = None
    list_filter = ["status"]
    list_display = ["title", "rule", "unit", "status", "created_at"]
    form_fields = ["status"]
    inspect_view_fields = [
        "title",
        "message",
        "rule",
        "unit",
        "created_at",
        "evidence",
        "delivered",
        "status",
    ]


class MonitoringGroup(ViewSetGroup):
    menu_label = _("Monitoring")
    menu_icon = "view"
    menu_order = 170
    items = (SourceViewSet, WatchEntityViewSet, AlertRuleViewSet, AlertViewSet)


@hooks.register("register_admin_viewset")
def register_monitoring():
    return MonitoringGroup()


@hooks.register("register_admin_urls")
def register_monitoring_urls():
    return [
        path("monitoring/", views.dashboard_view, name="monitoring_dashboard"),
        path("monitoring/posts/", views.posts_view, name="monitoring_posts"),
        path(
            "monitoring/sources/<int:pk>/health/",
            views.source_health_view,
            name="monitoring_source_health",
        ),
        path("monitoring/sources/<int:pk>/upload/", views.upload_view, name="monitoring_upload"),
        path(
            "monitoring/alerts/<int:pk>/acknowledge/",
            views.acknowledge_alert_view,
            name="monitoring_alert_acknowledge",
        ),
        path(
            "monitoring/sources/<int:pk>/fetch/",
            views.fetch_page_view,
            name="monitoring_fetch_page",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return PermittedMenuItem(
        _("Monitoring dashboard"), reverse("monitoring_dashboard"), icon_name="view", order=165,
        action=perms.VIEW_STATS,
    )  # fmt: skip
