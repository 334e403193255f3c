"""Export resources as JSON Lines (re-importable by ``import_resources``) or .xlsx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from django.db.models import Q, QuerySet

from kepu.orgs.models import Unit

from .models import Resource

COLUMNS = (
    "external_source", "external_id", "title", "kind", "unit", "domain", "audiences", "level",
    "language", "licence", "source", "authors", "reviewers", "keywords", "publication_date",
    "summary", "media_url", "duration_seconds", "live", "shared", "url", "body_html",
)  # fmt: skip


def filtered_resources(
    *, unit: str | None = None, domain: str | None = None, kind: str | None = None,
    live_only: bool = False, qs: QuerySet | None = None,
) -> QuerySet:  # fmt: skip
    qs = Resource.objects.all() if qs is None else qs
    if unit:
        root = Unit.objects.filter(code=unit).first()
        qs = qs.filter(unit__path__startswith=root.path) if root else qs.none()
    if domain:
        parts = [p.strip() for p in domain.split("/") if p.strip()]
        if len(parts) == 1:
            qs = qs.filter(
                Q(domain__name=parts[0], domain__parent=None) | Q(domain__parent__name=parts[0])
            )
        else:
            qs = qs.filter(domain__parent__name=parts[0], domain__name=parts[1])
    if kind:
        qs = qs.filter(kind=kind)
    if live_only:
        qs = qs.filter(live=True)
    return qs.select_related("unit", "domain__parent").order_by("pk")


def _body_html(resource: Resource) -> str:
    return "".join(str(block.render()) for block in resource.body or [])


def rows(qs: QuerySet) -> Iterator[dict[str, Any]]:
    for r in qs.iterator(chunk_size=1000):
        yield {
            "external_source": r.external_source,
            "external_id": r.external_id or f"kepu-{r.pk}",
            "title": r.title,
            "kind": r.kind,
            "unit": r.unit.code,
            "domain": r.domain.path if r.domain_id else "",
            "audiences": list(r.audiences or []),
            "level": r.level,
            "language": r.language,
            "licence": r.licence,
            "source": r.source,
            "authors": r.authors,
            "reviewers": r.reviewers,
            "keywords": r.keyword_list,
            "publication_date": r.publication_date.isoformat() if r.publication_date else "",
            "summary": r.summary,
            "media_url": r.media_url,
            "duration_seconds": r.duration_seconds,
            "live": r.live,
            "shared": r.shared,
            "url": r.get_absolute_url(),
            "body_html": _body_html(r),
        }


def export_jsonl(qs: QuerySet, fh: IO[bytes]) -> int:
    count = 0
    for row in rows(qs):
        fh.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
        count += 1
    return count


def export_xlsx(qs: QuerySet, fh: IO[bytes]) -> int:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("resources")
    sheet.append(list(COLUMNS))
    count = 0
    for row in rows(qs):
        sheet.append(
            [
                "、".join(v) if isinstance(v, list) else ("" if v is None else v)
                for v in (row[c] for c in COLUMNS)
            ]
        )
        count += 1
    book.save(fh)
    return count
