from django.db import migrations

from evaluation.migrations._copy_version import copy_missing_weights

#: Five-force v2 (migration 0020) was first shipped without the category weights (分类权重)
#: of the version it copies, so a branch's total on it counted every dimension once whatever
#: an administrator had set on v1. A version 0020 shipped that has no weights while its source
#: has some takes the source's, dimension by dimension code (as the copy matched them).
#: Totals stored before this runs are not recomputed. Idempotent; reversing leaves the rows.
FIVE_FORCE_NOTE = "系统预置：品牌要素、宣传推广、示范带动、媒体报道由门户数据线上评分"


def copy_five_force_weights(apps, schema_editor):
    TableVersion = apps.get_model("evaluation", "TableVersion")
    shipped = TableVersion.objects.filter(table__code="brand-five-forces", note=FIVE_FORCE_NOTE)
    for version in shipped.order_by("number"):
        copy_missing_weights(apps, version)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0020_five_force_online_version"),
    ]

    operations = [
        migrations.RunPython(copy_five_force_weights, migrations.RunPython.noop),
    ]
