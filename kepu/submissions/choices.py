from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    RESEARCH = "research", _("Research progress")
    ACTIVITY = "activity", _("Popular-science activity")
    PEOPLE = "people", _("People")
    GOVERNMENT = "government", _("Government affairs")
    OPINION = "opinion", _("Public opinion")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    VERY_URGENT = "very_urgent", _("Very urgent")


class Status(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    ADOPTED = "adopted", _("Adopted")
    RETURNED = "returned", _("Returned")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ADOPTED = "adopted", _("Adopted")
    RETURNED = "returned", _("Returned")
    FORWARDED = "forwarded", _("Forwarded")
    RESUBMITTED = "resubmitted", _("Resubmitted")
