from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    FEED = "feed", _("Atom/RSS/JSON feeds")
    NEWSLETTER = "newsletter", _("Email newsletter")
    WECHAT = "wechat", _("WeChat article package")
    WEIBO = "weibo", _("Weibo post")
    VIDEO = "video", _("Short-video metadata")
    WEBHOOK = "webhook", _("Partner platforms")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SUCCEEDED = "succeeded", _("Delivered")
    RETRYING = "retrying", _("Retrying")
    FAILED = "failed", _("Failed")


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
