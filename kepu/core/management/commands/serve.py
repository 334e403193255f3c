"""Run the whole embedded installation: web server, task worker(s) and scheduler.

``make demo`` ends with this. With ``KEPU_REDIS_URL`` set the workers are RQ workers;
otherwise they drain the database queue. Ctrl-C stops everything.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site with its background workers and scheduler (embedded default)."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default=os.environ.get("KEPU_ADDR", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("KEPU_WORKERS", "1")))

    def handle(self, *args, addr: str, workers: int, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        if settings.REDIS_URL:
            worker_cmd = [
                *manage, "rqworker", "default", "--job-class", "django_tasks_rq.backend.Job",
            ]  # fmt: skip
        else:
            worker_cmd = [*manage, "db_worker", "--queue-name", "*", "--no-reload"]
        commands = {
            "web": [*manage, "runserver", addr, "--noreload", "--insecure"],
            "scheduler": [*manage, "run_scheduler"],
            **{f"worker-{i + 1}": worker_cmd for i in range(max(1, workers))},
        }
        procs = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603
        self.stdout.write(f"Kepu is running at http://{addr}/  (admin: http://{addr}/admin/)")
        self.stdout.write("processes: " + ", ".join(procs) + " — Ctrl-C stops them all")

        stopping = False

        def stop(*_args):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, proc in procs.items():
                    if proc.poll() is not None:
                        self.stderr.write(f"{name} exited with {proc.returncode}; stopping")
                        stopping = True
                time.sleep(0.5)
        finally:
            for proc in procs.values():
                if proc.poll() is None:
                    proc.terminate()
            for proc in procs.values():
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
