"""One permission policy for the whole platform, scoped by the organisation subtree.

A role held at unit U grants its actions on U and on every unit below U — never on U's
parent or siblings. A platform administrator holds every action everywhere. Every view, API
endpoint, admin screen, command and task asks this module; none decides on its own.

Actions are plain strings, ``<area>.<verb>``; ``ROLE_ACTIONS`` is the whole matrix, written
down in ``docs/subsystems/permissions.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .choices import Role
from .models import Membership, Unit

VIEW_UNIT = "unit.view"
CHANGE_UNIT = "unit.change"
ADD_UNIT = "unit.add_child"
MOVE_UNIT = "unit.move"
VIEW_MEMBERS = "member.view"
MANAGE_MEMBERS = "member.manage"
EDIT_SITE = "site.edit"
VIEW_DRAFTS = "content.view_draft"
EDIT_CONTENT = "content.edit"
REVIEW_CONTENT = "content.review"
PUBLISH_CONTENT = "content.publish"
SUBMIT_CONTENT = "content.submit"
VIEW_AUDIT = "audit.view"
VIEW_STATS = "stats.view"
# Monitoring: manage sources, watch list and alert rules (viewing dashboards is VIEW_STATS).
MANAGE_MONITORING = "monitoring.manage"

ALL_ACTIONS = frozenset(
    {
        VIEW_UNIT, CHANGE_UNIT, ADD_UNIT, MOVE_UNIT, VIEW_MEMBERS, MANAGE_MEMBERS, EDIT_SITE,
        VIEW_DRAFTS, EDIT_CONTENT, REVIEW_CONTENT, PUBLISH_CONTENT, SUBMIT_CONTENT, VIEW_AUDIT,
        VIEW_STATS, MANAGE_MONITORING,
    }
)  # fmt: skip

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.PLATFORM_ADMIN: ALL_ACTIONS,
    Role.LEADING_GROUP: frozenset(
        {VIEW_UNIT, VIEW_MEMBERS, VIEW_DRAFTS, PUBLISH_CONTENT, VIEW_AUDIT, VIEW_STATS}
    ),
    Role.RESPONSIBLE_OFFICE: frozenset(
        {
            VIEW_UNIT,
            CHANGE_UNIT,
            ADD_UNIT,
            MOVE_UNIT,
            VIEW_MEMBERS,
            MANAGE_MEMBERS,
            EDIT_SITE,
            VIEW_DRAFTS,
            EDIT_CONTENT,
            PUBLISH_CONTENT,
            SUBMIT_CONTENT,
            VIEW_AUDIT,
            VIEW_STATS,
            MANAGE_MONITORING,
        }
    ),
    Role.OFFICER: frozenset(
        {
            VIEW_UNIT,
            CHANGE_UNIT,
            VIEW_MEMBERS,
            EDIT_SITE,
            VIEW_DRAFTS,
            EDIT_CONTENT,
            SUBMIT_CONTENT,
            VIEW_AUDIT,
            VIEW_STATS,
            MANAGE_MONITORING,
        }
    ),
    Role.EDITOR: frozenset({VIEW_UNIT, EDIT_SITE, VIEW_DRAFTS, EDIT_CONTENT}),
    Role.REVIEWER: frozenset({VIEW_UNIT, VIEW_DRAFTS, REVIEW_CONTENT}),
    Role.EXPERT: frozenset({VIEW_UNIT}),
    Role.VOLUNTEER: frozenset({VIEW_UNIT}),
    Role.SPOKESPERSON: frozenset({VIEW_UNIT, VIEW_DRAFTS}),
}

#: Roles whose holders work in the Wagtail admin.
STAFF_ROLES = frozenset(ROLE_ACTIONS) - {Role.VOLUNTEER}


@dataclass(frozen=True)
class Grant:
    """One membership as the policy sees it: the subtree path and what it allows."""

    unit_id: int
    unit_name: str
    path: str
    role: str
    actions: frozenset[str]


def grants_for(user: Any) -> list[Grant]:
    """The user's grants, computed once per user object (i.e. once per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_kepu_grants", None)
    if cached is not None:
        return cached
    rows = Membership.objects.filter(user=user, unit__is_active=True).values_list(
        "unit_id", "unit__name", "unit__path", "role"
    )
    grants = [
        Grant(unit_id, name, path, role, ROLE_ACTIONS.get(role, frozenset()))
        for unit_id, name, path, role in rows
    ]
    user._kepu_grants = grants
    return grants


def forget_grants(user: Any) -> None:
    """Drop the cached grants after memberships change."""
    if hasattr(user, "_kepu_grants"):
        del user._kepu_grants


def is_platform_admin(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser) or any(g.role == Role.PLATFORM_ADMIN for g in grants_for(user))


def _paths(user: Any, action: str) -> list[str]:
    return [g.path for g in grants_for(user) if action in g.actions]


def user_has_permission(user: Any, action: str, unit: Unit | None = None) -> bool:
    """May ``user`` do ``action`` at ``unit`` (or anywhere at all, when ``unit`` is None)?"""
    if action not in ALL_ACTIONS:
        raise ValueError(f"unknown permission action {action!r}")
    if is_platform_admin(user):
        return True
    paths = _paths(user, action)
    if unit is None:
        return bool(paths)
    return any(unit.path.startswith(p) for p in paths)


def explain(user: Any, action: str, unit: Unit) -> str:
    """Say in words why ``user`` may or may not do ``action`` at ``unit``."""
    if is_platform_admin(user):
        return _("You may, because you are a platform administrator.")
    for g in grants_for(user):
        if action in g.actions and unit.path.startswith(g.path):
            return _("You may, because you hold the role “%(role)s” at %(unit)s.") % {
                "role": Role(g.role).label,
                "unit": g.unit_name,
            }
    return _("You may not: none of your roles covers %(unit)s for this action.") % {
        "unit": unit.name
    }


def subtree_q(user: Any, action: str, path_field: str = "path") -> Q | None:
    """A Q object matching rows whose unit path lies in the user's scope, or None for all.

    Returns ``Q(pk__in=[])`` (matches nothing) for a user with no grant for the action.
    """
    if is_platform_admin(user):
        return None
    q = Q(pk__in=[])
    for path in _minimal(_paths(user, action)):
        q |= Q(**{f"{path_field}__startswith": path})
    return q


def filter_queryset(user: Any, action: str, qs: QuerySet, unit_field: str = "unit") -> QuerySet:
    """Restrict ``qs`` to rows whose unit (``unit_field``) the user may ``action``.

    Pass ``unit_field=""`` when ``qs`` is a queryset of units itself.
    """
    path_field = f"{unit_field}__path" if unit_field else "path"
    q = subtree_q(user, action, path_field)
    return qs if q is None else qs.filter(q)


def units_for(user: Any, action: str) -> QuerySet[Unit]:
    """The units where ``user`` may do ``action``."""
    return filter_queryset(user, action, Unit.objects.all(), unit_field="")


def _minimal(paths: Iterable[str]) -> list[str]:
    """Drop paths already covered by an ancestor path in the list."""
    result: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(kept) for kept in result):
            result.append(path)
    return result
