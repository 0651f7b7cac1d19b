from decimal import Decimal

from django.db import migrations

# The documents' three-year plan: year 1 70% / 30%, year 2 100% / 80%, year 3 100% / 100%.
DEFAULTS = [(2026, "70", "30"), (2027, "100", "80"), (2028, "100", "100")]


def add_defaults(apps, schema_editor):
    CoverageTarget = apps.get_model("brands", "CoverageTarget")
    for year, filed, built in DEFAULTS:
        CoverageTarget.objects.get_or_create(
            year=year, defaults={"filed_rate": Decimal(filed), "built_rate": Decimal(built)}
        )


class Migration(migrations.Migration):
    dependencies = [("brands", "0002_lifecycle_and_targets")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
