"""Run queries from a JSON Lines file through the portal's search; one JSON line out per query."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kepu.library.search import InvalidFilter, search_resources


class Command(BaseCommand):
    help = (
        'Read lines {"id": …, "query": …[, "filters": {…}]} from --input (or stdin) and '
        'print {"id": …, "results": [{"external_id": …, "score": …}, …]} per line, '
        "best first, with exactly the portal's ranking."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", type=Path, help="JSON Lines file (default: stdin)")
        parser.add_argument("--top", type=int, default=10)

    def handle(self, *args, input=None, top=10, **options):
        if input is not None and not input.exists():
            raise CommandError(f"no such file: {input}")
        stream = input.open(encoding="utf-8-sig") if input else sys.stdin
        top = max(1, min(top, 100))
        with stream:
            for number, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as exc:
                    self.stderr.write(f"line {number}: not JSON ({exc.msg}); skipped")
                    continue
                if not isinstance(item, dict):
                    self.stderr.write(f"line {number}: not a JSON object; skipped")
                    continue
                out = {"id": item.get("id"), "results": []}
                query = item.get("query")
                try:
                    found = search_resources(
                        query if isinstance(query, str) else "",
                        filters=item.get("filters") or {},
                        per_page=top,
                        facets=False,
                    )
                except InvalidFilter as exc:
                    out["error"] = str(exc)
                else:
                    if found.query:  # an empty query lists nothing ranked
                        out["results"] = [
                            {"external_id": h.external_id, "score": h.score} for h in found.hits
                        ]
                self.stdout.write(json.dumps(out, ensure_ascii=False))
