"""How a resource is described to the publishing channels."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from kepu.core.html import sanitize_html
from kepu.publishing.payload import ContentPayload

from .models import Resource


def body_html(resource: Resource) -> str:
    parts = []
    for block in resource.body or []:
        value = block.value
        if block.block_type in ("paragraph", "html"):
            parts.append(str(getattr(value, "source", value)))
    return sanitize_html("".join(parts))


def payload_for(resource: Resource) -> ContentPayload:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return ContentPayload(
        kind=resource.kind,
        id=str(resource.pk),
        title=resource.title,
        summary=resource.summary,
        html=body_html(resource),
        url=base + resource.get_absolute_url(),
        unit_code=resource.unit.code,
        unit_name=resource.unit.name,
        published_at=resource.last_published_at or timezone.now(),
        domain=resource.domain.path if resource.domain_id else "",
        audiences=list(resource.audiences or []),
        tags=list(resource.keyword_list),
    )
