"""A fact typed once (issue #17 item 7): the 双百 member table's post-KPI item (岗位KPI完成,
`KPI_ITEM_CODE` in the shipped table, evaluation 0002) is pre-filled from the member's
published post-KPI result of the same year, in proportion to the item's maximum, the basis
stated beside it. The branch may change the figure only with a reason, as for the quarterly
group assessment's pre-filled items (`services.assessment`). The figure is set when a member
is listed, refreshed at every save of the branch's score, and — for the drafts not yet settled —
when the year's KPI period is published or withdrawn."""

from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext as _

from evaluation import scoring
from evaluation.selectors import tables as evaluation_tables

from ..models import MemberAssessment, MemberPeriod, MemberScore, MemberTable, PeriodStatus
from ..selectors import members as S

#: The 双百 item the post-KPI result fills (code kept by the table's later versions).
KPI_ITEM_CODE = "gwlz-1"


class Prefill(NamedTuple):
    score: Decimal
    basis: str


def computed(version, indicators, points_by_id):
    return scoring.compute(
        evaluation_tables.as_items(indicators),
        points_by_id,
        thresholds=version.thresholds,
        allow_negative=version.allow_negative,
    )


def kpi_item(indicators):
    """The period's item the KPI result fills, or None (another table, or a version without it)."""
    return next(
        (i for i in indicators if i.code == KPI_ITEM_CODE and i.kind in scoring.EARNING_KINDS),
        None,
    )


def prefills(period, indicators, member_ids) -> dict[int, Prefill]:
    """{member id: Prefill} for a 双百 period's members with a published KPI result of the
    period's year (one query; none for other tables)."""
    item = kpi_item(indicators) if period.table == MemberTable.DOUBLE_HUNDRED else None
    if item is None:
        return {}
    found = {}
    for member_id, kpi in S.published_kpi_results(period.year, member_ids).items():
        result = Decimal(0) if kpi.vetoed else Decimal(kpi.result or 0)
        rate = min(Decimal(1), result / kpi.max_total) if kpi.max_total else Decimal(0)
        score = scoring.q(item.max_points * rate)
        basis = _(
            "按 %(year)d 年度党员岗位KPI考核结果折算：KPI结果 %(result)s 分（满分 %(max)s 分），"
            "完成率 %(rate)s%%，本项 %(item)s 分 × 完成率 = %(score)s 分。"
        ) % {
            "year": period.year,
            "result": scoring.q(result),
            "max": kpi.max_total,
            "rate": scoring.q(rate * 100),
            "item": item.max_points,
            "score": score,
        }
        found[member_id] = Prefill(score, basis)
    return found


def follow(score, found, value, note, errors, error_key) -> None:
    """Set `score` (a MemberScore of a pre-fillable item) from the portal's figure `found` and
    what the branch typed (`value`, `note`). Left as the form showed it, or blank: the figure
    (a KPI published since the page was opened counts without a reason). Changed: only with a
    reason, else a refusal at `error_key`."""
    shown = score.system_points
    score.system_points = found.score if found else None
    score.basis = found.basis if found else ""
    if found is not None:
        if value is None or value == found.score or (value == shown and not note):
            value, note = found.score, ""
        elif not note:
            errors[error_key] = _("改动系统预填分，请说明理由。")
    elif shown is not None and value == shown and not note:
        value = None  # the figure is gone (the KPI result withdrawn): the branch scores it
    score.points, score.note = value, note if found is not None else ""


def refresh_open_double_hundred(kpi_period) -> int:
    """After the KPI period of a year is published or withdrawn: the same branch's open 双百
    period of that year follows, for its members not yet settled nor exempt (a settled score is
    the branch's and is refreshed at its next save). Returns how many drafts changed."""
    period = (
        MemberPeriod.objects.select_for_update(of=("self",))
        .select_related("version")
        .filter(
            branch_id=kpi_period.branch_id,
            table=MemberTable.DOUBLE_HUNDRED,
            year=kpi_period.year,
            status=PeriodStatus.OPEN,
        )
        .first()
    )
    if period is None:
        return 0
    indicators = evaluation_tables.indicators_for(period.version_id)
    item = kpi_item(indicators)
    if item is None:
        return 0
    drafts = {
        a.pk: a
        for a in MemberAssessment.objects.select_for_update().filter(
            period=period, scored=False, exempt=False
        )
    }
    found = prefills(period, indicators, [a.member_id for a in drafts.values()])
    scores = list(MemberScore.objects.filter(assessment_id__in=list(drafts)))
    by_assessment: dict[int, dict] = {}
    changed = []
    for s in scores:
        if s.indicator_id == item.pk and not s.note:
            hit = found.get(drafts[s.assessment_id].member_id)
            follow(s, hit, s.points, "", {}, "")
            changed.append(s)
        by_assessment.setdefault(s.assessment_id, {})[s.indicator_id] = s.points
    MemberScore.objects.bulk_update(changed, ["system_points", "basis", "points", "note"])
    for pk, points in by_assessment.items():
        a = drafts[pk]
        result = computed(period.version, indicators, points)
        a.total, a.max_total, a.vetoed = result.total, result.max_total, result.vetoed
    MemberAssessment.objects.bulk_update(drafts.values(), ["total", "max_total", "vetoed"])
    return len(changed)
