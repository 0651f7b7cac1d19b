import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from brands.models import BrandActivity
from brands.models import Status as BrandStatus
from flagship.eligibility import check_eligibility
from flagship.models import Candidacy, CandidacyRevision, CandidacyStatus, Honour, Phase
from flagship.services import FlagshipError
from flagship.services import candidacy as services
from tests.factories import OrgUnitFactory
from workflow.models import AuditEntry, Notification
from workflow.transitions import TransitionError

from .conftest import (
    YEAR,
    accept,
    advance,
    build_brand,
    new_cycle,
    pdf_upload,
    publish_result,
)

pytestmark = pytest.mark.smoke


SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def _at(y, m, d, hour=12):
    return datetime.datetime(y, m, d, hour, tzinfo=SHANGHAI)


def test_only_a_built_brand_may_apply_and_the_reason_is_given(org, open_cycle):
    build_brand(org.a2, org.users["secretary"], status=BrandStatus.IMPLEMENTING, name="市场先锋")
    verdict = check_eligibility(org.a2, cycle=open_cycle)
    assert not verdict.ok
    assert "尚未建成（当前状态：实施推进）" in verdict.reasons[0]

    unit = OrgUnitFactory(parent=org.city_a, code="A3")
    assert "尚未创建品牌" in check_eligibility(unit, cycle=open_cycle).reasons[0]
    assert "只有党支部" in check_eligibility(org.city_a, cycle=open_cycle).reasons[0]

    secretary = org.users["secretary"]  # secretary of A1 only
    with pytest.raises(PermissionDenied):
        services.save_candidacy_draft(actor=secretary, cycle=open_cycle, unit=org.a2)


def test_a_veto_in_the_latest_result_refuses_the_branch(org, open_cycle):
    publish_result(
        org.a1,
        "six-good",
        20,
        vetoed=True,
        ends=datetime.date(2027, 1, 31),
        name="2027年1月六好考评",
    )
    verdict = check_eligibility(org.a1, cycle=open_cycle)
    assert "一票否决" in verdict.reasons[0] and "2027年1月六好考评" in verdict.reasons[0]
    with pytest.raises(FlagshipError, match="一票否决"):
        services.save_candidacy_draft(actor=org.users["secretary"], cycle=open_cycle, unit=org.a1)
    # a later clean result is the relevant one again
    publish_result(org.a1, "six-good", 95, ends=datetime.date(2027, 2, 28), name="2027年2月")
    assert check_eligibility(org.a1, cycle=open_cycle).ok


def test_a_valid_honour_refuses_the_branch_until_it_expires(org, open_cycle):
    previous = new_cycle_with_honour(org)
    verdict = check_eligibility(org.a1, cycle=open_cycle, today=datetime.date(YEAR, 2, 10))
    assert "有效期内不能重复申报" in verdict.reasons[0]
    Honour.objects.filter(cycle=previous).update(status="expired")
    assert check_eligibility(org.a1, cycle=open_cycle).ok


def new_cycle_with_honour(org):
    from flagship.models import FlagshipCycle

    old = FlagshipCycle.objects.create(
        name="2025—2026年度",
        year_start=2025,
        year_end=2026,
        phase=Phase.AWARDED,
        application_opens_on=datetime.date(2025, 2, 1),
        application_closes_on=datetime.date(2025, 3, 31),
        notice_starts_on=datetime.date(2025, 4, 20),
        summary_deadline=datetime.date(2026, 9, 30),
        review_starts_on=datetime.date(2026, 10, 1),
        decision_deadline=datetime.date(2026, 12, 31),
        honour_expires_on=datetime.date(2028, 12, 31),
    )
    c = Candidacy.objects.create(
        cycle=old,
        unit=org.a1,
        brand=org.a1.brands.get(),
        applicant=org.users["secretary"],
        status=CandidacyStatus.ACCEPTED,
        is_unit=True,
        unit_rank=1,
    )
    Honour.objects.create(
        cycle=old,
        candidacy=c,
        unit=org.a1,
        kind="unit",
        certificate_no="QJ202526-D001",
        awarded_on=datetime.date(2026, 12, 20),
        valid_until=old.honour_expires_on,
    )
    return old


def test_the_form_starts_prefilled_from_the_brand_activities_and_results(org, open_cycle):
    brand = org.a1.brands.get()
    BrandActivity.objects.create(
        application=brand,
        date=datetime.date(2026, 10, 1),
        title="党员先锋岗授牌",
        text="…",
        created_by=org.users["secretary"],
    )
    c = services.save_candidacy_draft(actor=org.users["secretary"], cycle=open_cycle, unit=org.a1)
    assert "1. 设立党员先锋岗" in c.actual_practices
    assert "2026-10-01 党员先锋岗授牌" in c.actual_practices
    assert "党建引领，网络护航" in c.highlights
    assert "六好党支部考评" in c.highlights and "得分率 92.00%" in c.highlights
    assert c.brand_snapshot["name"] == brand.name
    assert c.results_snapshot["five_forces"]["rate"] == "85.00"
    # what the branch typed wins over the pre-filled text
    c = services.save_candidacy_draft(
        actor=org.users["secretary"], candidacy=c, data={"highlights": "亮点"}
    )
    assert c.highlights == "亮点"


def test_review_goes_up_the_shared_approval_chain(org, open_cycle):
    secretary = org.users["secretary"]
    c = services.save_candidacy_draft(actor=secretary, cycle=open_cycle, unit=org.a1)
    c = services.submit_candidacy(actor=secretary, pk=c.pk)
    assert (c.status, c.current_level) == (CandidacyStatus.IN_REVIEW, org.general_a)
    assert Notification.objects.filter(recipient=org.users["general_branch_reviewer"]).exists()
    with pytest.raises(TransitionError):
        services.approve_candidacy(actor=org.users["city_reviewer"], pk=c.pk)  # not their turn
    with pytest.raises(TransitionError):
        services.approve_candidacy(actor=org.rev_b, pk=c.pk)
    c = services.approve_candidacy(actor=org.users["general_branch_reviewer"], pk=c.pk)
    c = services.return_candidacy(
        actor=org.users["city_reviewer"], pk=c.pk, comment="请补充成效数据"
    )
    assert c.status == CandidacyStatus.RETURNED
    c = services.save_candidacy_draft(
        actor=secretary, candidacy=c, data={"highlights": "补充了数据"}
    )
    c = services.submit_candidacy(actor=secretary, pk=c.pk)
    assert c.current_level == org.city_a  # back to the level that returned it
    c = services.approve_candidacy(actor=org.users["city_reviewer"], pk=c.pk)
    c = services.approve_candidacy(actor=org.users["province_reviewer"], pk=c.pk)
    assert (c.status, c.current_level, c.accepted_at is not None) == (
        CandidacyStatus.ACCEPTED,
        None,
        True,
    )
    assert CandidacyRevision.objects.filter(candidacy=c).count() == 2
    actions = list(
        AuditEntry.objects.filter(object_id=c.pk, content_type__model="candidacy")
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "submit", "approve", "return", "submit", "approve", "approve"]
    assert Notification.objects.filter(recipient=secretary, title__contains="入围候选名单").exists()


def test_one_candidacy_per_branch_per_cycle(org, open_cycle):
    services.save_candidacy_draft(actor=org.users["secretary"], cycle=open_cycle, unit=org.a1)
    with pytest.raises(FlagshipError, match="已在本周期申报"):
        services.save_candidacy_draft(actor=org.users["secretary"], cycle=open_cycle, unit=org.a1)


def test_the_window_refuses_late_first_submissions_and_the_job_locks_drafts(org, open_cycle):
    secretary = org.users["secretary"]
    c = services.save_candidacy_draft(actor=secretary, cycle=open_cycle, unit=org.a1)
    late = _at(YEAR, 4, 1, 9)
    with pytest.raises(FlagshipError, match="申报已于 2027年3月31日 截止"):
        services.submit_candidacy(actor=secretary, pk=c.pk, now=late)
    with pytest.raises(FlagshipError, match="截止"):
        services.save_candidacy_draft(actor=org.sec_b1, cycle=open_cycle, unit=org.b1, now=late)
    assert (
        services.submit_candidacy(actor=secretary, pk=c.pk, now=_at(YEAR, 3, 31, 23)).status
        == "in_review"
    )
    d = services.save_candidacy_draft(actor=org.sec_b1, cycle=open_cycle, unit=org.b1)
    assert services.lock_late_candidacies(late) == 1
    assert services.lock_late_candidacies(late) == 0  # idempotent
    assert Candidacy.objects.get(pk=d.pk).status == CandidacyStatus.LOCKED


def test_not_in_the_application_phase_nobody_applies(org, eligible):
    cycle = new_cycle(org)
    with pytest.raises(FlagshipError, match="不接受申报"):
        services.save_candidacy_draft(actor=org.users["secretary"], cycle=cycle, unit=org.a1)


def test_plan_and_summary_in_the_management_phase_late_uploads_refused(org, open_cycle):
    c = accept(org, open_cycle, org.a1)
    secretary = org.users["secretary"]
    with pytest.raises(FlagshipError, match="培育管理阶段"):
        services.file_plan(actor=secretary, pk=c.pk, plan="两年计划")
    advance(org, open_cycle, "publish_notice")
    advance(org, open_cycle, "start_management")
    with pytest.raises(PermissionDenied):
        services.upload_summary(actor=org.sec_b1, pk=c.pk, upload=pdf_upload())
    services.file_plan(actor=secretary, pk=c.pk, plan="第一年：…；第二年：…")
    on_time = _at(YEAR + 1, 9, 30, 23)
    attachment = services.upload_summary(actor=secretary, pk=c.pk, upload=pdf_upload(), now=on_time)
    assert attachment.kind == "summary"
    with pytest.raises(FlagshipError, match="总结材料已于 2028年9月30日 截止提交，逾期不能上传"):
        services.upload_summary(
            actor=secretary, pk=c.pk, upload=pdf_upload(), now=_at(YEAR + 1, 10, 1, 0)
        )
    with pytest.raises(ValidationError):
        services.upload_summary(
            actor=secretary,
            pk=c.pk,
            upload=pdf_upload("x.html").__class__("x.html", b"<html>", content_type="text/html"),
        )
