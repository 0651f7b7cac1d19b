"""The demo below the branch, in the showcase secretary's branch, made only through the
services (so the audit trail exists as it would for a real branch):

- two pioneer posts (a 先锋示范岗 and a 责任区) for this half year;
- three 五个一 items filed this year, one selected in the latest group meeting of the ledger;
- 主题党日 1+N: the latest closed month's theme day with two groups' meetings attached;
- the groups' last closed quarter scored and published, so the demo `member` (leader of one of
  its groups) finds a result on their own page and the secretary a year table; the current
  quarter is opened as drafts once its last month has begun;
- 党员考评: last year's 双百 and post-KPI assessments scored and published (a few coefficients
  set), this year's 双百 open for self-assessment, so the demo `member` finds their own results."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from branches.access import secretaries_at
from branches.demo import SHOWCASE_SECRETARY
from branches.models import OrgUnit, Role, UnitType
from ledger import selectors as ledger_selectors
from ledger import services as ledger_services
from workflow.windows import local_today

from . import halves, services
from .models import GroupAssessment, MemberTable
from .quarters import Quarter, open_quarters


def _showcase_branch():
    return (
        OrgUnit.objects.filter(
            unit_type=UnitType.BRANCH,
            role_assignments__role=Role.SECRETARY,
            role_assignments__user__username=SHOWCASE_SECRETARY,
        )
        .distinct()
        .first()
    )


def _typed(rng, assessment) -> dict:
    """A secretary's plausible scores: 70–100 % of each item the portal does not prefill."""
    values = {}
    for score in assessment.scores.select_related("indicator"):
        indicator = score.indicator
        if indicator.kind == "veto" or score.system_points is not None:
            continue
        share = Decimal(rng.randint(70, 100)) / 100
        values[f"score_{indicator.pk}"] = (indicator.max_points * share).quantize(Decimal("0.5"))
    return values


POSTS = (
    ("post", "网络运维先锋示范岗", "机房巡检日日清，故障处置不过夜"),
    ("zone", "营业厅服务责任区", "责任区内客户投诉当日响应、一周闭环"),
)
ITEMS = (
    ("improvement", "巡检路线优化", "按设备告警频次重排巡检路线，单次巡检缩短约二十分钟。"),
    ("suggestion", "装维工单分级派发", "按紧急程度分级派单，减少重复上门。"),
    ("achievement", "基站节能小改造", "空调联动温控，试点基站月均节电约百分之八。"),
)
THEME_DAY_NOTE = "各党小组结合岗位分组开展主题党日活动"


def _posts(secretary, branch, members, today) -> int:
    first, last = halves.bounds(halves.reviewable(today)[0])  # this half year
    for (kind, title, commitment), member in zip(POSTS, members, strict=False):
        services.name_post(
            actor=secretary,
            branch=branch,
            member=member,
            kind=kind,
            title=title,
            commitment=commitment,
            term_start=first,
            term_end=last,
        )
    return min(len(POSTS), len(members))


def _items(secretary, branch, members) -> int:
    """Three items filed by the secretary; the first selected in the latest group meeting."""
    filed = [
        services.file_item(
            actor=secretary, member=member, kind=kind, title=title, description=description
        )
        for (kind, title, description), member in zip(ITEMS, members, strict=False)
    ]
    meeting = (
        ledger_selectors.records_of(secretary, branch, kind="group_meeting", status="recorded")
        .order_by("-held_at")
        .first()
    )
    if filed:
        services.decide_item(
            actor=secretary,
            item_id=filed[0].pk,
            selected=True,
            meeting=meeting,
            note="小组会评议：成效明显，建议推广",
        )
    return len(filed)


def _theme_day(secretary, branch, today) -> int:
    """1+N: the latest recorded theme day before this month that has two recorded group
    meetings in its month gets them attached (a closed month: the link carries a reason)."""
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    theme_days = ledger_selectors.records_of(
        secretary, branch, kind="theme_day", status="recorded", until=last_month_end
    ).filter(party_group__isnull=True)
    for theme_day in theme_days:
        month = timezone.localdate(theme_day.held_at)
        by_group = {}  # one activity per group: N counts groups
        for record in ledger_selectors.records_of(
            secretary, branch, kind="group_meeting", month=month, status="recorded"
        ).filter(theme_day__isnull=True):
            by_group.setdefault(record.party_group_id, record)
        meetings = list(by_group.values())[:2]
        if len(meetings) < 2:
            continue
        for activity in meetings:
            ledger_services.link_theme_day(
                actor=secretary, activity=activity, theme_day=theme_day, reason=THEME_DAY_NOTE
            )
        return len(meetings)
    return 0


#: Coefficients the branch set for last year's post KPI (every seventh member above 1, every
#: eleventh below; the rest keep 1.00).
DEMO_COEFFICIENTS = ((7, Decimal("1.20")), (11, Decimal("0.90")))


def _member_assessments(rng, secretary, branch, today) -> int:
    """Last year's 双百 and post-KPI published (70–100 % of each item, no deduction, no veto);
    this year's 双百 opened. Returns the results published."""
    last = today.year - 1
    roster = list(ledger_selectors.roster(secretary, branch))
    for n, member in enumerate(roster):
        for every, value in DEMO_COEFFICIENTS:
            if n % every == every - 1:
                services.set_coefficient(actor=secretary, member=member, year=last, value=value)
                break
    published = 0
    for table in (MemberTable.DOUBLE_HUNDRED, MemberTable.POST_KPI):
        period = services.open_period(actor=secretary, branch=branch, table=table, year=last)
        for assessment in period.assessments.all():
            values = {}
            for score in assessment.scores.select_related("indicator"):
                indicator = score.indicator
                if indicator.kind in ("basic", "special"):
                    share = Decimal(rng.randint(70, 100)) / 100
                    points = (indicator.max_points * share).quantize(Decimal("0.5"))
                    values[f"score_{indicator.pk}"] = points
                elif indicator.kind == "deduction":
                    values[f"score_{indicator.pk}"] = Decimal(0)
            services.score_member(
                actor=secretary, assessment_id=assessment.pk, values=values, done=True
            )
            published += 1
        services.publish_period(actor=secretary, period_id=period.pk)
    services.open_period(
        actor=secretary, branch=branch, table=MemberTable.DOUBLE_HUNDRED, year=today.year
    )
    return published


def seed_groups(rng: random.Random) -> dict[str, int]:
    branch = _showcase_branch()
    if branch is None:
        return {}
    secretary = secretaries_at(branch)[0]
    today = local_today()
    members = list(
        ledger_selectors.roster(secretary, branch)
        .filter(party_group__isnull=False)
        .order_by("party_group__name", "pk")
    )
    made = {
        "党员先锋岗": _posts(secretary, branch, members[::7], today),
        "五个一项目": _items(secretary, branch, members[1::5]),
        "主题党日关联的小组活动": _theme_day(secretary, branch, today),
    }
    closed = Quarter.of(today).previous
    services.start_quarter(actor=secretary, branch=branch, quarter=closed)
    published = 0
    for assessment in GroupAssessment.objects.filter(
        branch=branch, year=closed.year, quarter=closed.number
    ):
        services.submit_scores(
            actor=secretary, assessment_id=assessment.pk, values=_typed(rng, assessment)
        )
        published += 1
    current = Quarter.of(today)
    if current in open_quarters(today):
        services.start_quarter(actor=secretary, branch=branch, quarter=current)
    return {
        **made,
        "党小组季度考评（已公布）": published,
        "党员考评结果（已公布）": _member_assessments(rng, secretary, branch, today),
    }
