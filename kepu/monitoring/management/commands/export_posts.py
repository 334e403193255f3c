"""``manage.py export_posts --source NAME``: one JSON line per processed post."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from kepu.monitoring.export import post_records
from kepu.monitoring.models import Post, Source


class Command(BaseCommand):
    help = "Print the posts of a monitoring source as JSON Lines (id, story_id, sentiment, …)."

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, help="source name")

    def handle(self, *args, **options):
        source = Source.objects.filter(name=options["source"]).first()
        if source is None:
            raise CommandError(f"no monitoring source named {options['source']!r}")
        qs = Post.objects.filter(source=source).order_by("id")
        for record in post_records(qs):
            self.stdout.write(json.dumps(record, ensure_ascii=False))
