from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from evaluation.models import (
    Assessment,
    AssessmentPeriod,
    DimensionScore,
    Indicator,
    PeriodKind,
    Status,
)
from evaluation.selectors.tables import indicators_for
from evaluation.services import assessments as services
from evaluation.services import periods as period_services
from workflow.models import AuditEntry, Notification
from workflow.transitions import AlreadyHandled, TransitionError

from .conftest import fill_and_submit, full_marks, make_period


def item(assessment, code_prefix):
    return next(
        i
        for i in indicators_for(assessment.period.table_version_id, assessment.category)
        if i.code.startswith(code_prefix)
    )


def test_period_creates_one_assessment_per_branch_with_its_category(org, period):
    rows = {a.unit.code: a for a in period.assessments.select_related("unit")}
    assert set(rows) == {"A1", "A2", "B1"}  # branches only, not the party group
    assert rows["A2"].category == "market" and rows["A1"].region.code == "north"


def test_only_managers_create_periods(org):
    with pytest.raises(PermissionDenied):
        period_services.create_period(
            actor=org.users["city_reviewer"],
            data={"scope": org.city_a},
        )


def test_period_dates_are_validated_in_chinese(org):
    with pytest.raises(ValidationError) as exc:
        make_period(org, days=(5, -5))
    assert "填报截止日期不能早于填报开始日期" in str(exc.value)


def test_category_variant_items_apply(a1, org):
    names = [i.name for i in indicators_for(a1.period.table_version_id, "production")]
    assert "发挥作用·产量（生产类）" in names and "发挥作用·产量（市场经营类）" not in names
    assert len(names) == 36 - 16  # the other four categories' four variants left out


def test_draft_then_submit_computes_the_result(org, a1):
    sec = org.users["secretary"]
    a = services.save_draft(actor=sec, pk=a1.pk, entries=full_marks(a1, Decimal("0.85")))
    assert a.status == Status.DRAFT and a.self_total == Decimal("85.00") and a.total is None
    a = services.submit_assessment(actor=sec, pk=a1.pk)
    assert a.status == Status.SUBMITTED
    assert (a.total, a.max_total, a.star, a.tier) == (Decimal("85.00"), 100, 4, 2)
    assert DimensionScore.objects.filter(assessment=a).count() == 5
    assert Notification.objects.filter(recipient=org.users["general_branch_reviewer"]).exists()


def test_out_of_range_scores_are_refused_with_the_items_name(org, a1):
    i = item(a1, "dw-1")
    with pytest.raises(ValidationError) as exc:
        services.save_draft(
            actor=org.users["secretary"], pk=a1.pk, entries={i.pk: {"score": "11", "evidence": ""}}
        )
    assert "“班子建设”的得分不能超过 10 分" in str(exc.value)


def test_submit_needs_every_earning_item(org, a1):
    sec = org.users["secretary"]
    i = item(a1, "dw-1")
    services.save_draft(actor=sec, pk=a1.pk, entries={i.pk: {"score": 5, "evidence": ""}})
    with pytest.raises(ValidationError) as exc:
        services.submit_assessment(actor=sec, pk=a1.pk)
    assert "请先为以下指标填写自评分" in str(exc.value)
    assert Assessment.objects.get(pk=a1.pk).status == Status.DRAFT


def test_late_submission_is_blocked_with_a_clear_message(org, a1):
    sec = org.users["secretary"]
    services.save_draft(actor=sec, pk=a1.pk, entries=full_marks(a1))
    AssessmentPeriod.objects.filter(pk=a1.period_id).update(
        closes_on=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(TransitionError) as exc:
        services.submit_assessment(actor=sec, pk=a1.pk)
    assert "截止填报" in str(exc.value) and "如需补报" in str(exc.value)
    with pytest.raises(TransitionError):
        services.save_draft(actor=sec, pk=a1.pk, entries=full_marks(a1))
    assert Assessment.objects.get(pk=a1.pk).status == Status.DRAFT


def test_before_the_window_opens_drafts_are_refused(org):
    period = make_period(org, days=(2, 10))
    a = period.assessments.get(unit=org.a1)
    with pytest.raises(TransitionError, match="开始填报"):
        services.save_draft(actor=org.users["secretary"], pk=a.pk, entries={})


def test_only_the_own_secretary_fills(org, a1, b1):
    with pytest.raises(PermissionDenied):
        services.save_draft(actor=org.sec_b1, pk=a1.pk, entries={})
    with pytest.raises(PermissionDenied):
        services.save_draft(actor=org.users["city_reviewer"], pk=a1.pk, entries={})
    with pytest.raises(TransitionError):
        services.submit_assessment(actor=org.sec_b1, pk=a1.pk)


def test_adjustment_needs_a_reason_and_is_audited(org, a1):
    fill_and_submit(a1, org.users["secretary"])
    reviewer = org.users["city_reviewer"]
    i = item(a1, "gl-3")
    with pytest.raises(ValidationError) as exc:
        services.adjust_scores(actor=reviewer, pk=a1.pk, changes={i.pk: ("6", "")})
    assert "调整“组织生活”的分数必须填写理由" in str(exc.value)
    services.adjust_scores(
        actor=reviewer, pk=a1.pk, changes={i.pk: ("6", "线下验收：两次支委会记录缺失")}
    )
    a = Assessment.objects.get(pk=a1.pk)
    assert a.self_total == 100 and a.total == Decimal("96.00") and a.star == 5
    entry = AuditEntry.objects.get(object_id=a.pk, action="adjust_score")
    assert (entry.from_state, entry.to_state, entry.actor) == ("10", "6", reviewer)
    assert "两次支委会记录缺失" in entry.comment
    score = a.scores.get(indicator=i)
    assert score.self_score == 10 and score.reviewed_score == 6 and score.adjusted_by == reviewer


def test_unchanged_scores_are_not_audited(org, a1):
    fill_and_submit(a1, org.users["secretary"])
    i = item(a1, "gl-3")
    changed = services.adjust_scores(
        actor=org.users["city_reviewer"], pk=a1.pk, changes={i.pk: ("10", "")}
    )
    assert changed == [] and not AuditEntry.objects.filter(action="adjust_score").exists()


def test_deductions_stop_at_zero(org, a1):
    fill_and_submit(a1, org.users["secretary"], fraction=Decimal(0))
    d = item(a1, "yj-d1")
    services.adjust_scores(
        actor=org.users["city_reviewer"], pk=a1.pk, changes={d.pk: ("10", "发生两起质量事件")}
    )
    a = Assessment.objects.get(pk=a1.pk)
    assert a.total == 0 and a.star == 1 and a.tier == 3


def test_a_veto_voids_the_result_with_the_recorded_reason(org, a1):
    fill_and_submit(a1, org.users["secretary"])
    v = item(a1, "yj-v1")
    services.adjust_scores(
        actor=org.users["general_branch_reviewer"],
        pk=a1.pk,
        changes={v.pk: ("1", "3月12日发生重大安全生产责任事故")},
    )
    a = Assessment.objects.get(pk=a1.pk)
    assert a.is_vetoed and a.total == 0 and a.gross_total == 100 and a.star is None
    assert a.tier == 3 and "重大安全生产责任事故：3月12日" in a.veto_reason
    assert AuditEntry.objects.filter(object_id=a.pk, action="veto").exists()
    services.adjust_scores(
        actor=org.users["general_branch_reviewer"], pk=a1.pk, changes={v.pk: ("0", "经复核为误报")}
    )
    a.refresh_from_db()
    assert not a.is_vetoed and a.total == 100 and a.star == 5 and a.veto_reason == ""


def test_a_self_declared_veto_needs_an_explanation(org, a1):
    v = item(a1, "yj-v1")
    entries = {**full_marks(a1), v.pk: {"score": 1, "evidence": ""}}
    with pytest.raises(ValidationError, match="请在佐证说明中写明情况"):
        services.save_draft(actor=org.users["secretary"], pk=a1.pk, entries=entries)


def test_reviewers_adjust_only_within_their_subtree(org, a1, b1):
    fill_and_submit(b1, org.sec_b1)
    i = item(b1, "gl-3")
    for name in ("city_reviewer", "general_branch_reviewer", "secretary", "admin"):
        with pytest.raises(PermissionDenied):
            services.adjust_scores(actor=org.users[name], pk=b1.pk, changes={i.pk: ("1", "x")})
    services.adjust_scores(actor=org.rev_b, pk=b1.pk, changes={i.pk: ("1", "核减")})
    services.adjust_scores(
        actor=org.users["province_reviewer"], pk=b1.pk, changes={i.pk: ("2", "复核")}
    )


def test_adjustments_only_while_under_review(org, a1):
    fill_and_submit(a1, org.users["secretary"])
    services.accept(actor=org.users["city_reviewer"], pk=a1.pk)
    i = item(a1, "gl-3")
    with pytest.raises(TransitionError, match="只有待审核的考评可以调整分数"):
        services.adjust_scores(actor=org.users["city_reviewer"], pk=a1.pk, changes={i.pk: (1, "x")})
    services.reopen(actor=org.users["city_reviewer"], pk=a1.pk)
    services.adjust_scores(actor=org.users["city_reviewer"], pk=a1.pk, changes={i.pk: (1, "x")})


def test_stale_screens_are_told_it_was_handled(org, a1):
    a = fill_and_submit(a1, org.users["secretary"])
    seen = services.WORKFLOW.version_of(a)
    i = item(a1, "gl-3")
    services.adjust_scores(actor=org.users["city_reviewer"], pk=a.pk, changes={i.pk: (5, "核减")})
    with pytest.raises(AlreadyHandled):
        services.accept(actor=org.users["general_branch_reviewer"], pk=a.pk, expected_version=seen)


def test_return_needs_a_comment_and_resubmission_resets_the_review(org, a1):
    sec, reviewer = org.users["secretary"], org.users["city_reviewer"]
    fill_and_submit(a1, sec)
    with pytest.raises(TransitionError, match="必须填写意见"):
        services.return_for_revision(actor=reviewer, pk=a1.pk)
    i = item(a1, "gl-3")
    services.adjust_scores(actor=reviewer, pk=a1.pk, changes={i.pk: (5, "核减")})
    services.return_for_revision(actor=reviewer, pk=a1.pk, comment="请补充组织生活佐证")
    assert Notification.objects.filter(recipient=sec, body="请补充组织生活佐证").exists()
    a = services.submit_assessment(actor=sec, pk=a1.pk)
    assert a.total == 100 and a.scores.get(indicator=i).reason == ""


def publishable(org, period):
    """A1 and B1 submitted and accepted; A2 never submitted."""
    fill_and_submit(period.assessments.get(unit=org.a1), org.users["secretary"], Decimal("0.9"))
    fill_and_submit(period.assessments.get(unit=org.b1), org.sec_b1, Decimal("0.7"))
    services.accept(actor=org.users["city_reviewer"], pk=period.assessments.get(unit=org.a1).pk)
    services.accept(actor=org.rev_b, pk=period.assessments.get(unit=org.b1).pk)
    AssessmentPeriod.objects.filter(pk=period.pk).update(
        closes_on=timezone.localdate() - timedelta(days=1)
    )


def test_publish_only_after_the_close_date(org, period):
    fill_and_submit(period.assessments.get(unit=org.a1), org.users["secretary"])
    services.accept(actor=org.users["city_reviewer"], pk=period.assessments.get(unit=org.a1).pk)
    with pytest.raises(TransitionError, match="填报截止"):
        period_services.publish(actor=org.users["city_reviewer"], pk=period.pk, unit=org.city_a)


def test_the_committee_publishes_its_part_and_ranks_are_computed(org, period):
    publishable(org, period)
    with pytest.raises(PermissionDenied):  # a general branch does not publish
        period_services.publish(
            actor=org.users["general_branch_reviewer"], pk=period.pk, unit=org.general_a
        )
    with pytest.raises(PermissionDenied):  # nor a city another city's part
        period_services.publish(actor=org.users["city_reviewer"], pk=period.pk, unit=org.city_b)
    assert (
        period_services.publish(actor=org.users["city_reviewer"], pk=period.pk, unit=org.city_a)
        == 1
    )
    a1 = period.assessments.get(unit=org.a1)
    assert a1.status == Status.PUBLISHED and (a1.rank_province, a1.rank_category) == (1, 1)
    assert period.assessments.get(unit=org.b1).status == Status.REVIEWED
    assert period.assessments.get(unit=org.a2).status == Status.DRAFT
    entries = AuditEntry.objects.filter(action="publish")
    assert entries.filter(content_type__model="assessment", object_id=a1.pk).count() == 1
    assert entries.filter(content_type__model="assessmentperiod", object_id=period.pk).count() == 1
    period_services.publish(actor=org.users["province_reviewer"], pk=period.pk, unit=org.province)
    b1 = period.assessments.get(unit=org.b1)
    assert (b1.rank_province, b1.rank_category, b1.rank_region) == (2, 2, 1)
    assert Notification.objects.filter(recipient=org.sec_b1, title__contains="已发布").exists()


def test_publish_refused_while_something_waits_for_review(org, period):
    publishable(org, period)
    services.reopen(actor=org.rev_b, pk=period.assessments.get(unit=org.b1).pk)
    with pytest.raises(TransitionError, match="尚有 1 份考评待审核"):
        period_services.publish(
            actor=org.users["province_reviewer"], pk=period.pk, unit=org.province
        )


def test_table_items_of_a_published_version_are_frozen(org):
    i = Indicator.objects.filter(dimension__version__table__code="six-good").first()
    i.max_points = Decimal(1)
    with pytest.raises(ValidationError, match="已发布的评价表版本不可修改"):
        i.save()


def test_aggregate_quarter_from_months(org):
    today = timezone.localdate()
    start = today.replace(year=today.year - 1, month=1, day=1)  # a quarter that has ended
    months = []
    for m in range(3):
        p = make_period(org, starts=start.replace(month=m + 1), name=f"{m + 1}月")
        months.append(p)
    # January: A1 90, B1 70; February: A1 vetoed, B1 80; March: nobody publishes
    for p, (a1_frac, b1_frac) in zip(months[:2], [("0.9", "0.7"), ("1", "0.8")], strict=True):
        a, b = p.assessments.get(unit=org.a1), p.assessments.get(unit=org.b1)
        fill_and_submit(a, org.users["secretary"], Decimal(a1_frac))
        fill_and_submit(b, org.sec_b1, Decimal(b1_frac))
        if p is months[1]:
            v = item(a, "yj-v1")
            services.adjust_scores(
                actor=org.users["city_reviewer"], pk=a.pk, changes={v.pk: (1, "重大事故")}
            )
        services.accept(actor=org.users["city_reviewer"], pk=a.pk)
        services.accept(actor=org.rev_b, pk=b.pk)
        AssessmentPeriod.objects.filter(pk=p.pk).update(closes_on=today - timedelta(days=1))
        period_services.publish(actor=org.users["province_reviewer"], pk=p.pk, unit=org.province)
    quarter = make_period(
        org,
        kind=PeriodKind.QUARTERLY,
        starts=start,
        ends=start.replace(month=3, day=31),
        is_aggregate=True,
        name="一季度",
    )
    assert set(quarter.sources.all()) == set(months)
    assert period_services.aggregate(actor=org.users["province_reviewer"], pk=quarter.pk) == 2
    qa1 = quarter.assessments.get(unit=org.a1)
    qb1 = quarter.assessments.get(unit=org.b1)
    assert qa1.is_vetoed and qa1.total == 0 and qa1.star is None and qa1.source_count == 2
    assert qb1.total == Decimal("50.00")  # (70 + 80 + 0) / 3
    assert (qb1.star, qb1.tier, qb1.rank_province, qa1.rank_province) == (1, 3, 1, 2)
    assert qb1.dimension_scores.count() == 5 and qb1.scores.exists()
    # idempotent
    period_services.aggregate(actor=org.users["province_reviewer"], pk=quarter.pk)
    assert quarter.assessments.count() == 2


def test_periods_need_units_of_the_tables_subject(org):
    from evaluation.models import TableVersion

    member = TableVersion.objects.get(table__code="double-hundred-member")
    with pytest.raises(ValidationError, match="党员KPI模块"):
        make_period(org, version=member)
    with pytest.raises(ValidationError, match="没有可考评的党支部"):
        make_period(org, scope=org.group_a1)
    groups = TableVersion.objects.get(table__code="party-group-quarterly", number=1)
    period = make_period(org, version=groups, kind=PeriodKind.QUARTERLY)
    assert [a.unit for a in period.assessments.all()] == [org.group_a1]
    # the branch secretary scores the branch's party groups
    a = period.assessments.get()
    fill_and_submit(a, org.users["secretary"], Decimal("0.5"))
    assert Assessment.objects.get(pk=a.pk).total == 50
