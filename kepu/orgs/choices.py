"""Unit kinds and roles: the vocabulary of the organisation tree (see docs/glossary.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PLATFORM = "platform", _("Platform")
    ACADEMY = "academy", _("Academy")
    BRANCH = "branch", _("Branch academy")
    INSTITUTE = "institute", _("Institute")
    ASSOCIATION = "association", _("Science association (national)")
    PROVINCE = "province", _("Provincial science association")
    CITY = "city", _("City science association")
    COUNTY = "county", _("County science association")
    GRASSROOTS = "grassroots", _("Grassroots station")
    UNIVERSITY = "university", _("University")
    SOCIETY = "society", _("Learned society")
    SCIENCE_BASE = "science_base", _("Science base")
    OFFICE = "office", _("Office or department")


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    LEADING_GROUP = "leading_group", _("Leading group")
    RESPONSIBLE_OFFICE = "responsible_office", _("Responsible office")
    OFFICER = "officer", _("Communication officer")
    EDITOR = "editor", _("Editor")
    REVIEWER = "reviewer", _("Reviewer")
    EXPERT = "expert", _("Expert")
    VOLUNTEER = "volunteer", _("Volunteer")
    SPOKESPERSON = "spokesperson", _("Spokesperson")
