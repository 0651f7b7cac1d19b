"""党小组季度考评: the branch opens a quarter from its last month (季度末), the items the portal
answers come prefilled (ledger group meetings, 五个一, pioneer-post reviews), the secretary types
the rest and publishes from the first day of the next quarter (下季度初). Every instant is
derived from the quarter under test, never from today."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from groups import selectors, services
from groups.models import AssessmentStatus, GroupAssessment, GroupScore, PostOutcome
from groups.quarters import Quarter, open_quarters
from groups.services.assessment import field_name, note_name
from tests.clock import local
from tests.factories import MemberFactory
from tests.groups.conftest import name_post
from tests.ledger.world import held
from workflow.models import AuditEntry

pytestmark = pytest.mark.django_db

Q1 = Quarter(2026, 1)


def at(day: datetime.date, hour=10, minute=0, second=0):
    return local(day.year, day.month, day.day, hour, minute, second)


def last_instant(day: datetime.date):
    return at(day, 23, 59, 59)


# --- quarters (pure) ---------------------------------------------------------------------------


@pytest.mark.parametrize("quarter", [Quarter(2026, n) for n in range(1, 5)])
def test_a_quarter_opens_in_its_last_month_and_publishes_from_the_next(quarter):
    before = quarter.opens_on - datetime.timedelta(days=1)
    assert quarter not in open_quarters(before)
    assert open_quarters(before)[0] == quarter.previous
    assert open_quarters(quarter.opens_on)[0] == quarter
    assert quarter.publishes_from == quarter.end + datetime.timedelta(days=1)
    assert Quarter.of(quarter.end) == quarter and Quarter.of(quarter.publishes_from) != quarter
    assert len(open_quarters(quarter.end)) == 4


def test_quarters_cross_the_year():
    assert Quarter(2026, 4).following == Quarter(2027, 1)
    assert Quarter(2027, 1).previous == Quarter(2026, 4)
    assert Quarter(2026, 4).end == datetime.date(2026, 12, 31)
    assert open_quarters(datetime.date(2027, 2, 10)) == [
        Quarter(2026, 4),
        Quarter(2026, 3),
        Quarter(2026, 2),
        Quarter(2026, 1),
    ]


# --- services ----------------------------------------------------------------------------------


@pytest.fixture
def secretary(org):
    return org.users["secretary"]


@pytest.fixture
def q1_world(org, roster, secretary, clock):
    """In Q1 2026 at A1: group 1 held its 党小组会 in January and February (2 of 3), group 2
    none; Li (group 1) filed two 五个一 items in March, one selected by the branch."""
    held(org.a1, "group-meeting", at(datetime.date(2026, 1, 10)), user=secretary, group=roster.g1)
    held(org.a1, "group-meeting", at(datetime.date(2026, 2, 12)), user=secretary, group=roster.g1)
    held(
        org.a1,
        "group-meeting",
        at(datetime.date(2026, 1, 15)),
        user=secretary,
        group=roster.g2,
        status="draft",
    )
    clock.move_to(at(Q1.opens_on))
    for title in ("扫码领料", "巡检新法"):
        item = services.file_item(
            actor=secretary, member=roster.li, kind="suggestion", title=title, description="好"
        )
    services.decide_item(actor=secretary, item_id=item.pk, selected=True)
    return roster


def score(assessment, code) -> GroupScore:
    return assessment.scores.select_related("indicator").get(indicator__code=code)


def started(org, secretary, quarter=Q1):
    services.start_quarter(actor=secretary, branch=org.a1, quarter=quarter)
    return {a.group.name: a for a in GroupAssessment.objects.filter(branch=org.a1)}


def test_start_prefills_what_the_portal_holds(org, q1_world, secretary):
    found = started(org, secretary)
    g1, g2 = found["运维一组"], found["运维二组"]
    assert g1.version.number == 2 and g1.status == AssessmentStatus.DRAFT
    meetings = score(g1, "shyk-1")
    assert meetings.system_points == Decimal("13.33") == meetings.points  # 20 × 2/3
    assert "应开党小组会 3 次，已开 2 次" in meetings.basis
    assert score(g2, "shyk-1").points == 0  # a draft is not a held meeting
    assert score(g1, "hdzz-1").points == Decimal(7)  # 2 filed × 2 + 1 selected × 3
    assert score(g2, "hdzz-1").points == 0
    posts = score(g1, "dygl-1")
    assert posts.system_points is None and posts.points is None  # no review: the branch types it
    assert score(g1, "zzzy-1").points is None
    assert score(g1, "dygl-v1").points == 0
    assert g1.total == Decimal("20.33") and g1.max_total == 100
    assert AuditEntry.objects.filter(action="group_assessment_started", unit=org.a1).count() == 2


def test_start_is_idempotent_and_adds_a_new_group_only(org, q1_world, secretary):
    started(org, secretary)
    assert services.start_quarter(actor=secretary, branch=org.a1, quarter=Q1) == []
    from tests.factories import PartyGroupFactory

    PartyGroupFactory(branch=org.a1, name="运维三组")
    assert len(services.start_quarter(actor=secretary, branch=org.a1, quarter=Q1)) == 1
    assert GroupAssessment.objects.filter(branch=org.a1, year=2026, quarter=1).count() == 3


def test_a_quarter_cannot_be_started_before_its_last_month(org, roster, secretary, clock):
    clock.move_to(last_instant(Q1.opens_on - datetime.timedelta(days=1)))
    with pytest.raises(services.AssessmentError, match="不在可考评的季度内"):
        services.start_quarter(actor=secretary, branch=org.a1, quarter=Q1)
    clock.move_to(at(Q1.opens_on, 0, 0, 0))
    assert len(services.start_quarter(actor=secretary, branch=org.a1, quarter=Q1)) == 2


def test_only_the_branchs_keepers_start(org, roster, clock):
    clock.move_to(at(Q1.opens_on))
    for role in ("city_reviewer", "province_reviewer", "member"):
        with pytest.raises(PermissionDenied):
            services.start_quarter(actor=org.users[role], branch=org.a1, quarter=Q1)
    with pytest.raises(PermissionDenied):
        services.start_quarter(actor=org.users["secretary"], branch=org.b1, quarter=Q1)
    assert not GroupAssessment.objects.exists()


def typed(assessment, **codes):
    """Form values for the items named by code (score_<id> / note_<id>)."""
    values = {}
    for s in assessment.scores.select_related("indicator"):
        code = s.indicator.code.replace("-", "_")
        if code in codes:
            values[field_name(s.indicator_id)] = codes[code]
        if f"{code}_note" in codes:
            values[note_name(s.indicator_id)] = codes[f"{code}_note"]
    return values


FULL = {"zzzy_1": Decimal(12), "dfsj_1": Decimal(10), "dygl_1": Decimal(12)}
FULL.update({"xcbd_1": Decimal(6), "sjkh_1": Decimal(13)})


def test_submit_waits_for_the_next_quarter_and_every_item(org, q1_world, secretary, clock):
    g1 = started(org, secretary)["运维一组"]
    clock.move_to(last_instant(Q1.end))
    with pytest.raises(services.AssessmentError, match="2026-04-01 起可以提交"):
        services.submit_scores(actor=secretary, assessment_id=g1.pk, values=typed(g1, **FULL))
    clock.move_to(at(Q1.publishes_from, 0, 0, 0))
    with pytest.raises(ValidationError) as refused:
        services.submit_scores(actor=secretary, assessment_id=g1.pk, values=typed(g1, zzzy_1=12))
    blank = refused.value.message_dict
    assert field_name(score(g1, "dfsj-1").indicator_id) in blank
    assert field_name(score(g1, "zzzy-1").indicator_id) not in blank
    done = services.submit_scores(actor=secretary, assessment_id=g1.pk, values=typed(g1, **FULL))
    assert done.status == AssessmentStatus.SUBMITTED
    assert done.total == Decimal("73.33")  # 13.33 + 7 + 12 + 10 + 12 + 6 + 13
    assert AuditEntry.objects.get(action="group_assessment_submitted").to_state == "submitted"
    with pytest.raises(services.AssessmentError):
        services.save_scores(actor=secretary, assessment_id=g1.pk, values={})


def test_a_prefilled_item_changes_only_with_a_reason(org, q1_world, secretary):
    g1 = started(org, secretary)["运维一组"]
    meetings = score(g1, "shyk-1")
    with pytest.raises(ValidationError) as refused:
        services.save_scores(actor=secretary, assessment_id=g1.pk, values=typed(g1, shyk_1=20))
    assert note_name(meetings.indicator_id) in refused.value.message_dict
    assert score(g1, "shyk-1").points == Decimal("13.33")  # nothing half-written
    values = typed(g1, shyk_1=20, shyk_1_note="3月小组会在外地召开，记录补交中")
    services.save_scores(actor=secretary, assessment_id=g1.pk, values=values)
    adjusted = score(g1, "shyk-1")
    assert (adjusted.points, adjusted.system_points) == (20, Decimal("13.33"))
    assert adjusted.note.startswith("3月")


def test_scores_out_of_range_are_refused_at_the_field(org, q1_world, secretary):
    g1 = started(org, secretary)["运维一组"]
    with pytest.raises(ValidationError) as refused:
        services.save_scores(
            actor=secretary, assessment_id=g1.pk, values=typed(g1, zzzy_1=16, dfsj_1=-1)
        )
    errors = refused.value.message_dict
    assert errors[field_name(score(g1, "zzzy-1").indicator_id)] == ["不能超过本项分值。"]
    assert errors[field_name(score(g1, "dfsj-1").indicator_id)] == ["得分不能为负数。"]


def test_a_save_refreshes_the_prefill_with_late_records(org, q1_world, secretary, clock):
    g2 = started(org, secretary)["运维二组"]
    held(org.a1, "group-meeting", at(datetime.date(2026, 3, 20)), user=secretary, group=g2.group)
    name_post(org, q1_world.zhao, term_start=datetime.date(2026, 1, 1))
    post = selectors.posts_of(org.a1).get()
    clock.move_to(at(datetime.date(2026, 3, 30)))
    services.review_post(
        actor=secretary,
        post_id=post.pk,
        half="2026H1",
        department_opinion="好",
        committee_opinion="好",
        led_by_example=True,
        outcome=PostOutcome.COMMEND,
    )
    services.save_scores(actor=secretary, assessment_id=g2.pk, values={})
    assert score(g2, "shyk-1").points == Decimal("6.67")
    assert score(g2, "dygl-1").points == 15  # 1 of 1 reviews: led by example
    assert "评估 1 次" in score(g2, "dygl-1").basis


def test_a_veto_voids_the_quarter(org, q1_world, secretary, clock):
    g1 = started(org, secretary)["运维一组"]
    clock.move_to(at(Q1.publishes_from))
    done = services.submit_scores(
        actor=secretary, assessment_id=g1.pk, values=typed(g1, **FULL, dygl_v1=True)
    )
    assert (done.total, done.vetoed) == (0, True)


def test_reopen_needs_a_reason_and_is_audited(org, q1_world, secretary, clock):
    g1 = started(org, secretary)["运维一组"]
    clock.move_to(at(Q1.publishes_from))
    services.submit_scores(actor=secretary, assessment_id=g1.pk, values=typed(g1, **FULL))
    with pytest.raises(ValidationError):
        services.reopen(actor=secretary, assessment_id=g1.pk, reason=" ")
    with pytest.raises(PermissionDenied):
        services.reopen(actor=org.users["city_reviewer"], assessment_id=g1.pk, reason="错")
    services.reopen(actor=secretary, assessment_id=g1.pk, reason="宣传报道漏计一篇")
    g1.refresh_from_db()
    assert g1.status == AssessmentStatus.DRAFT and g1.submitted_at is None
    assert AuditEntry.objects.get(action="group_assessment_reopened").comment == "宣传报道漏计一篇"


def test_the_year_accumulates_and_ranks_within_the_branch(org, q1_world, secretary, clock):
    q1 = started(org, secretary)
    q2 = Quarter(2026, 2)
    clock.move_to(at(q2.opens_on))
    services.start_quarter(actor=secretary, branch=org.a1, quarter=q2)
    clock.move_to(at(q2.publishes_from))
    for name, extra in (("运维一组", {}), ("运维二组", {"zzzy_1": Decimal(15)})):
        services.submit_scores(
            actor=secretary, assessment_id=q1[name].pk, values=typed(q1[name], **{**FULL, **extra})
        )
    g2_q2 = GroupAssessment.objects.get(group=q1["运维二组"].group, quarter=2)
    services.submit_scores(actor=secretary, assessment_id=g2_q2.pk, values=typed(g2_q2, **FULL))
    MemberFactory(branch=org.b1)  # another branch's figures never enter
    table = selectors.assessment.year_table(org.a1, 2026)
    assert [(r.group_name, r.rank) for r in table] == [("运维二组", 1), ("运维一组", 2)]
    g2 = table[0]
    assert g2.quarters[0] == Decimal("56.00") and g2.quarters[2] is None
    assert g2.total == g2.quarters[0] + g2.quarters[1]


def test_a_prefilled_figure_left_as_shown_follows_late_records(org, q1_world, secretary):
    """The form posts back the figure it showed (13.33); a meeting recorded since then makes
    the portal's figure 20, which the save takes without asking for a reason."""
    g1 = started(org, secretary)["运维一组"]
    shown = typed(g1, shyk_1=Decimal("13.33"))
    held(org.a1, "group-meeting", at(datetime.date(2026, 3, 25)), user=secretary, group=g1.group)
    services.save_scores(actor=secretary, assessment_id=g1.pk, values=shown)
    meetings = score(g1, "shyk-1")
    assert (meetings.points, meetings.system_points, meetings.note) == (20, 20, "")
