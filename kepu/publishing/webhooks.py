"""Signed webhook deliveries to partner platforms.

Each request is a POST of the JSON payload with
``X-Kepu-Event``, ``X-Kepu-Delivery`` (stable across retries, so partners can de-duplicate),
``X-Kepu-Timestamp`` and ``X-Kepu-Signature: sha256=<hex HMAC of "timestamp.body">``.
A 2xx answer is success; anything else (or a timeout) is retried with exponential backoff
up to ``MAX_ATTEMPTS``, and every attempt is logged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .choices import DeliveryStatus
from .models import Delivery, DeliveryAttempt

MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 10


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the n-th failure, capped at 6 hours."""
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """For partners (and tests): is this delivery really from us?"""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def attempt_delivery(delivery_id: int) -> str:
    """Try one delivery once, if it is due; returns its status afterwards. Idempotent."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("partner")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return "busy"
        if delivery.status in (DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED):
            return delivery.status
        if delivery.next_attempt_at > timezone.now():
            return delivery.status
        partner = delivery.partner
        body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
        timestamp = str(int(time.time()))
        request = urllib.request.Request(  # noqa: S310 (partner URLs are http(s), validated by URLField)
            partner.endpoint,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "Kepu-Webhook/1",
                "X-Kepu-Event": delivery.event,
                "X-Kepu-Delivery": str(delivery.pk),
                "X-Kepu-Timestamp": timestamp,
                "X-Kepu-Signature": sign(partner.secret, timestamp, body),
            },
        )
        started = time.monotonic()
        status_code, error = None, ""
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                status_code = response.status
        except urllib.error.HTTPError as exc:
            status_code, error = exc.code, f"HTTP {exc.code}"
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            error = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
        duration = int((time.monotonic() - started) * 1000)
        DeliveryAttempt.objects.create(
            delivery=delivery, status_code=status_code, error=error, duration_ms=duration
        )
        delivery.attempts += 1
        delivery.last_status_code = status_code
        if status_code is not None and 200 <= status_code < 300:
            delivery.status = DeliveryStatus.SUCCEEDED
            delivery.delivered_at = timezone.now()
            delivery.last_error = ""
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = error
        else:
            delivery.status = DeliveryStatus.RETRYING
            delivery.last_error = error
            delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
        delivery.save()
        return delivery.status
