"""Adapter: Wagtail admin views ask ``kepu.orgs.permissions`` through this policy class.

Wagtail's generic admin views (``ModelViewSet``) call a permission policy with Wagtail's
action names (``add``, ``change``, ``delete``, ``view``, ``export``). ``ScopedPermissionPolicy``
maps each to a Kepu action and answers from the organisation subtree, so the admin enforces
exactly what the API and the views enforce.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.permission_policies.base import BasePermissionPolicy

from kepu.orgs import permissions as perms


class ScopedPermissionPolicy(BasePermissionPolicy):
    """``unit_field`` names the FK to ``orgs.Unit`` ("" when the model is ``Unit`` itself)."""

    def __init__(self, model: Any, *, unit_field: str, actions: dict[str, str | None]):
        super().__init__(model)
        self.unit_field = unit_field
        self.actions = actions

    def _kepu_action(self, action: str) -> str | None:
        return self.actions.get(action)

    def _unit_of(self, instance: Any):
        # ``unit_field`` may follow relations ("partner__unit"), as in querysets
        for name in self.unit_field.split("__") if self.unit_field else ():
            instance = getattr(instance, name)
        return instance

    def user_has_permission(self, user: Any, action: str) -> bool:
        kepu_action = self._kepu_action(action)
        return kepu_action is not None and perms.user_has_permission(user, kepu_action)

    def user_has_any_permission(self, user: Any, actions: list[str]) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        kepu_action = self._kepu_action(action)
        return kepu_action is not None and perms.user_has_permission(
            user, kepu_action, self._unit_of(instance)
        )

    def user_has_any_permission_for_instance(self, user: Any, actions: list[str], instance: Any):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user: Any, actions: list[str]) -> QuerySet:
        qs = self.model._default_manager.none()
        for action in actions:
            qs = qs | self.instances_user_has_permission_for(user, action)
        return qs

    def instances_user_has_permission_for(self, user: Any, action: str) -> QuerySet:
        kepu_action = self._kepu_action(action)
        if kepu_action is None:
            return self.model._default_manager.none()
        return perms.filter_queryset(
            user, kepu_action, self.model._default_manager.all(), unit_field=self.unit_field
        )

    def users_with_any_permission(self, actions: list[str]) -> QuerySet:
        # Only used by Wagtail for notification fan-out; Kepu notifies explicitly.
        return get_user_model().objects.filter(is_active=True, memberships__isnull=False).distinct()

    def users_with_permission(self, action: str) -> QuerySet:
        return self.users_with_any_permission([action])


class ScopedIndexView(generic.IndexView):
    """A listing of only the rows the policy lets the user view."""

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "view")


class ScopedObjectMixin:
    """Refuse an object outside the user's scope, whatever the generic view checks."""

    scoped_action = "change"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.scoped_action, obj
        ):
            raise PermissionDenied
        return obj


class PermittedMenuItem(MenuItem):
    """An admin menu item shown to users who hold ``action`` somewhere."""

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action

    def is_shown(self, request: Any) -> bool:
        return perms.user_has_permission(request.user, self.action)


class ActionFormMixin:
    """Admin create/edit views whose save calls a Kepu action: the action's
    ValidationError or PermissionDenied is shown on the form instead of a 500."""

    def form_valid(self, form):
        from kepu.core.forms import add_validation_error

        try:
            return super().form_valid(form)
        except ValidationError as exc:
            add_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        self.produced_error_message = self.get_error_message()
        return self.form_invalid(form)
