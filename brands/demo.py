"""Demo brand applications for `seed_demo`: about 60 % of the active branches have filed a brand,
in every state of the workflow, so the review queues, the brand wall, the "1+N" clusters and the
coverage dashboard have something to show on a province of any size.

Written with `bulk_create` from a plan made in Python, never through the services (which lock,
audit and notify one application at a time: hours for 60,000). What the services would have
derived is derived the same way here, without a query per row:

- an application in review (or returned, or rejected) waits at, or was decided by, a real level
  of its branch's approval chain: the reviewing ancestors found by the branch's path prefixes
  (general branch → city / directly-affiliated committee → province), as `approval_chain` does;
- after the last level the application is approved (`current_level` empty, `approved_at` set);
- every submission left a revision (a resubmission after a return, two), by the branch's
  secretary: the demo secretary of the branch, else its secretary of record (an account without
  login, `demo_trail.filers`);
- every step left its audit entry, dated from the application's own dates (`demo_trail`).

No logo files are made: pages show a placeholder where a logo is missing. Everything is drawn
from the `rng` the tree was drawn from, so the same seed gives the same applications (their
dates are relative to the time of seeding).
"""

import random
from contextlib import contextmanager
from datetime import timedelta

from django.utils import timezone

from branches.demo import SHOWCASE_SECRETARY
from branches.models import REVIEWING_TYPES, BranchCategory, OrgUnit, UnitType
from workflow.models import AuditEntry

from . import demo_acceptance, demo_reshaping, demo_trail
from .models import BrandApplication, BrandType, Level, Revision, Status

#: The share of active branches that have filed a brand.
FILED_SHARE = 0.6
#: What became of them (weights).
STATUS_MIX = {
    Status.DRAFT: 12,
    Status.IN_REVIEW: 22,
    Status.RETURNED: 6,
    Status.REJECTED: 4,
    Status.IMPLEMENTING: 24,
    Status.ACCEPTANCE: 10,
    Status.BUILT: 22,
}
#: Built brands named provincial-level brands (省公司级品牌).
PROVINCIAL_SHARE = 0.04
#: The share of active general branches (党总支) that have filed a brand of their own.
GENERAL_FILED_SHARE = 0.4
#: Rejected branches that have started a new brand since (a draft next to the rejected one).
REFILED_SHARE = 0.5
#: Where an application in review waits: weights of the chain's levels, nearest first.
LEVEL_WEIGHTS = (5, 3, 2)
BATCH_SIZE = 5000

T = BrandType
C = BranchCategory


def _words(text: str) -> list[str]:
    return text.split()


TYPE_MIX = {
    C.PRODUCTION: {T.DEVELOPMENT: 6, T.PUBLIC: 2, T.MEMBERS: 2},
    C.AUXILIARY: {T.LIVELIHOOD: 5, T.MEMBERS: 3, T.PUBLIC: 2},
    C.MANAGEMENT: {T.MEMBERS: 6, T.DEVELOPMENT: 2, T.LIVELIHOOD: 2},
    C.MARKET: {T.PUBLIC: 5, T.LIVELIHOOD: 4, T.DEVELOPMENT: 1},
    C.NON_PUBLIC: {T.DEVELOPMENT: 5, T.LIVELIHOOD: 3, T.MEMBERS: 2},
    "": {T.MEMBERS: 1},
}

#: The first half of a brand name, by the branch's category.
NAME_HEADS = {
    C.PRODUCTION: _words("光网 云网 数智 铁塔 5G 传输 动力 机房 线路 网优 智维 算力"),
    C.AUXILIARY: _words("后勤 暖巢 安心 保障 物畅 路通 安途 知行"),
    C.MANAGEMENT: _words("清风 铸魂 聚力 领航 匠心 同心 明镜 守正"),
    C.MARKET: _words("连心 暖心 贴心 便民 政企 惠民 红帆 翼起"),
    C.NON_PUBLIC: _words("实业 同舟 红色 共建 众创 启航 凝心"),
    "": _words("先锋 初心"),
}
NAME_TAILS = _words(
    "先锋 引擎 堡垒 驿站 工作室 护航队 服务队 先锋岗 加油站 纽带 红旗 灯塔 尖兵 方舟 "
    "桥梁 号 行动 联盟 课堂 e家"
)
NAME_PREFIXES = ["", "", "", "红色", "党建+", "红心", "初心", "星火"]

SLOGAN_HEADS = _words(
    "党建引领 支部建在网上 党员冲在一线 初心如磐 红心向党 一名党员一面旗 "
    "关键时刻站出来 急难险重显身手 把服务送到家门口 让党旗在一线飘扬"
)
SLOGAN_TAILS = _words(
    "网络护航发展 匠心铸就品质 连接美好生活 服务温暖人心 创新驱动未来 "
    "守护万家灯火 数智赋能千行百业 同心共筑数字浙江 先锋点亮岗位 担当成就价值"
)
CORE_IDEAS = [
    "把支部建在项目上，把党员放在一线，以党建高质量引领业务高质量",
    "坚持党建与业务深度融合，让每一名党员都成为一面旗帜",
    "以客户为中心，以党员为先锋，把服务做到群众心坎上",
    "支部围绕中心抓党建，党员立足岗位作贡献",
    "传承红色基因，激发创新活力，打造有温度的通信服务",
    "党员带头、骨干攻坚、全员参与，攻克一线急难险重任务",
]
GOAL_TEMPLATES = [
    "三年内网络故障平均处理时长下降{n}%，客户满意度保持全省前列",
    "培养党员骨干{k}名，形成可复制推广的工作法{m}项",
    "{k}个党员先锋岗全覆盖，重点保障任务零失误",
    "客户投诉率下降{n}%，政企客户续约率提升至{p}%",
    "建成党员服务站{k}个，每年开展志愿服务不少于{m}次",
]
MEASURES = [
    "设立党员先锋岗，亮身份、亮承诺、亮业绩",
    "组建党员突击队，承担急难险重任务",
    "开展“党员+技术”攻关，每季度立项一个难题",
    "建立“1名党员联系N名群众”结对机制",
    "每月开展主题党日，与业务例会同步部署",
    "编写岗位操作手册，党员带头传帮带",
    "开展进社区、进企业、进乡村志愿服务",
    "建立创新工作室，孵化金点子并推广应用",
    "与属地党组织开展联学共建",
    "设立党员责任区，网格化包干服务",
]
RESULT_TEMPLATES = [
    "网络质量指标提升{n}%，获评市级先进基层党组织",
    "累计解决群众急难愁盼问题{k}件，收到感谢信{m}封",
    "形成工作法{m}项，在全省推广",
    "攻关项目{m}项，节约成本{k}万元",
    "客户满意度提升至{p}%，服务案例入选省公司优秀案例",
]


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        n=rng.randint(10, 40), k=rng.randint(5, 60), m=rng.randint(2, 8), p=rng.randint(90, 99)
    )


def _content(category: str, rng: random.Random) -> dict:
    """A brand's six elements, type and core idea, from the word lists."""
    heads = NAME_HEADS.get(category) or NAME_HEADS[""]
    name = f"{rng.choice(NAME_PREFIXES)}{rng.choice(heads)}{rng.choice(NAME_TAILS)}"
    mix = TYPE_MIX.get(category) or TYPE_MIX[""]
    return {
        "name": name,
        "slogan": f"{rng.choice(SLOGAN_HEADS)}，{rng.choice(SLOGAN_TAILS)}",
        "brand_type": rng.choices(list(mix), list(mix.values()))[0],
        "core_idea": rng.choice(CORE_IDEAS),
        "goal": _fill(rng.choice(GOAL_TEMPLATES), rng),
        "measures": rng.sample(MEASURES, rng.randint(3, 5)),
        "results": _fill(rng.choice(RESULT_TEMPLATES), rng),
    }


def _draft_content(category: str, rng: random.Random) -> dict:
    """A draft: the name, and perhaps a few more elements, filled in so far."""
    content = _content(category, rng)
    kept = rng.randint(1, len(content))
    for key in list(content)[kept:]:
        content[key] = [] if key == "measures" else ""
    return content


def _earlier_version(content: dict, rng: random.Random) -> dict:
    """The revision a reviewer returned: the same brand with a weaker slogan and fewer measures."""
    before = dict(content, slogan=f"{rng.choice(SLOGAN_HEADS)}，{rng.choice(SLOGAN_TAILS)}")
    before["measures"] = content["measures"][:-1]
    return before


@contextmanager
def _explicit_timestamps(*fields):
    """Let bulk_create write the planned created/updated times: auto_now(_add) would stamp every
    row with the moment of seeding. Only for seeding, in one process, restored on exit."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def reviewing_units() -> dict[str, tuple[int, str]]:
    """Path → (pk, unit type) of every unit that reviews (a few dozen rows, one query)."""
    rows = OrgUnit.objects.filter(unit_type__in=REVIEWING_TYPES).values_list(
        "path", "pk", "unit_type"
    )
    return {path: (pk, unit_type) for path, pk, unit_type in rows}


def chain_from_path(path: str, reviewing: dict[str, tuple[int, str]]) -> list[int]:
    """The approval chain of the unit at `path` as unit pks, nearest first: its reviewing
    ancestors, found by the path's prefixes (the same rule as `approval_chain`)."""
    step = OrgUnit.steplen
    prefixes = (path[:end] for end in range(len(path) - step, 0, -step))
    return [reviewing[p][0] for p in prefixes if p in reviewing]


class _Plan:
    """Applications and their revisions as unsaved objects, with the times of each step."""

    def __init__(self, rng: random.Random, now):
        self.rng, self.now = rng, now
        self.applications: list[BrandApplication] = []
        self.revisions: list[list[Revision]] = []  # per application, saved after it
        self.chains: list[list[int]] = []  # per application, its approval chain (unit pks)

    def _days_ago(self, low: float, high: float):
        return self.now - timedelta(days=self.rng.uniform(low, high))

    def add(self, status, unit_pk, category, chain, applicant_pk, level=Level.BRANCH):
        rng = self.rng
        app = BrandApplication(
            unit_id=unit_pk, applicant_id=applicant_pk, status=status, level=level
        )
        revisions = []
        if status == Status.DRAFT:
            content = _draft_content(category, rng)
            app.created_at = self._days_ago(0, 60)
            app.updated_at = app.created_at + (self.now - app.created_at) * rng.random()
        else:
            content = _content(category, rng)
            if status in (Status.IN_REVIEW, Status.RETURNED, Status.REJECTED):
                app.submitted_at = self._days_ago(0.2, 75)
            else:
                app.submitted_at = self._days_ago(90, 300)
            app.created_at = app.submitted_at - timedelta(days=rng.uniform(1, 30))
            resubmitted = status in (Status.IN_REVIEW, Status.RETURNED) and rng.random() < 0.2
            app.revision_number = 2 if resubmitted else 1
            if status in (Status.IN_REVIEW, Status.RETURNED, Status.REJECTED):
                # Waiting at, or decided by, a real level of the chain.
                weights = LEVEL_WEIGHTS[: len(chain)] + (1,) * (len(chain) - len(LEVEL_WEIGHTS))
                app.current_level_id = rng.choices(chain, weights)[0] if chain else None
                app.updated_at = app.submitted_at
                if status != Status.IN_REVIEW:
                    app.updated_at += (self.now - app.submitted_at) * rng.random()
            else:  # approved at the last level: in implementation, acceptance or built
                app.approved_at = app.submitted_at + timedelta(days=rng.uniform(5, 40))
                app.updated_at = app.approved_at
                if status == Status.BUILT:
                    app.built_at = app.approved_at + (self.now - app.approved_at) * rng.uniform(
                        0.3, 0.9
                    )
                    app.updated_at = app.built_at
            latest = dict(content, logo="", attachments=[])
            snapshots = [latest]
            if app.revision_number == 2:
                snapshots.insert(0, _earlier_version(latest, rng))
            for number, snapshot in enumerate(snapshots, start=1):
                revisions.append(
                    Revision(
                        number=number,
                        snapshot=snapshot,
                        created_by_id=applicant_pk,
                        created_at=app.submitted_at
                        - timedelta(days=(len(snapshots) - number) * rng.uniform(3, 15)),
                    )
                )
            # a resubmission's first version was submitted earlier: created before that
            app.created_at -= app.submitted_at - revisions[0].created_at
        for key, value in content.items():
            setattr(app, key, value)
        self.applications.append(app)
        self.revisions.append(revisions)
        self.chains.append(chain)


def plan_brands(rng: random.Random, now=None) -> _Plan:
    """Which active branches (and general branches) file, in which state, waiting where: no
    query per row."""
    now = now or timezone.now()
    reviewing = reviewing_units()
    branches = (
        OrgUnit.objects.filter(unit_type=UnitType.BRANCH, is_active=True)
        .order_by("path")
        .values_list("pk", "path", "category", "secretary_id")
    )
    statuses, weights = list(STATUS_MIX), list(STATUS_MIX.values())
    showcase = OrgUnit.objects.filter(secretary__username=SHOWCASE_SECRETARY).values("pk")
    showcase = {row["pk"] for row in showcase}
    plan = _Plan(rng, now)
    for pk, path, category, secretary_id in branches.iterator(chunk_size=BATCH_SIZE):
        if rng.random() >= FILED_SHARE and pk not in showcase:
            continue
        status = rng.choices(statuses, weights)[0]
        if pk in showcase:  # its brand is built: it may apply for the flagship honour
            status = Status.BUILT
        chain = chain_from_path(path, reviewing)
        applicant = secretary_id  # None: `demo_trail.filers` gives it the branch's own
        level = Level.BRANCH
        if status == Status.BUILT and rng.random() < PROVINCIAL_SHARE:
            level = Level.PROVINCIAL
        plan.add(status, pk, category, chain, applicant, level)
        if status == Status.REJECTED and rng.random() < REFILED_SHARE:
            plan.add(Status.DRAFT, pk, category, chain, applicant)
    # 党总支 file brands too (`rules.may_hold_brand`); planned after the branches, so the
    # branches' draws are the same as before
    general = (
        OrgUnit.objects.filter(unit_type=UnitType.GENERAL_BRANCH, is_active=True)
        .order_by("path")
        .values_list("pk", "path", "category", "secretary_id")
    )
    for pk, path, category, secretary_id in general:
        if rng.random() < GENERAL_FILED_SHARE:
            status = rng.choices(statuses, weights)[0]
            chain = chain_from_path(path, reviewing)
            plan.add(status, pk, category, chain, secretary_id)
    return plan


def seed_brands(rng: random.Random) -> dict[str, int]:
    """Bulk-create the demo brand applications and their revisions (the tree and users must
    exist). Returns what was made, by label, for the seed summary."""
    plan = plan_brands(rng)
    # The trail and the filers draw from their own stream: the applications stay as planned.
    own_rng = random.Random(rng.getrandbits(64))  # noqa: S311 -- demo data
    filers = demo_trail.filers(plan, own_rng)
    branches = OrgUnit.objects.filter(unit_type=UnitType.BRANCH, is_active=True).count()
    trails = []
    if branches <= demo_trail.TRAIL_MAX_BRANCHES:
        trails = demo_trail.plan_trails(plan, reviewing_units(), own_rng)
    app_times = [BrandApplication._meta.get_field(f) for f in ("created_at", "updated_at")]
    with _explicit_timestamps(
        *app_times, Revision._meta.get_field("created_at"), AuditEntry._meta.get_field("at")
    ):
        BrandApplication.objects.bulk_create(plan.applications, batch_size=BATCH_SIZE)
        revisions = []
        for app, own in zip(plan.applications, plan.revisions, strict=True):
            for revision in own:
                revision.application_id = app.pk
                revisions.append(revision)
        Revision.objects.bulk_create(revisions, batch_size=BATCH_SIZE)
        entries = demo_trail.write_trails(plan.applications, trails) if trails else 0
    made = {
        str(BrandApplication._meta.verbose_name): len(plan.applications),
        str(Revision._meta.verbose_name): len(revisions),
        "申报人账号": filers,
        # with their audit entries only where the applications have theirs
        **demo_reshaping.seed_reshapings(own_rng, reviewing_units(), trail=bool(trails)),
    }
    if entries:
        made[str(AuditEntry._meta.verbose_name)] = entries
    # the built brands' five-force acceptance scores, from a stream of their own
    scores_rng = random.Random(own_rng.getrandbits(64))  # noqa: S311 -- demo data
    made.update(demo_acceptance.seed_acceptance_scores(scores_rng))
    return made
