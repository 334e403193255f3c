"""The organisation tree (S1): units of any depth and who belongs to them in which role."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from kepu.core.models import HttpsURLField, TimeStampedModel

from .choices import Role, UnitKind

unit_code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]{1,39}$",
    _(
        "A unit code is 2–40 characters: lower-case letters, digits and hyphens, "
        "starting with a letter or digit."
    ),
    code="invalid_code",
)
region_code_validator = RegexValidator(
    r"^(\d{6}|\d{9}|\d{12})$",
    _("An administrative division code has 6, 9 or 12 digits (GB/T 2260)."),
    code="invalid_region",
)


class Unit(MP_Node, TimeStampedModel):
    """One unit of the organisation: an academy, branch, institute, association, base …

    A materialised-path tree (django-treebeard): ``path`` prefixes give a unit's whole
    subtree in one indexed query, which is how every permission in Kepu is scoped.
    Change units only through ``kepu.orgs.actions`` (which records renames, audits and keeps
    the portal page tree in step).
    """

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[unit_code_validator])
    name = models.CharField(_("Chinese name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    region_code = models.CharField(
        _("administrative division code"),
        max_length=12,
        blank=True,
        validators=[region_code_validator],
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = HttpsURLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The unit's name in the active language, falling back to Chinese."""
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def indented_name(self) -> str:
        """The name indented by depth, for tree-shaped listings."""
        return "\u3000" * (self.depth - 1) + self.name

    indented_name.fget.short_description = _("name")  # type: ignore[attr-defined]

    def is_within(self, other: Unit) -> bool:
        """True when this unit is ``other`` or one of its descendants."""
        return self.path.startswith(other.path)


class UnitNameChange(models.Model):
    """A rename of a unit, kept so history (statistics, audit) reads with the old names."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="name_changes")
    old_name = models.CharField(_("old Chinese name"), max_length=120)
    old_name_en = models.CharField(_("old English name"), max_length=200, blank=True)
    new_name = models.CharField(_("new Chinese name"), max_length=120)
    new_name_en = models.CharField(_("new English name"), max_length=200, blank=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("unit name change")
        verbose_name_plural = _("unit name changes")

    def __str__(self) -> str:
        return f"{self.old_name} → {self.new_name}"


class Membership(TimeStampedModel):
    """A user's role at a unit. The role applies to the unit and its whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    title = models.CharField(_("position title"), max_length=80, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"], name="orgs_membership_unique_role"
            )
        ]
        ordering = ["unit__path", "role"]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"

    def clean(self) -> None:
        if self.role not in Role.values:
            raise ValidationError({"role": _("Unknown role.")})
        if self.role == Role.PLATFORM_ADMIN and self.unit_id and not self.unit.is_root():
            raise ValidationError(
                {"role": _("The platform administrator role can only be held at a top unit.")}
            )
