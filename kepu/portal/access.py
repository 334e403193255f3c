"""Translating memberships into Wagtail's own permission records.

Wagtail checks page permissions through groups and ``GroupPagePermission`` rows, and inherits
them down the page tree. Because the portal's page tree mirrors the unit tree, a group per
unit with permissions on that unit's home page gives exactly the subtree scope that
``kepu.orgs.permissions`` defines. ``sync_user_access`` recomputes a user's groups from their
memberships; it is called by the membership actions, never by signals.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission

from kepu.orgs import permissions as perms
from kepu.orgs.choices import Role
from kepu.orgs.models import Membership, Unit

STAFF_GROUP = "科普工作人员"
SITE_GROUP_PREFIX = "站点编辑:"
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
STAFF_PERMISSIONS = (
    ("wagtailadmin", "access_admin"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)


def staff_group() -> Group:
    group, created = Group.objects.get_or_create(name=STAFF_GROUP)
    if created:
        group.permissions.set(
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in STAFF_PERMISSIONS
        )
    return group


def site_group(unit: Unit) -> Group:
    """The group whose members edit ``unit``'s sub-site and everything under it."""
    from .actions import ensure_unit_site

    group, _ = Group.objects.get_or_create(name=f"{SITE_GROUP_PREFIX}{unit.code}")
    page = ensure_unit_site(unit)
    for codename in PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    return group


@transaction.atomic
def sync_user_access(user: Any) -> None:
    """Make the user's Wagtail groups (and superuser flag) match their memberships."""
    memberships = list(Membership.objects.filter(user=user).select_related("unit"))
    roles = {m.role for m in memberships}
    wanted: set[int] = set()
    if roles & perms.STAFF_ROLES:
        wanted.add(staff_group().pk)
    for m in memberships:
        if perms.EDIT_SITE in perms.ROLE_ACTIONS.get(m.role, frozenset()) and m.unit.is_active:
            wanted.add(site_group(m.unit).pk)
    current = set(user.groups.values_list("pk", flat=True))
    managed = set(
        Group.objects.filter(name__startswith=SITE_GROUP_PREFIX).values_list("pk", flat=True)
    ) | {staff_group().pk}
    user.groups.remove(*((current & managed) - wanted))
    user.groups.add(*(wanted - current))
    is_admin = Role.PLATFORM_ADMIN in roles
    if is_admin and not user.is_superuser:
        user.is_superuser = True
        user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    elif not is_admin and user.is_superuser and _granted_by_role(user):
        user.is_superuser = False
        user.save(update_fields=["is_superuser"])
    perms.forget_grants(user)


def _granted_by_role(user: Any) -> bool:
    """Superuser rights granted by a (now removed) platform administrator role are taken back;
    those created with ``createsuperuser`` are left alone."""
    from kepu.audit.models import AuditEntry

    return AuditEntry.objects.filter(
        action="kepu.orgs.member_removed",
        data__user=user.get_username(),
        data__role=Role.PLATFORM_ADMIN,
    ).exists()
