import time

from django.conf import settings
from django.core.management.base import BaseCommand

from kepu.scheduler.registry import REGISTRY, tick


class Command(BaseCommand):
    help = "Enqueue periodic jobs when they are due (runs beside the task workers)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="tick once and exit")
        parser.add_argument(
            "--interval", type=float, default=settings.KEPU_SCHEDULER_TICK_SECONDS,
            help="seconds between ticks",
        )  # fmt: skip

    def handle(self, *args, once: bool, interval: float, **options):
        self.stdout.write(
            f"scheduler: {len(REGISTRY)} periodic jobs: {', '.join(sorted(REGISTRY))}"
        )
        while True:
            for name in tick():
                self.stdout.write(f"enqueued {name}")
            if once:
                return
            time.sleep(interval)
