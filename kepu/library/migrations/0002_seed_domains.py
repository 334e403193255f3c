"""Seed the two-level science-domain taxonomy (top-level disciplines and popular topics)."""

from django.db import migrations

from kepu.library.choices import SEED_DOMAINS


def seed(apps, schema_editor):
    Domain = apps.get_model("library", "Domain")
    for order, (name, children) in enumerate(SEED_DOMAINS.items()):
        top, _ = Domain.objects.get_or_create(name=name, parent=None, defaults={"sort_order": order})
        for child_order, child in enumerate(children):
            Domain.objects.get_or_create(name=child, parent=top, defaults={"sort_order": child_order})


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
