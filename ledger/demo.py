"""Demo data for the ledger (run by `seed_demo` after the tree, the users, brands and evaluation):
the branches a demo secretary keeps get a roster in party groups and a year of records made on
the shipped templates, as a real branch's would look — most meetings held on time, some missing,
some recorded late, a few drafts this month — so the ledger, its compliance figures and the
records-based scores have something true to show.

- Each such branch: 3–5 party groups, 18–40 members (about one in twelve probationary), a leader
  elected in each group; the demo account `member` is a member and the leader of a group in the
  first secretary's branch, so a group leader can be tried out.
- Twelve months back from this month: monthly 支委会, 主题党日 and each group's 党小组会;
  quarterly 支部党员大会 and 党课; yearly 组织生活会 (January) and 民主评议党员 (February) —
  about 8 % skipped, 5 %
  recorded three to five weeks late, this month's past meetings partly still drafts.
- Attendance from the roster: 90 % present, 7 % on leave with a reason, 3 % absent.
- Every branch's work list for this year (清单化管理), as the beat makes it on 1 January.

Bulk-written, no photos (the demo makes no files). Other branches keep an empty ledger: the demo
shows what a branch that records looks like next to one that does not."""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from branches.access import secretaries_at
from branches.demo_names import GIVEN_NAMES, SURNAMES
from branches.models import OrgUnit, Role, UnitType

from .models import (
    Attendance,
    AttendanceStatus,
    Education,
    Gender,
    MeetingKind,
    MeetingRecord,
    MeetingTemplate,
    Member,
    MemberStatus,
    PartyGroup,
    RecordStatus,
)
from .services.worklist import generate_all

GROUP_NAMES = ("第一党小组", "第二党小组", "第三党小组", "第四党小组", "第五党小组")
POSTS = ("网络运维", "客户经理", "装维工程师", "综合管理", "财务", "市场营销", "项目经理")
PLACES = ("支部活动室", "三楼会议室", "党员活动阵地", "线上会议")
TOPICS = {
    MeetingKind.COMMITTEE_MEETING: ("研究本月支部工作安排", "讨论发展党员工作", "部署品牌创建任务"),
    MeetingKind.THEME_DAY: ("学习党的创新理论", "“我为群众办实事”志愿服务", "红色教育基地参观"),
    MeetingKind.GROUP_MEETING: ("学习传达支部会议精神", "交流岗位攻坚经验", "开展批评与自我批评"),
    MeetingKind.BRANCH_ASSEMBLY: ("通报季度工作并讨论决议", "讨论预备党员转正"),
    MeetingKind.PARTY_LECTURE: ("书记讲党课：支部品牌与岗位建功", "党课：守初心 担使命"),
    MeetingKind.LIFE_MEETING: ("年度组织生活会",),
    MeetingKind.MEMBER_REVIEW: ("年度民主评议党员",),
}
LEAVE_REASONS = ("出差", "病假", "轮休", "外出培训")
#: Quarterly meetings are held in the second month of a quarter.
QUARTER_MONTH = 2
SKIP, LATE = 0.08, 0.05


def _demo_branches():
    """The branches a demo secretary keeps (others keep no ledger in the demo)."""
    return list(
        OrgUnit.objects.filter(
            unit_type=UnitType.BRANCH,
            is_active=True,
            role_assignments__role=Role.SECRETARY,
        )
        .distinct()
        .order_by("path")
    )


def _person(rng, today):
    birth = date(today.year - rng.randint(24, 58), rng.randint(1, 12), rng.randint(1, 28))
    joined = date(birth.year + rng.randint(19, 30), rng.randint(1, 12), rng.randint(1, 28))
    joined = min(joined, today - timedelta(days=rng.randint(40, 400)))
    probationary = rng.random() < 1 / 12 and (today - joined).days < 365
    return {
        "name": rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES),
        "gender": rng.choice(Gender.values),
        "birth_date": birth,
        "education": rng.choice(Education.values[:4]),
        "joined_on": joined,
        "status": MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL,
        "full_member_on": None if probationary else joined + timedelta(days=366),
        "post": rng.choice(POSTS),
        "phone": f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
    }


def _roster(rng, branch, today):
    groups = PartyGroup.objects.bulk_create(
        PartyGroup(branch=branch, name=name) for name in GROUP_NAMES[: rng.randint(3, 5)]
    )
    members = Member.objects.bulk_create(
        Member(branch=branch, party_group=rng.choice(groups), **_person(rng, today))
        for _ in range(rng.randint(18, 40))
    )
    for group in groups:
        own = [m for m in members if m.party_group_id == group.pk]
        if own:
            group.leader = rng.choice(own)
            group.leader_elected_on = today.replace(month=1, day=1) - timedelta(days=10)
    PartyGroup.objects.bulk_update(groups, ["leader", "leader_elected_on"])
    return groups, members


def _link_member_account(groups, members):
    """The demo account `member` leads the first group of the first demo branch."""
    user = get_user_model().objects.filter(username="member").first()
    leader = groups[0].leader if groups else None
    if user is None or leader is None:
        return
    Member.objects.filter(pk=leader.pk).update(user=user, name=user.full_name or leader.name)


def _months(today, count=12):
    month = today.replace(day=1)
    for _ in range(count):
        yield month
        month = (month - timedelta(days=1)).replace(day=1)


def _due(template, month) -> bool:
    if template.frequency == "monthly":
        return True
    if template.frequency == "quarterly":
        return month.month % 3 == QUARTER_MONTH % 3
    if template.frequency == "half_yearly":
        return month.month in (5, 11)
    # the year's review early in the year: 组织生活会 in January, 民主评议 in February
    return month.month == (2 if template.kind == MeetingKind.MEMBER_REVIEW else 1)


def _held_at(rng, month, today):
    day = rng.randint(3, 26)
    moment = timezone.make_aware(
        datetime.combine(month.replace(day=day), time(rng.choice((9, 14, 15)), 30))
    )
    return moment if moment.date() < today else None


def _record(rng, template, branch, group, held_at, secretary, now):
    late = rng.random() < LATE
    recorded = held_at + timedelta(days=rng.randint(22, 35) if late else rng.randint(0, 3))
    this_month = held_at.month == now.month and held_at.year == now.year
    draft = this_month and rng.random() < 0.4
    status = RecordStatus.DRAFT if draft else RecordStatus.RECORDED
    return MeetingRecord(
        branch=branch,
        party_group=group,
        template=template,
        held_at=held_at,
        place=rng.choice(PLACES),
        topic=rng.choice(TOPICS.get(template.kind, ("支部工作",))),
        minutes="会议由书记主持，传达学习上级精神，逐项研究议题，与会党员充分发言。",
        resolutions="" if draft else "会议形成决议，明确责任人和完成时限。",
        steps_done=list(template.steps) if not draft else list(template.steps)[:1],
        status=status,
        recorded_at=None if draft else min(recorded, now),
        created_by=secretary,
    )


def _attendance(rng, record, people):
    rows = []
    for member in people:
        draw = rng.random()
        if draw < 0.9:
            rows.append(Attendance(record=record, member=member, status=AttendanceStatus.PRESENT))
        elif draw < 0.97:
            rows.append(
                Attendance(
                    record=record,
                    member=member,
                    status=AttendanceStatus.LEAVE,
                    reason=rng.choice(LEAVE_REASONS),
                )
            )
        else:
            rows.append(Attendance(record=record, member=member, status=AttendanceStatus.ABSENT))
    return rows


def seed_ledger(rng: random.Random) -> dict[str, int]:
    now = timezone.now()
    today = timezone.localdate(now)
    templates = list(
        MeetingTemplate.objects.filter(is_current=True, owner__isnull=True).exclude(
            Q(kind=MeetingKind.HEART_TALK) | Q(kind=MeetingKind.CUSTOM)
        )
    )
    made = {"党员": 0, "台账记录": 0, "出席登记": 0}
    for index, branch in enumerate(_demo_branches()):
        secretary = secretaries_at(branch)[0]
        groups, members = _roster(rng, branch, today)
        if index == 0:
            _link_member_account(groups, members)
        made["党员"] += len(members)
        records, crowds = [], []
        for month in _months(today):
            for template in templates:
                if not _due(template, month) or rng.random() < SKIP:
                    continue
                for group in groups if template.kind == MeetingKind.GROUP_MEETING else [None]:
                    held_at = _held_at(rng, month, today)
                    if held_at is None:
                        continue
                    records.append(_record(rng, template, branch, group, held_at, secretary, now))
                    crowds.append(
                        [m for m in members if group is None or m.party_group_id == group.pk]
                    )
        records = MeetingRecord.objects.bulk_create(records)
        rows = []
        for record, people in zip(records, crowds, strict=True):
            rows += _attendance(rng, record, people)
        Attendance.objects.bulk_create(rows, batch_size=2000)
        made["台账记录"] += len(records)
        made["出席登记"] += len(rows)
    # This year's work lists, as the 1 January beat makes them (done / overdue from the records).
    made["年度工作任务"] = generate_all(today.year)
    return made
