"""What a content app hands to publishing: one flat description of a published piece."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime


@dataclass
class ContentPayload:
    kind: str  # e.g. "article", "video"
    id: str  # stable id in Kepu
    title: str
    summary: str
    html: str  # sanitised body HTML
    url: str  # absolute public URL
    unit_code: str
    unit_name: str
    published_at: datetime
    domain: str = ""
    audiences: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    duration_seconds: int | None = None

    def as_json(self) -> dict:
        data = asdict(self)
        data["published_at"] = self.published_at.isoformat()
        return data
