"""Rectification plans: opened exactly once by a tier-3 publication, the workflow's steps, who
may take them (role × action × own/other subtree), and the row lock."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluation.models import Assessment
from rectification import follow_up, services
from rectification.models import BrandInvitation, PlanStatus, RectificationPlan
from rectification.services import RectificationError
from tests.evaluation.conftest import make_period, publish_all
from tests.factories import grant
from workflow.models import AuditEntry, Notification
from workflow.transitions import AlreadyHandled, TransitionError

from .conftest import FRACTIONS, PUBLISHED_ON, filled

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="整改报告.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# --- opening ---------------------------------------------------------------------------------


def test_a_tier3_result_opens_one_plan_due_in_30_days_told_to_the_secretary(org, published):
    plans = RectificationPlan.objects.order_by("unit__code")
    assert [(p.unit.code, p.status) for p in plans] == [("A1", "open"), ("B1", "open")]
    a1 = plans[0]
    assert a1.deadline == datetime.date(2026, 12, 20)
    assert a1.period_name == "2026年11月考评" and a1.star is not None and a1.star < 3
    assert a1.assessment == Assessment.objects.get(period=published, unit=org.a1)
    # reviewed at A1's first approval level: its general branch, not the city
    assert a1.reviewing_unit == org.general_a
    assert plans[1].reviewing_unit == org.city_b
    told = Notification.objects.filter(recipient=org.users["secretary"], title__contains="第三梯队")
    assert told.count() == 1 and told.get().url == "/rectification/mine/"
    assert Notification.objects.filter(recipient=org.sec_b1, title__contains="第三梯队").exists()
    opened = AuditEntry.objects.get(object_id=a1.pk, action="open")
    assert opened.actor is None and opened.to_state == "open" and opened.unit == org.a1


def test_publishing_again_opens_nothing_more(org, published):
    before = (RectificationPlan.objects.count(), BrandInvitation.objects.count())
    assert follow_up.follow_up_results(published, org.province.path) == (0, 0)
    assert (RectificationPlan.objects.count(), BrandInvitation.objects.count()) == before
    assert Notification.objects.filter(title__contains="第三梯队").count() == 2


def test_the_deadline_is_configurable(org, clock, settings):
    settings.RECTIFICATION_DEADLINE_DAYS = 45
    publish_all(org, make_period(org), fractions=FRACTIONS)
    assert RectificationPlan.objects.get(unit=org.a1).deadline == datetime.date(2027, 1, 4)


def test_period_kinds_not_listed_open_nothing(org, clock, settings):
    settings.RECTIFICATION_PERIOD_KINDS = ["quarterly", "annual"]
    publish_all(org, make_period(org), fractions=FRACTIONS)
    assert not RectificationPlan.objects.exists() and not BrandInvitation.objects.exists()


def test_a_recomputed_result_keeps_its_plan_and_points_it_at_the_new_assessment(org, published):
    plan = RectificationPlan.objects.get(unit=org.a1)
    old = plan.assessment
    fresh = Assessment.objects.get(pk=old.pk)
    fresh.pk = None
    old.delete()  # an aggregate recomputed replaces its assessments
    fresh.save()
    plan.refresh_from_db()
    assert plan.assessment is None
    follow_up.follow_up_results(published, org.province.path)
    plan.refresh_from_db()
    assert plan.assessment_id == fresh.pk
    assert RectificationPlan.objects.filter(unit=org.a1).count() == 1


def test_a_tier1_result_invites_the_branch_to_file_a_brand(org, published):
    invitation = BrandInvitation.objects.get()
    assert invitation.unit == org.a2 and invitation.star == 5
    assert Notification.objects.filter(
        recipient=org.users["secretary"], title__contains="邀请您的支部创建品牌"
    ).exists()


def _opening_queries(period, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    RectificationPlan.objects.all().delete()
    BrandInvitation.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        follow_up.follow_up_results(period, org.province.path)
    return len(captured)


def test_opening_costs_the_same_for_few_or_many_results(org, clock):
    from evaluation.services import assessments as evaluation
    from tests.evaluation.conftest import fill_and_submit
    from tests.factories import OrgUnitFactory

    few = publish_all(org, make_period(org, name="少"), fractions=FRACTIONS)
    small = _opening_queries(few, org)
    sec = org.users["secretary"]
    extra = [OrgUnitFactory(parent=org.city_a, name=f"加{i}", code=f"X{i}") for i in range(4)]
    for unit in extra:
        grant(sec, unit, "secretary")
    org.city_a.refresh_from_db()
    many = make_period(org, name="多", starts=datetime.date(2026, 10, 1))
    for unit in extra:
        a = many.assessments.get(unit=unit)
        fill_and_submit(a, sec, Decimal("0.4"))
        evaluation.accept(actor=org.users["city_reviewer"], pk=a.pk)
    publish_all(org, many, fractions=FRACTIONS)
    assert _opening_queries(many, org) == small
    assert RectificationPlan.objects.count() == 6


# --- the workflow ----------------------------------------------------------------------------


def _approved(org, plan):
    sec = org.users["secretary"]
    services.save_plan(actor=sec, pk=plan.pk, data=filled(plan))
    services.submit_plan(actor=sec, pk=plan.pk)
    return services.approve_plan(actor=org.users["general_branch_reviewer"], pk=plan.pk)


def test_the_whole_loop_fill_submit_approve_report_accept(org, plan_a1):
    sec, reviewer = org.users["secretary"], org.users["general_branch_reviewer"]
    plan = services.save_plan(actor=sec, pk=plan_a1.pk, data=filled(plan_a1))
    assert plan.status == PlanStatus.OPEN
    plan = services.submit_plan(actor=sec, pk=plan.pk)
    assert plan.status == PlanStatus.SUBMITTED and plan.submitted_at
    assert Notification.objects.filter(
        recipient=reviewer, title__contains="提交了整改计划"
    ).exists()
    plan = services.approve_plan(actor=reviewer, pk=plan.pk, comment="同意")
    assert plan.status == PlanStatus.APPROVED
    plan = services.report_completion(
        actor=sec, pk=plan.pk, completion="已按计划整改到位", uploads=[pdf()]
    )
    assert plan.status == PlanStatus.REPORTED and plan.evidence.count() == 1
    plan = services.accept_completion(actor=reviewer, pk=plan.pk)
    assert plan.status == PlanStatus.CLOSED and plan.closed_at
    actions = list(
        AuditEntry.objects.filter(object_id=plan.pk, content_type__model="rectificationplan")
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["open", "save", "submit", "approve", "report", "accept"]
    assert Notification.objects.filter(recipient=sec, title__contains="验收销号").exists()


def test_a_returned_plan_is_corrected_and_submitted_again(org, plan_a1):
    sec, reviewer = org.users["secretary"], org.users["general_branch_reviewer"]
    services.save_plan(actor=sec, pk=plan_a1.pk, data=filled(plan_a1))
    services.submit_plan(actor=sec, pk=plan_a1.pk)
    with pytest.raises(TransitionError, match="必须填写意见"):
        services.return_plan(actor=reviewer, pk=plan_a1.pk)
    plan = services.return_plan(actor=reviewer, pk=plan_a1.pk, comment="措施不具体")
    assert plan.status == PlanStatus.RETURNED
    services.save_plan(actor=sec, pk=plan.pk, data={"measures": "每月5日前召开支委会"})
    assert services.submit_plan(actor=sec, pk=plan.pk).status == PlanStatus.SUBMITTED


def test_a_completion_not_accepted_goes_back_to_rectifying(org, plan_a1):
    reviewer = org.users["general_branch_reviewer"]
    _approved(org, plan_a1)
    services.report_completion(
        actor=org.users["secretary"], pk=plan_a1.pk, completion="已整改", uploads=[pdf()]
    )
    plan = services.reopen_plan(actor=reviewer, pk=plan_a1.pk, comment="佐证不足")
    assert plan.status == PlanStatus.APPROVED
    # the evidence already attached counts for the next report
    plan = services.report_completion(
        actor=org.users["secretary"], pk=plan.pk, completion="补充了会议记录"
    )
    assert plan.status == PlanStatus.REPORTED


def test_an_incomplete_plan_cannot_be_submitted(org, plan_a1):
    with pytest.raises(ValidationError) as refused:
        services.submit_plan(actor=org.users["secretary"], pk=plan_a1.pk)
    assert set(refused.value.error_dict) == {"problems", "measures", "responsible", "target_date"}
    plan_a1.refresh_from_db()
    assert plan_a1.status == PlanStatus.OPEN


def test_the_target_date_lies_between_today_and_the_deadline(org, plan_a1):
    sec = org.users["secretary"]
    late = plan_a1.deadline + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="不能晚于整改期限"):
        services.save_plan(actor=sec, pk=plan_a1.pk, data=filled(plan_a1, target_date=late))
    with pytest.raises(ValidationError, match="不能早于今天"):
        services.save_plan(
            actor=sec, pk=plan_a1.pk, data=filled(plan_a1, target_date=datetime.date(2026, 11, 1))
        )


def test_a_completion_needs_its_text_and_evidence(org, plan_a1):
    _approved(org, plan_a1)
    sec = org.users["secretary"]
    with pytest.raises(ValidationError, match="佐证材料"):
        services.report_completion(actor=sec, pk=plan_a1.pk, completion="已整改")
    with pytest.raises(ValidationError, match="完成情况"):
        services.report_completion(actor=sec, pk=plan_a1.pk, completion=" ", uploads=[pdf()])
    html = SimpleUploadedFile("x.pdf", b"<html><script></script>", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.report_completion(actor=sec, pk=plan_a1.pk, completion="已整改", uploads=[html])
    plan_a1.refresh_from_db()
    assert plan_a1.status == PlanStatus.APPROVED and not plan_a1.evidence.exists()


def test_a_submitted_plan_is_no_longer_edited(org, plan_a1):
    sec = org.users["secretary"]
    services.save_plan(actor=sec, pk=plan_a1.pk, data=filled(plan_a1))
    services.submit_plan(actor=sec, pk=plan_a1.pk)
    with pytest.raises(RectificationError, match="不可修改"):
        services.save_plan(actor=sec, pk=plan_a1.pk, data={"measures": "改"})


def test_a_decision_on_a_stale_page_is_refused(org, plan_a1):
    sec, reviewer = org.users["secretary"], org.users["general_branch_reviewer"]
    services.save_plan(actor=sec, pk=plan_a1.pk, data=filled(plan_a1))
    plan = services.submit_plan(actor=sec, pk=plan_a1.pk)
    seen = services.WORKFLOW.version_of(plan)
    services.approve_plan(actor=reviewer, pk=plan.pk, expected_version=seen)
    with pytest.raises(AlreadyHandled):
        services.return_plan(actor=reviewer, pk=plan.pk, comment="迟了", expected_version=seen)


def test_every_write_locks_the_plan_row(org, plan_a1, monkeypatch):
    """The row lock itself is proven on PostgreSQL (test_concurrency.py); here, that each
    write asks for it."""
    from django.db.models import QuerySet

    locked = []
    original = QuerySet.select_for_update

    def spy(qs, *args, **kwargs):
        locked.append(qs.model.__name__)
        return original(qs, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    sec, reviewer = org.users["secretary"], org.users["general_branch_reviewer"]
    writes = [
        lambda: services.save_plan(actor=sec, pk=plan_a1.pk, data=filled(plan_a1)),
        lambda: services.submit_plan(actor=sec, pk=plan_a1.pk),
        lambda: services.approve_plan(actor=reviewer, pk=plan_a1.pk),
        lambda: services.report_completion(
            actor=sec, pk=plan_a1.pk, completion="已整改", uploads=[pdf()]
        ),
        lambda: services.accept_completion(actor=reviewer, pk=plan_a1.pk),
    ]
    for write in writes:
        locked.clear()
        write()
        assert "RectificationPlan" in locked


# --- who may do what -------------------------------------------------------------------------

SECRETARY, REVIEWER = "secretary", "reviewer"
ACTORS = {
    # role → (user key or attribute, which plan they own / review)
    "own secretary": lambda org: org.users["secretary"],
    "other secretary": lambda org: org.sec_b1,
    "first-level reviewer": lambda org: org.users["general_branch_reviewer"],
    "city reviewer above": lambda org: org.users["city_reviewer"],
    "other city reviewer": lambda org: org.rev_b,
    "province reviewer": lambda org: org.users["province_reviewer"],
    "administrator": lambda org: org.users["admin"],
    "member": lambda org: org.users["member"],
}
ALLOWED = {
    # action → the actors allowed on A1's plan
    "read": {
        "own secretary",
        "first-level reviewer",
        "city reviewer above",
        "province reviewer",
        "administrator",
    },
    "file": {"own secretary"},
    "review": {"first-level reviewer"},
}
PERMS = {
    "read": "rectification.read_plan",
    "file": "rectification.file_plan",
    "review": "rectification.review_plan",
}


@pytest.mark.parametrize("action", PERMS)
@pytest.mark.parametrize("actor", ACTORS)
def test_permission_matrix(org, plan_a1, plan_b1, actor, action):
    user = ACTORS[actor](org)
    allowed = actor in ALLOWED[action]
    assert user.has_perm(PERMS[action], plan_a1) is allowed, (actor, action, "A1")
    # B1's plan, city B: the own-subtree roles of city A never reach it
    sibling = {"other secretary": "file", "other city reviewer": "review"}
    b1_allowed = (actor in ("province reviewer", "administrator") and action == "read") or (
        actor in sibling and action in ("read", sibling[actor])
    )
    assert user.has_perm(PERMS[action], plan_b1) is b1_allowed, (actor, action, "B1")


@pytest.mark.parametrize("actor", ["other secretary", "city reviewer above", "member"])
def test_services_refuse_those_without_the_right(org, plan_a1, actor):
    user = ACTORS[actor](org)
    with pytest.raises(PermissionDenied):
        services.save_plan(actor=user, pk=plan_a1.pk, data=filled(plan_a1))
    services.save_plan(actor=org.users["secretary"], pk=plan_a1.pk, data=filled(plan_a1))
    with pytest.raises(TransitionError, match="没有权限"):
        services.submit_plan(actor=user, pk=plan_a1.pk)
    services.submit_plan(actor=org.users["secretary"], pk=plan_a1.pk)
    with pytest.raises(TransitionError, match="没有权限"):
        services.approve_plan(actor=user, pk=plan_a1.pk)


def test_the_branch_cannot_approve_its_own_plan(org, plan_a1):
    sec = org.users["secretary"]
    grant(sec, org.a1, "reviewer")  # a reviewer role at the branch itself reviews nothing above
    services.save_plan(actor=sec, pk=plan_a1.pk, data=filled(plan_a1))
    services.submit_plan(actor=sec, pk=plan_a1.pk)
    with pytest.raises(TransitionError, match="没有权限"):
        services.approve_plan(actor=sec, pk=plan_a1.pk)


def test_fractions_give_the_tiers_the_tests_rely_on():
    assert FRACTIONS["A1"] < Decimal("0.6") and FRACTIONS["A2"] >= Decimal("0.9")


# --- reminders -------------------------------------------------------------------------------


def test_the_secretary_is_reminded_before_the_deadline_once(org, plan_a1, clock):
    from workflow import jobs

    clock.move_to(datetime.datetime(2026, 12, 17, 10, 0, tzinfo=PUBLISHED_ON.tzinfo))
    assert jobs.send_deadline_reminders() == 2  # A1's and B1's secretaries, 3 days ahead
    assert jobs.send_deadline_reminders() == 0
    reminded = Notification.objects.filter(
        recipient=org.users["secretary"], title__contains="整改（2026年11月考评）"
    )
    assert reminded.count() == 1
    # reported: the branch owes nothing, no reminder
    _approved(org, plan_a1)
    services.report_completion(
        actor=org.users["secretary"], pk=plan_a1.pk, completion="已整改", uploads=[pdf()]
    )
    clock.move_to(datetime.datetime(2026, 12, 19, 10, 0, tzinfo=PUBLISHED_ON.tzinfo))
    assert jobs.send_deadline_reminders() == 1  # B1's only


def test_a_quarter_aggregated_to_tier3_opens_its_plan_once_even_when_recomputed(org, settings):
    """季评星: the aggregate's results are published by the aggregation itself. Only quarters
    and years here (RECTIFICATION_PERIOD_KINDS): the months open nothing."""
    import time_machine

    from evaluation.models import PeriodKind
    from evaluation.services import periods as period_services
    from tests.clock import local
    from tests.evaluation.test_aggregate_rhythm import Q4, publish_month

    settings.RECTIFICATION_PERIOD_KINDS = ["quarterly", "annual"]
    with time_machine.travel(local(2026, 12, 5, 10), tick=False):
        publish_month(org, datetime.date(2026, 10, 1), "0.5")
        quarter = make_period(
            org,
            kind=PeriodKind.QUARTERLY,
            starts=Q4[0],
            ends=Q4[1],
            is_aggregate=True,
            name="四季度",
        )
    assert not RectificationPlan.objects.exists()
    with time_machine.travel(local(2027, 1, 2, 10), tick=False):
        manager = org.users["province_reviewer"]
        period_services.aggregate(actor=manager, pk=quarter.pk)
        plan = RectificationPlan.objects.get()
        assert (plan.unit, plan.period_name) == (org.a1, "四季度")
        first = plan.assessment_id
        period_services.aggregate(actor=manager, pk=quarter.pk)  # recomputed
    plan = RectificationPlan.objects.get()
    assert plan.assessment_id != first and plan.assessment.period == quarter


def test_no_invitation_for_a_branch_that_already_files_a_brand(org, clock):
    from tests.flagship.conftest import build_brand

    build_brand(org.a2, org.users["secretary"], name="市场先锋")
    publish_all(org, make_period(org), fractions=FRACTIONS)
    assert not BrandInvitation.objects.exists()
    assert RectificationPlan.objects.count() == 2


def test_a_citys_publication_opens_the_plans_of_its_subtree_only(org, clock):
    from evaluation.services import assessments as evaluation
    from evaluation.services import periods as period_services
    from tests.evaluation.conftest import close, fill_and_submit

    period = make_period(org)
    for unit, sec, reviewer in (
        (org.a1, org.users["secretary"], org.users["city_reviewer"]),
        (org.b1, org.sec_b1, org.rev_b),
    ):
        a = period.assessments.get(unit=unit)
        fill_and_submit(a, sec, Decimal("0.5"))
        evaluation.accept(actor=reviewer, pk=a.pk)
    close(period)
    period_services.publish(actor=org.users["city_reviewer"], pk=period.pk, unit=org.city_a)
    assert list(RectificationPlan.objects.values_list("unit__code", flat=True)) == ["A1"]
    period_services.publish(actor=org.rev_b, pk=period.pk, unit=org.city_b)
    assert RectificationPlan.objects.count() == 2


def test_a_branch_moved_elsewhere_takes_its_open_plan_to_its_new_reviewer(org, plan_a1, plan_b1):
    from branches.models import OrgUnit

    sec, rev = org.sec_b1, org.rev_b
    services.save_plan(actor=sec, pk=plan_b1.pk, data=filled(plan_b1))
    services.submit_plan(actor=sec, pk=plan_b1.pk)
    services.approve_plan(actor=rev, pk=plan_b1.pk)
    services.report_completion(actor=sec, pk=plan_b1.pk, completion="已整改", uploads=[pdf()])
    services.accept_completion(actor=rev, pk=plan_b1.pk)

    OrgUnit.objects.move(OrgUnit.objects.get(pk=org.a1.pk), org.city_b, pos="last-child")
    plan_a1.refresh_from_db()
    assert plan_a1.reviewing_unit == org.city_b
    assert org.rev_b.has_perm("rectification.review_plan", plan_a1)
    OrgUnit.objects.move(OrgUnit.objects.get(pk=org.b1.pk), org.general_a, pos="last-child")
    plan_b1.refresh_from_db()
    assert plan_b1.reviewing_unit == org.city_b  # closed: who closed it stays on record
