"""Writes of scoring tables. A published version is never changed: publishing freezes a
draft, and any edit starts from `new_version` (a draft copy) or an xlsx import (a new draft)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow.services import record_audit

from .. import table_xlsx
from ..models import (
    Dimension,
    DimensionWeight,
    Indicator,
    ScoringTable,
    TableVersion,
    VersionStatus,
)


def _require_admin(actor):
    if not actor.has_perm("evaluation.manage_tables"):
        raise PermissionDenied


def _next_number(table) -> int:
    return (table.versions.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def publish_version(*, actor, pk) -> TableVersion:
    """Freeze a draft version: from now on it can be used by periods and never changes."""
    _require_admin(actor)
    version = TableVersion.objects.select_for_update().get(pk=pk)
    if version.is_published:
        raise ValidationError(_("该版本已发布。"))
    if not Indicator.objects.filter(dimension__version=version).exists():
        raise ValidationError(_("该版本还没有指标，不能发布。"))
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor
    version.save()
    record_audit(
        actor=actor, obj=version, action="publish", from_state="draft", to_state="published"
    )
    return version


def _copy_rows(source, target):
    dimensions = source.dimensions.prefetch_related("indicators", "weights").order_by("sort_order")
    for dimension in dimensions:
        indicators, weights = list(dimension.indicators.all()), list(dimension.weights.all())
        dimension.pk, dimension.version = None, target
        dimension.save()
        for row in (*indicators, *weights):
            row.pk, row.dimension = None, dimension
        Indicator.objects.bulk_create(indicators)
        DimensionWeight.objects.bulk_create(weights)


@transaction.atomic
def new_version(*, actor, pk) -> TableVersion:
    """A draft copy of a version (usually the published one), to edit and publish later."""
    _require_admin(actor)
    source = TableVersion.objects.select_related("table").get(pk=pk)
    ScoringTable.objects.select_for_update().get(pk=source.table_id)  # serialise numbering
    version = TableVersion.objects.create(
        table=source.table,
        number=_next_number(source.table),
        note=_("复制自 v%(n)d") % {"n": source.number},
        allow_negative=source.allow_negative,
        max_star_rise=source.max_star_rise,
        bonus_cap=source.bonus_cap,
        star2_rate=source.star2_rate,
        star3_rate=source.star3_rate,
        star4_rate=source.star4_rate,
        star5_rate=source.star5_rate,
        based_on=source,
    )
    _copy_rows(source, version)
    record_audit(actor=actor, obj=version, action="create", comment=str(source))
    return version


@transaction.atomic
def import_table(*, actor, upload) -> TableVersion:
    """Import an xlsx table as a new draft version (of the table with that code, or of a new
    table). Refused as a whole, with row numbers, if anything in it is wrong."""
    _require_admin(actor)
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            _("文件过大，请上传不超过 %(n)d MB 的文件。")
            % {"n": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    parsed = table_xlsx.read(upload)
    if parsed.errors:
        raise ValidationError(parsed.errors)
    s = parsed.settings
    table, created = ScoringTable.objects.select_for_update().get_or_create(
        code=s["code"],
        defaults={
            "name": s["name"] or s["code"],
            "subject": s["subject"],
            "description": s["description"],
        },
    )
    if not created and table.subject != s["subject"]:
        raise ValidationError(_("考评对象与现有评价表不一致，不能导入为新版本。"))
    version = TableVersion(
        table=table,
        number=_next_number(table),
        note=s["note"] or _("由 Excel 导入"),
        allow_negative=s["allow_negative"],
        max_star_rise=s["max_star_rise"],
        bonus_cap=s["bonus_cap"],
        star2_rate=s["star2_rate"],
        star3_rate=s["star3_rate"],
        star4_rate=s["star4_rate"],
        star5_rate=s["star5_rate"],
        based_on=table.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first(),
    )
    version.full_clean()
    version.save()
    for d_order, d in enumerate(parsed.dimensions, 1):
        dimension = Dimension.objects.create(
            version=version,
            code=d["code"],
            name=d["name"],
            description=d["description"],
            sort_order=d_order * 10,
        )
        Indicator.objects.bulk_create(
            Indicator(dimension=dimension, sort_order=i * 10, **row)
            for i, row in enumerate(d["indicators"], 1)
        )
        DimensionWeight.objects.bulk_create(
            DimensionWeight(dimension=dimension, category=category, weight=weight)
            for category, weight in parsed.weights.get(d["code"], {}).items()
        )
    record_audit(actor=actor, obj=version, action="import", comment=upload.name[:100])
    return version
