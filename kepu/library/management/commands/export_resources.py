"""Export the library (or a filter of it) as JSON Lines or .xlsx."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kepu.library.exporting import export_jsonl, export_xlsx, filtered_resources


class Command(BaseCommand):
    help = "Export resources to OUT (.jsonl or .xlsx). Filters: --unit, --domain, --type, --live."

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path)
        parser.add_argument("--unit", help="unit code (its subtree is included)")
        parser.add_argument("--domain", help="domain, e.g. 天文 or 生命健康/营养")
        parser.add_argument("--type", dest="kind")
        parser.add_argument("--live", action="store_true", help="published resources only")

    def handle(self, *args, out: Path, unit=None, domain=None, kind=None, live=False, **options):
        qs = filtered_resources(unit=unit, domain=domain, kind=kind, live_only=live)
        suffix = out.suffix.lower()
        with out.open("wb") as fh:
            if suffix == ".jsonl":
                count = export_jsonl(qs, fh)
            elif suffix == ".xlsx":
                count = export_xlsx(qs, fh)
            else:
                raise CommandError("export to a .jsonl or .xlsx file")
        self.stdout.write(f"exported {count} resources to {out}")
