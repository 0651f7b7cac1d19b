"""Writes of assessment periods: create and reschedule (the province), publish a committee's
part, aggregate months into a quarter and quarters into a year."""

import datetime
import logging

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, Sum, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from branches.models import OrgUnit
from branches.selectors import COMMITTEE_PATH_LEN, committee_ids, in_scope
from workflow.models import AuditEntry
from workflow.services import notify, object_label, record_audit
from workflow.windows import local_today

from .. import cache, scoring
from ..models import (
    SOURCE_KIND,
    Assessment,
    AssessmentPeriod,
    AssessmentScore,
    DimensionScore,
    PeriodKind,
    PeriodPublication,
    Status,
    Subject,
)
from ..selectors.tables import as_items, indicators_for, weights_for
from ..signals import results_published
from ..windows import fill_window
from .assessments import WORKFLOW, EvaluationError
from .ranking import refresh_ranks

log = logging.getLogger(__name__)

PERIOD_FIELDS = (
    "name",
    "kind",
    "table_version",
    "scope",
    "starts_on",
    "ends_on",
    "opens_on",
    "closes_on",
    "is_aggregate",
)
RESCHEDULE_FIELDS = ("name", "opens_on", "closes_on")


def _require_manager(actor, scope=None):
    if not actor.has_perm("evaluation.manage_periods"):
        raise PermissionDenied
    if scope is not None and not in_scope(actor, scope):
        raise PermissionDenied


def describe_changes(obj, before: dict) -> str:
    """What changed on `obj` since `before` ({field: old value}), for the audit trail:
    "字段：旧 → 新" per changed field, joined by "；"; "" when nothing changed."""
    return "；".join(
        f"{obj._meta.get_field(f).verbose_name}：{old} → {getattr(obj, f)}"
        for f, old in before.items()
        if old != getattr(obj, f)
    )


def subject_units(period):
    """The units a filled period assesses: active units of the table's subject type in the
    scope's subtree."""
    return OrgUnit.objects.filter(
        path__startswith=period.scope.path,
        unit_type=period.table_version.table.subject,
        is_active=True,
    )


def find_sources(period):
    """The periods an aggregate sums up: the next-lower kind, same table version and scope,
    lying within the aggregate's dates."""
    kind = SOURCE_KIND.get(period.kind)
    if kind is None:
        return AssessmentPeriod.objects.none()
    return AssessmentPeriod.objects.filter(
        kind=kind,
        table_version=period.table_version,
        scope=period.scope,
        starts_on__gte=period.starts_on,
        ends_on__lte=period.ends_on,
    ).exclude(pk=period.pk)


@transaction.atomic
def create_period(*, actor, data: dict) -> AssessmentPeriod:
    """Create a period (the province, by hand); see `insert_period`."""
    _require_manager(actor, data.get("scope"))
    period = AssessmentPeriod(created_by=actor, **{f: data[f] for f in PERIOD_FIELDS})
    return insert_period(period, actor=actor)


def insert_period(period: AssessmentPeriod, *, actor=None) -> AssessmentPeriod:
    """Save a new period. A filled period gets an empty assessment for each unit it covers; an
    aggregate period is linked to its source periods (and must have some). `actor` None is a
    schedule's beat (`services.schedules`); the caller checked who may."""
    version = period.table_version
    if not version.is_published:
        raise ValidationError(_("只能使用已发布的评价表版本创建考评周期。"))
    if version.table.subject == Subject.MEMBER:
        raise ValidationError(
            _("党员考评表由党支部在“党员考评”（党员KPI模块）中考评，不能用于考评周期。")
        )
    if period.is_aggregate and period.kind not in SOURCE_KIND:
        raise ValidationError(_("只有季度和年度周期可以设为汇总周期。"))
    period.full_clean()
    period.save()
    if period.is_aggregate:
        sources = list(find_sources(period))
        if not sources:
            raise ValidationError(
                _("在该时间范围内没有同一评价表、同一范围的%(kind)s周期可供汇总。")
                % {"kind": AssessmentPeriod(kind=SOURCE_KIND[period.kind]).get_kind_display()}
            )
        period.sources.set(sources)
    else:
        if not _insert_assessments(period):
            raise ValidationError(
                _("所选范围内没有可考评的%(subject)s。")
                % {"subject": version.table.get_subject_display()}
            )
    record_audit(actor=actor, obj=period, action="create", unit=period.scope)
    return period


#: The columns an empty assessment is created with (`_insert_assessments`); every other column
#: of Assessment is nullable (tests/evaluation/test_schedule_services.py guards this).
EMPTY_ASSESSMENT_COLUMNS = (
    "period_id",
    "unit_id",
    "category",
    "region_id",
    "committee_id",
    "status",
    "revision",
    "is_vetoed",
    "veto_reason",
    "created_at",
    "updated_at",
)


def _insert_assessments(period) -> int:
    """An empty assessment (填报中) for each unit `subject_units` gives, with what it copies
    from the unit (`Assessment.for_unit`: category, region, committee — the ancestor at
    COMMITTEE_DEPTH, joined by path), in one `INSERT … SELECT`: the database writes 100,000
    rows in about the time of the bare statement, where building them in Python took ten
    times as long (bench/schedules.py). Returns how many."""
    units = connection.ops.quote_name(OrgUnit._meta.db_table)
    table = connection.ops.quote_name(Assessment._meta.db_table)
    now = timezone.now()
    # Only table and column names from the models are formatted in; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({', '.join(EMPTY_ASSESSMENT_COLUMNS)}) "  # noqa: S608  # nosec
        f"SELECT %s, u.id, u.category, u.region_id, c.id, %s, 0, %s, '', %s, %s "
        f"FROM {units} u LEFT JOIN {units} c ON c.path = SUBSTR(u.path, 1, %s) "
        "WHERE u.path LIKE %s AND u.unit_type = %s AND u.is_active = %s"
    )
    params = [
        period.pk,
        Status.DRAFT,
        False,
        now,
        now,
        COMMITTEE_PATH_LEN,
        period.scope.path + "%",
        period.table_version.table.subject,
        True,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@transaction.atomic
def reschedule_period(*, actor, pk, data: dict) -> AssessmentPeriod:
    """Rename a period or move its filling window (e.g. extend the deadline); audited with
    the old and new dates."""
    period = (
        AssessmentPeriod.objects.select_for_update(of=("self",)).select_related("scope").get(pk=pk)
    )
    _require_manager(actor, period.scope)
    before = {f: getattr(period, f) for f in RESCHEDULE_FIELDS}
    for field in RESCHEDULE_FIELDS:
        if field in data:
            setattr(period, field, data[field])
    period.full_clean()
    period.save()
    if changes := describe_changes(period, before):
        record_audit(
            actor=actor, obj=period, action="reschedule", comment=changes, unit=period.scope
        )
    return period


def publish(*, actor, pk, unit) -> int:
    """The committee publishes its part of the period: every accepted (已验收) assessment in
    its subtree becomes published, in one step, audited per assessment; the ranks are
    recomputed once that has committed (in short batches: `ranking.refresh_ranks`). Only after
    the close date, and only when nothing in the subtree still waits for review."""
    published = _publish(actor=actor, pk=pk, unit=unit)
    _refresh_ranks(pk)
    return published


def _refresh_ranks(period_id) -> None:
    """After the commit: a failure leaves the previous ranks (the next publication recomputes
    them all) and never turns the committed publication into an error page."""
    try:
        refresh_ranks(period_id)
    except Exception:
        log.exception("ranks of period %s not refreshed", period_id)


@transaction.atomic
def _publish(*, actor, pk, unit) -> int:
    period = AssessmentPeriod.objects.select_for_update().get(pk=pk)
    if not actor.has_perm("evaluation.publish_period", unit):
        raise PermissionDenied
    if not (unit.path.startswith(period.scope.path) or period.scope.path.startswith(unit.path)):
        raise EvaluationError(_("该组织不在本周期的考评范围内。"))
    if period.is_aggregate:
        raise EvaluationError(_("汇总周期的结果在汇总时自动发布。"))
    if not fill_window(period).has_closed():
        raise EvaluationError(
            _("填报截止（%(date)s）后才能发布结果。") % {"date": date_format(period.closes_on)}
        )
    part = period.assessments.filter(unit__path__startswith=unit.path)
    pending = part.filter(status=Status.SUBMITTED).count()
    if pending:
        raise EvaluationError(_("尚有 %(n)d 份考评待审核，全部验收后才能发布。") % {"n": pending})
    transition = WORKFLOW["publish"]
    rows = list(
        part.filter(status__in=transition.sources)
        .select_for_update(of=("self",))
        .select_related("unit", "submitted_by")
    )
    if not rows:
        raise EvaluationError(_("没有可发布的考评结果（考评须先验收）。"))
    now = timezone.now()
    for a in rows:
        a.status, a.published_at, a.revision = transition.target, now, a.revision + 1
    Assessment.objects.bulk_update(rows, ["status", "published_at", "revision"], batch_size=500)
    content_type = ContentType.objects.get_for_model(Assessment)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor,
            content_type=content_type,
            object_id=a.pk,
            object_repr=object_label(a),
            unit=a.unit,
            action=transition.name,
            from_state=transition.sources[0],
            to_state=transition.target,
        )
        for a in rows
    )
    PeriodPublication.objects.create(period=period, unit=unit, count=len(rows), published_by=actor)
    record_audit(actor=actor, obj=period, action="publish", comment=str(unit), unit=unit)
    cache.progress_changed(period.pk)
    results_published.send(sender=Assessment, period=period, scope_path=unit.path)
    notify(
        [a.submitted_by for a in rows],
        title=_("“%(period)s”考评结果已发布") % {"period": period},
        url=reverse("evaluation:period", args=[period.pk]),
    )
    return len(rows)


def _vetoed_count():
    return Sum(Case(When(is_vetoed=True, then=1), default=0, output_field=IntegerField()))


def aggregate(*, actor, pk) -> int:
    """Compute an aggregate period (季评星 from the months, 年定级 from the quarters) from the
    published results of its sources, by the rule in `scoring` (sum over the sources / the
    months or quarters the period spans, a missing or unpublished one counting 0; any veto
    voids), once the period has ended. The sums are database aggregates; re-running replaces the
    previous results (idempotent). The results are published at once, ranked after the commit."""
    created = _aggregate(actor=actor, pk=pk)
    _refresh_ranks(pk)
    return created


@transaction.atomic
def _aggregate(*, actor, pk) -> int:
    period = (
        AssessmentPeriod.objects.select_for_update(of=("self",))
        .select_related("scope", "table_version")
        .get(pk=pk)
    )
    _require_manager(actor, period.scope)
    return compute_aggregate(period, actor=actor)


def _previous_quarter_stars(period: AssessmentPeriod) -> dict[int, int]:
    """{unit id: star (0 when voided)} of the published results of the quarter before
    `period` (same table and scope) when `period` is a quarter under the step rule
    (逐级晋升, `TableVersion.max_star_rise`); empty otherwise. Two queries at most."""
    if period.kind != PeriodKind.QUARTERLY or period.table_version.max_star_rise is None:
        return {}
    previous = (
        AssessmentPeriod.objects.filter(
            scope_id=period.scope_id,
            kind=PeriodKind.QUARTERLY,
            table_version__table_id=period.table_version.table_id,
            ends_on=period.starts_on - datetime.timedelta(days=1),
        )
        .order_by("-pk")
        .first()
    )
    if previous is None:
        return {}
    return {
        unit_id: star or 0
        for unit_id, star in Assessment.objects.filter(
            period=previous, status=Status.PUBLISHED
        ).values_list("unit_id", "star")
    }


def _mean(column: str, n: int) -> str:
    """SQL for `scoring.mean_over_periods(SUM(column), n)`, exact on PostgreSQL and SQLite:
    the sum in whole cents, divided by `n` half away from zero in integers, back to points."""
    cents = f"CAST(ROUND(COALESCE(SUM({column}), 0) * 100) AS INTEGER)"
    n = int(n)
    return (
        f"(CASE WHEN {cents} < 0 THEN -((-2 * {cents} + {n}) / {2 * n}) "
        f"ELSE (2 * {cents} + {n}) / {2 * n} END) / 100.0"
    )


def _insert_means(period, sources, n: int, by_category: dict) -> None:
    """The aggregate's dimension and item rows: per new assessment the source rows' sums over
    the published sources spread over all `n` of them (`_mean`), each in one `INSERT …
    SELECT … GROUP BY` — at 100,000 branches 600,000 and 2,000,000 rows, which building as
    objects made 10× the bare statements (bench/rhythm.py). A dimension's maximum is that of
    the unit's category (`scoring.dimension_maximum`, in `by_category`), passed as a CASE."""
    quote = connection.ops.quote_name
    assessments = quote(Assessment._meta.db_table)
    dimensions = quote(DimensionScore._meta.db_table)
    items = quote(AssessmentScore._meta.db_table)
    source_ids = [p.pk for p in sources]
    # Only table names from the models, integers and placeholders are formatted in.
    joins = (
        f"JOIN {assessments} a ON a.id = s.assessment_id "
        f"JOIN {assessments} q ON q.period_id = %s AND q.unit_id = a.unit_id "
        f"WHERE a.status = %s AND a.period_id IN ({', '.join(['%s'] * len(source_ids))}) "
    )
    join_params = [period.pk, Status.PUBLISHED, *source_ids]
    cases, case_params = [], []
    for category, (_max_total, dim_max) in by_category.items():
        for dimension_id, value in dim_max.items():
            cases.append("WHEN q.category = %s AND s.dimension_id = %s THEN %s")
            case_params += [category, dimension_id, value]
    maximum = f"CASE {' '.join(cases)} ELSE 0 END" if cases else "0"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {dimensions} (assessment_id, dimension_id, score, max_points) "  # noqa: S608  # nosec
            f"SELECT q.id, s.dimension_id, {_mean('s.score', n)}, {maximum} "
            f"FROM {dimensions} s {joins}GROUP BY q.id, q.category, s.dimension_id",
            [*case_params, *join_params],
        )
        cursor.execute(
            f"INSERT INTO {items} (assessment_id, indicator_id, reviewed_score, self_score, "  # noqa: S608  # nosec
            f"evidence, reason) SELECT q.id, s.indicator_id, {_mean('s.reviewed_score', n)}, "
            f"{_mean('s.self_score', n)}, '', '' "
            f"FROM {items} s {joins}GROUP BY q.id, s.indicator_id",
            join_params,
        )


def compute_aggregate(period: AssessmentPeriod, *, actor=None) -> int:
    """`aggregate` once the caller holds the period's row lock and checked who may (`actor`
    None: a schedule's beat)."""
    if not period.is_aggregate:
        raise EvaluationError(_("只有汇总周期可以执行汇总。"))
    sources = list(period.sources.all())
    if not sources:
        raise EvaluationError(_("该汇总周期没有来源周期。"))
    if any(s.table_version_id != period.table_version_id for s in sources):
        raise EvaluationError(_("来源周期使用的评价表版本与本周期不一致，无法汇总。"))
    if local_today() <= period.ends_on:
        raise EvaluationError(
            _("本汇总周期至 %(date)s 结束，结束后才能汇总。")
            % {"date": date_format(period.ends_on)}
        )
    n = period.source_slots()  # every month (quarter) of the span, published or not
    published = Assessment.objects.filter(period__in=sources, status=Status.PUBLISHED)
    totals = {
        row["unit_id"]: row
        for row in published.values("unit_id")
        .annotate(
            total_sum=Sum("total"),
            bonus_sum=Sum("bonus"),
            vetoed=_vetoed_count(),
            count=Count("pk"),
        )
        .order_by()
    }
    period.assessments.all().delete()
    version = period.table_version
    previous_stars = _previous_quarter_stars(period)
    units = list(OrgUnit.objects.filter(pk__in=totals).only("pk", "path", "category", "region_id"))
    committees = committee_ids(units)
    by_category = {}
    now = timezone.now()
    created = []
    for unit in units:
        if unit.category not in by_category:
            indicators = indicators_for(version.pk, unit.category)
            items = as_items(indicators)
            by_category[unit.category] = (
                scoring.maximum(items, weights_for(version.pk, unit.category)),
                scoring.dimension_maximum(items),
            )
        max_total = by_category[unit.category][0]
        row = totals[unit.pk]
        result = scoring.aggregate(
            row["total_sum"],
            periods=n,
            any_vetoed=bool(row["vetoed"]),
            max_total=max_total,
            thresholds=version.thresholds,
            previous_star=previous_stars.get(unit.pk),
            max_rise=version.max_star_rise if previous_stars else None,
        )
        created.append(
            (
                Assessment.for_unit(
                    period,
                    unit,
                    committees[unit.pk],
                    status=Status.PUBLISHED,
                    self_total=None,
                    bonus=scoring.mean_over_periods(row["bonus_sum"], n),
                    gross_total=result.gross_total,
                    total=result.total,
                    max_total=result.max_total,
                    rate=result.rate,
                    is_vetoed=result.vetoed,
                    veto_reason=_("来源周期中有否决项目") if result.vetoed else "",
                    star=result.star,
                    star_by_rate=result.star_by_rate,
                    tier=result.tier,
                    source_count=row["count"],
                    published_at=now,
                ),
                result,
            )
        )
    Assessment.objects.bulk_create([a for a, _r in created], batch_size=1000)
    _insert_means(period, sources, n, by_category)
    period.aggregated_at = now
    period.save(update_fields=["aggregated_at"])
    record_audit(
        actor=actor,
        obj=period,
        action="aggregate",
        comment=_("汇总 %(n)d 个来源周期，%(u)d 个单位") % {"n": n, "u": len(created)},
        unit=period.scope,
    )
    cache.progress_changed(period.pk)
    results_published.send(sender=Assessment, period=period, scope_path=period.scope.path)
    return len(created)
