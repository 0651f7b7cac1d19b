"""党员考评 (issue #17 item 7): the branch opens a yearly period over its roster on the 双百 member
table or the post-KPI table, the member may self-assess while it is open, the branch scores
(定分) and publishes to its members; the KPI result is the score × the member's coefficient for
the year (default 1, bounded, frozen by publication). Scoring is evaluation's. Every write is
audited. The clock is the groups tests' (autumn 2026)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation.models import Subject, TableVersion
from groups import services
from groups.models import (
    KpiCoefficient,
    MemberTable,
    PeriodStatus,
)
from groups.selectors import members as S
from groups.services.assessment import field_name
from tests.factories import MemberFactory, UserFactory
from workflow.models import AuditEntry, Notification

pytestmark = pytest.mark.django_db


def scores(assessment, points="8", *, veto=False):
    """Form values scoring every earning item `points` (capped at its maximum), no deduction."""
    values = {}
    for s in assessment.scores.select_related("indicator"):
        kind = s.indicator.kind
        if kind == "veto":
            values[field_name(s.indicator_id)] = veto
        elif kind == "deduction":
            values[field_name(s.indicator_id)] = Decimal(0)
        else:
            values[field_name(s.indicator_id)] = min(Decimal(points), s.indicator.max_points)
    return values


def open_(org, table=MemberTable.DOUBLE_HUNDRED, year=2026, branch=None, actor=None):
    return services.open_period(
        actor=actor or org.users["secretary"], branch=branch or org.a1, table=table, year=year
    )


def settle_all(period, actor, points="8"):
    for a in period.assessments.all():
        services.score_member(actor=actor, assessment_id=a.pk, values=scores(a, points), done=True)


def test_the_shipped_member_tables_are_member_tables():
    for code in ("double-hundred-member", "member-post-kpi"):
        version = TableVersion.objects.filter(table__code=code, status="published").first()
        assert version is not None and version.table.subject == Subject.MEMBER
    kpi = TableVersion.objects.get(table__code="member-post-kpi")
    earning = kpi.dimensions.filter(indicators__kind__in=["basic", "special"])
    assert (
        sum(
            i.max_points
            for d in kpi.dimensions.all()
            for i in d.indicators.all()
            if i.kind in ("basic", "special")
        )
        == 100
    )
    assert earning.exists()


def test_opening_lists_the_active_members_on_the_shipped_version(org, roster):
    MemberFactory(branch=org.a1, name="离开的", is_active=False, left_on="2026-01-01")
    period = open_(org)
    assert period.version.table.code == "double-hundred-member"
    names = sorted(a.member.name for a in period.assessments.select_related("member"))
    assert names == ["李明", "王芳", "赵强"]
    first = period.assessments.first()
    assert first.max_total == 100 and first.total == 0 and first.coefficient is None
    assert AuditEntry.objects.filter(action="member_period_opened", object_id=period.pk).exists()


def test_opening_is_refused_twice_for_other_years_and_for_others(org, roster):
    open_(org)
    with pytest.raises(services.MemberAssessmentError):
        open_(org)
    with pytest.raises(ValidationError) as refused:
        open_(org, year=2024)
    assert "year" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        open_(org, branch=org.b1)
    with pytest.raises(PermissionDenied):
        open_(org, actor=org.users["city_reviewer"])


def test_the_member_self_assesses_and_the_branch_settles_and_publishes(org, roster):
    roster.wang.user = UserFactory(username="wang")
    roster.wang.save()
    period = open_(org)
    mine = period.assessments.get(member=roster.wang)
    services.save_self_assessment(
        actor=roster.wang.user, assessment_id=mine.pk, values=scores(mine, "9")
    )
    mine.refresh_from_db()
    assert mine.self_total is not None and mine.self_submitted_at is not None
    assert mine.total == 0  # the branch's score is its own
    with pytest.raises(PermissionDenied):  # nobody self-assesses for another
        other = period.assessments.get(member=roster.li)
        services.save_self_assessment(actor=roster.wang.user, assessment_id=other.pk, values={})
    secretary = org.users["secretary"]
    services.score_member(actor=secretary, assessment_id=mine.pk, values=scores(mine), done=True)
    with pytest.raises(services.MemberAssessmentError, match="未定分"):
        services.publish_period(actor=secretary, period_id=period.pk)
    settle_all(period, secretary)
    services.publish_period(actor=secretary, period_id=period.pk)
    period.refresh_from_db()
    assert period.status == PeriodStatus.PUBLISHED
    mine.refresh_from_db()
    # 8 on each of the seven earning items, capped at 5 on 按时交纳党费 and 批评与自我批评
    assert mine.total == Decimal("8") * 5 + 5 + 5 and mine.scored
    assert list(S.my_results(roster.wang.user)) == [mine]
    note = Notification.objects.get(recipient=roster.wang.user)
    assert "已公布" in note.title and str(mine.pk) in note.url
    with pytest.raises(PermissionDenied):  # closed to self-assessment once published
        services.save_self_assessment(actor=roster.wang.user, assessment_id=mine.pk, values={})
    with pytest.raises(services.MemberAssessmentError):
        services.score_member(actor=secretary, assessment_id=mine.pk, values=scores(mine))
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"member_self_assessed", "member_scored", "member_period_published"} <= actions


def test_settling_needs_every_item_and_refusals_name_the_field(org, roster):
    period = open_(org)
    a = period.assessments.first()
    values = scores(a)
    first_item = next(iter(values))
    with pytest.raises(ValidationError) as refused:
        services.score_member(
            actor=org.users["secretary"],
            assessment_id=a.pk,
            values={**values, first_item: None},
            done=True,
        )
    assert first_item in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.score_member(
            actor=org.users["secretary"], assessment_id=a.pk, values={**values, first_item: 999}
        )
    assert refused.value.message_dict[first_item] == ["不能超过本项分值。"]
    a.refresh_from_db()
    assert a.total == 0 and not a.scored


def test_a_veto_voids_the_member_result(org, roster):
    period = open_(org)
    a = period.assessments.first()
    services.score_member(
        actor=org.users["secretary"], assessment_id=a.pk, values=scores(a, veto=True), done=True
    )
    a.refresh_from_db()
    assert a.vetoed and a.total == 0


def test_kpi_result_is_score_times_the_coefficient(org, roster):
    secretary = org.users["secretary"]
    services.set_coefficient(actor=secretary, member=roster.li, year=2026, value="1.2")
    period = open_(org, table=MemberTable.POST_KPI)
    li = period.assessments.get(member=roster.li)
    wang = period.assessments.get(member=roster.wang)
    assert li.coefficient == Decimal("1.20") and wang.coefficient == Decimal("1.00")
    services.score_member(actor=secretary, assessment_id=li.pk, values=scores(li, "10"), done=True)
    li.refresh_from_db()
    assert li.result == li.total * Decimal("1.2")
    services.set_coefficients(actor=secretary, period_id=period.pk, values={roster.li.pk: "0.8"})
    li.refresh_from_db()
    assert li.coefficient == Decimal("0.80") and li.result == li.total * Decimal("0.8")
    entry = AuditEntry.objects.filter(action="kpi_coefficient_set").latest("pk")
    assert (entry.from_state, entry.to_state) == ("1.20", "0.80")
    settle_all(period, secretary)
    services.publish_period(actor=secretary, period_id=period.pk)
    with pytest.raises(services.MemberAssessmentError, match="已公布"):
        services.set_coefficient(actor=secretary, member=roster.li, year=2026, value="1.0")


@pytest.mark.parametrize("value", ["0.49", "1.51", "abc", ""])
def test_coefficients_are_bounded(org, roster, value):
    with pytest.raises(ValidationError) as refused:
        services.set_coefficient(
            actor=org.users["secretary"], member=roster.li, year=2026, value=value
        )
    assert "value" in refused.value.message_dict
    assert not KpiCoefficient.objects.exists()


def test_coefficients_are_the_branch_s_own(org, roster):
    with pytest.raises(PermissionDenied):
        services.set_coefficient(actor=org.sec_b1, member=roster.li, year=2026, value="1.1")


def test_withdrawing_a_publication_needs_a_reason(org, roster):
    secretary = org.users["secretary"]
    period = open_(org)
    settle_all(period, secretary)
    services.publish_period(actor=secretary, period_id=period.pk)
    with pytest.raises(ValidationError):
        services.withdraw_publication(actor=secretary, period_id=period.pk, reason=" ")
    services.withdraw_publication(actor=secretary, period_id=period.pk, reason="分数录错")
    period.refresh_from_db()
    assert period.is_open
    entry = AuditEntry.objects.get(action="member_period_withdrawn")
    assert entry.comment == "分数录错"


def test_members_who_join_later_are_added_to_the_open_period(org, roster):
    secretary = org.users["secretary"]
    services.set_coefficient(actor=secretary, member=roster.li, year=2026, value="1.1")
    period = open_(org, table=MemberTable.POST_KPI)
    assert services.include_new_members(actor=secretary, period_id=period.pk) == 0
    newcomer = MemberFactory(branch=org.a1, name="新党员")
    services.set_coefficient(actor=secretary, member=newcomer, year=2026, value="0.9")
    assert services.include_new_members(actor=secretary, period_id=period.pk) == 1
    added = period.assessments.get(member=newcomer)
    assert added.coefficient == Decimal("0.90") and added.scores.count() == 8
    assert AuditEntry.objects.filter(action="member_period_extended").count() == 1
    with pytest.raises(PermissionDenied):
        services.include_new_members(actor=org.sec_b1, period_id=period.pk)
    settle_all(period, secretary)
    services.publish_period(actor=secretary, period_id=period.pk)
    MemberFactory(branch=org.a1, name="更晚的")
    with pytest.raises(services.MemberAssessmentError):
        services.include_new_members(actor=secretary, period_id=period.pk)
