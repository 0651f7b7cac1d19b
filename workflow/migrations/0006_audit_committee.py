"""Each audit entry keeps the committee its unit belonged to when it was written, so a past
month's figures do not move with a unit that later changes committee. Existing entries are
backfilled from today's tree (the best knowledge there is): one UPDATE per committee."""

import django.db.models.deletion
from django.db import migrations, models

COMMITTEE_DEPTH = 2  # branches.selectors.COMMITTEE_DEPTH, frozen here


def backfill(apps, schema_editor):
    OrgUnit = apps.get_model("branches", "OrgUnit")
    AuditEntry = apps.get_model("workflow", "AuditEntry")
    for pk, path in OrgUnit.objects.filter(depth=COMMITTEE_DEPTH).values_list("pk", "path"):
        AuditEntry.objects.filter(
            committee__isnull=True,
            unit__in=OrgUnit.objects.filter(path__startswith=path).values("pk"),
        ).update(committee_id=pk)


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0004_must_change_password"),
        ("workflow", "0005_reaper_schedule"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="committee",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="branches.orgunit",
                verbose_name="所属党委（当时）",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
