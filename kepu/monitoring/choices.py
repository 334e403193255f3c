"""Vocabulary of the monitoring app (see docs/glossary.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    NEWS = "news", _("News")
    SOCIAL = "social", _("Social media")
    FORUM = "forum", _("Forum")
    VIDEO = "video", _("Video")
    OFFICIAL = "official", _("Official account")


class SourceTransport(models.TextChoices):
    FEED = "feed", _("RSS/Atom feed")
    UPLOAD = "upload", _("File upload")
    PUSH = "push", _("Push API")
    PAGE = "page", _("Web page")


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


class EntityKind(models.TextChoices):
    INSTITUTION = "institution", _("Institution")
    UNIT = "unit", _("Unit")
    BRAND = "brand", _("Brand")
    SCIENTIST = "scientist", _("Scientist")


class AlertKind(models.TextChoices):
    NEGATIVE = "negative", _("Negative mentions of a watched name")
    SPIKE = "spike", _("Spike in a topic")
    RUMOR = "rumor", _("Post matching a known rumor")


class AlertStatus(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
