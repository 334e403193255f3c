from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kepu.orgs.importing import import_units


class Command(BaseCommand):
    help = "Create or update units from an .xlsx or .csv sheet (one row per unit)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        try:
            report = import_units(file)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        for error in report.errors:
            self.stderr.write(str(error))
        self.stdout.write(
            f"created {len(report.created)}, updated {len(report.updated)}, "
            f"rejected rows {len({e.row for e in report.errors})}"
        )
        if report.errors:
            raise CommandError("some rows were rejected (the others were imported)")
