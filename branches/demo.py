"""Demo data: a realistic province with its org tree, regions and a user for every role.

`seed()` builds it, `reset()` removes it; `python manage.py seed_demo` is the thin wrapper.

The tree is written with `bulk_create`, not treebeard's `add_child`: `add_child` costs an INSERT
plus an UPDATE of the parent per node, which is hours for 100,000 branches. Here the whole tree is
planned first, so every node's materialized path (`OrgUnit._get_path`), depth and number of
children are known before it is written, and the rows go out in batches of `BATCH_SIZE`.

Scale: party groups (2–6 per branch) are given to every branch up to `GROUPED_BRANCHES_MAX`
branches; above that only every k-th branch gets them (evenly spread over the province), so
`--branches 100000` adds ~20,000 groups instead of ~400,000 and the seed stays in seconds.
Secretaries are created for `SECRETARY_COUNT` branches, picked round-robin over the committees
so every city has a secretary to log in as. Then the apps in `APP_SEEDERS` add their demo data
in the same transaction (brands: applications of ~60 % of the branches, `brands/demo.py`).

Everything is drawn from `random.Random(seed)`: the same arguments give the same province.
"""

import math
import random
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, Sum
from django.db.models.functions import Length, Substr
from django.utils.module_loading import import_string

from workflow.models import AuditEntry, Notification

from .cache import tree_changed
from .demo_names import COMMITTEES, DEPARTMENTS, GIVEN_NAMES, REGIONS, SURNAMES, C, chinese_ordinal
from .models import OrgUnit, Region, Role, RoleAssignment, UnitType, User

DEMO_PASSWORD = "demo12345"  # noqa: S105 -- printed for the demo logins; not a real account
ROOT_CODE = "P"
DEFAULT_BRANCHES = 300
DEFAULT_SEED = 5521
BATCH_SIZE = 5000
GROUPED_BRANCHES_MAX = 5000
SECRETARY_COUNT = 20
#: The demo secretary whose branch shows the whole way: a built brand, clean results, so the
#: flagship application (flagship/demo.py) is open to them.
SHOWCASE_SECRETARY = "secretary1"
#: The secretary of the showcase branch's committee (committee_hz at any size with a branch in
#: 杭州): files the committee's own "1" brand and gathers its 1+N cluster (brands/demo_cluster.py).
#: Named from a stream of its own, so the other accounts and every later draw stay as before.
COMMITTEE_SECRETARY_PREFIX = "committee_"
ADMIN_GROUP = "系统管理员"

#: Later apps' demo data, seeded after the tree and the users in the same transaction:
#: (app name, dotted path of `seed(rng) -> {label: rows made}`). An app that is not installed
#: is skipped; the branches app does not import the apps that build on it.
APP_SEEDERS = [
    ("brands", "brands.demo.seed_brands"),
    ("evaluation", "evaluation.demo.seed_evaluation"),  # after brands: online scores read them
    ("ledger", "ledger.demo.seed_ledger"),
    ("groups", "groups.demo.seed_groups"),  # after ledger: the groups and their meetings
    ("flagship", "flagship.demo.seed_flagship"),  # after brands and evaluation: eligibility
    ("selection", "selection.demo.seed_selection"),  # last year's round names provincial brands
    # last: a demonstration unit (flagship) or a provincial brand (selection) pairs
    ("brands", "brands.demo_cluster.seed_cluster_and_pairing"),
]


class DemoDataError(Exception):
    """The database holds an org tree that seed_demo did not make."""


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder): the parts sum to total."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


# --- planning: the whole tree as plain data, so paths and child counts are known up front -----


@dataclass
class _Node:
    unit_type: str
    code: str
    name: str
    region: str | None = None
    category: str = ""
    member_count: int = 0
    children: list = field(default_factory=list)


@dataclass
class SeedResult:
    counts: dict  # unit type → number of units
    credentials: list  # (username, full name, role label, unit name)
    seconds: float
    tree_problems: dict = field(default_factory=dict)
    app_counts: dict = field(default_factory=dict)  # label → rows made by APP_SEEDERS


def _plan(branches: int, rng: random.Random) -> tuple[_Node, list[_Node]]:
    """The province as a tree of `_Node`s, and the branches chosen to get a secretary."""
    province = _Node(UnitType.PROVINCE, ROOT_CODE, "省公司党委")
    group_every = max(1, math.ceil(branches / GROUPED_BRANCHES_MAX))
    per_committee = allocate(branches, [spec.weight for spec in COMMITTEES])
    branch_no = 0  # over the whole province
    firsts: list[list[_Node]] = []  # per committee, its branches in order (for secretaries)

    for spec, count in zip(COMMITTEES, per_committee, strict=True):
        committee = _Node(spec.unit_type, spec.code, spec.name, spec.region)
        generals = {
            category: _Node(
                UnitType.GENERAL_BRANCH,
                f"{spec.code}-Z{i}",
                f"{spec.prefix}{dept}党总支",
                spec.region,
            )
            for i, (dept, category) in enumerate(spec.general_branches, start=1)
        }
        direct_children, used, own = [], Counter(), []
        categories, weights = list(spec.mix), list(spec.mix.values())
        for i in range(1, count + 1):
            # The first five branches of the province cover the five categories.
            if branch_no < len(C.values):
                category = C.values[branch_no]
            else:
                category = rng.choices(categories, weights)[0]
            dept = rng.choice(DEPARTMENTS[category])
            used[dept] += 1
            ordinal = f"第{chinese_ordinal(used[dept])}" if used[dept] > 1 else ""
            branch = _Node(
                UnitType.BRANCH,
                f"{spec.code}-{i:05d}",
                f"{spec.prefix}{dept}{ordinal}党支部",
                spec.region,
                category,
                member_count=rng.randint(8, 60),
            )
            if branch_no % group_every == 0:
                _add_groups(branch, dept, rng)
            general = generals.get(category)
            # The first branch of a general branch's kind always joins it, so it is never empty.
            if general is not None and (not general.children or rng.random() < 0.6):
                general.children.append(branch)
            else:
                direct_children.append(branch)
            own.append(branch)
            branch_no += 1
        committee.children = [g for g in generals.values() if g.children] + direct_children
        for general in committee.children:
            if general.unit_type == UnitType.GENERAL_BRANCH:
                general.member_count = sum(b.member_count for b in general.children)
        committee.member_count = sum(b.member_count for b in own)
        province.children.append(committee)
        firsts.append(own)

    province.member_count = sum(c.member_count for c in province.children)
    secretaries = []
    for rank in range(max((len(f) for f in firsts), default=0)):
        for own in firsts:
            if rank < len(own) and len(secretaries) < SECRETARY_COUNT:
                secretaries.append(own[rank])
    return province, secretaries


def _add_groups(branch: _Node, dept: str, rng: random.Random) -> None:
    size = min(6, max(2, round(branch.member_count / 8)))
    members = allocate(branch.member_count, [rng.randint(3, 6) for _ in range(size)])
    short = dept.removesuffix("部").removesuffix("公司")
    for k, n in enumerate(members, start=1):
        branch.children.append(
            _Node(
                UnitType.PARTY_GROUP,
                f"{branch.code}-{k}",
                f"{short}第{chinese_ordinal(k)}党小组",
                branch.region,
                member_count=n,
            )
        )


def _write_tree(province: _Node, regions: dict[str, Region]) -> Counter:
    """Insert the planned tree with computed treebeard paths, in batches."""
    counts, batch = Counter(), []

    def flush():
        OrgUnit.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        batch.clear()

    def emit(node: _Node, parent_path: str, depth: int, step: int):
        path = OrgUnit._get_path(parent_path, depth, step)
        batch.append(
            OrgUnit(
                path=path,
                depth=depth,
                numchild=len(node.children),
                unit_type=node.unit_type,
                code=node.code,
                name=node.name,
                category=node.category,
                member_count=node.member_count,
                region=regions[node.region] if node.region else None,
                sort_order=step,
            )
        )
        counts[node.unit_type] += 1
        if len(batch) >= BATCH_SIZE:
            flush()
        for i, child in enumerate(node.children, start=1):
            emit(child, path, depth + 1, i)

    emit(province, "", 1, 1)
    flush()
    return counts


# --- users -----------------------------------------------------------------------------------


def _people(rng: random.Random):
    """An endless supply of distinct Chinese full names, drawn deterministically."""
    seen = set()
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)
        if name not in seen:
            seen.add(name)
            yield name


def _user_plan(province: _Node, secretaries: list[_Node]) -> list[tuple[str, str | None, str]]:
    """(username, role, unit code) for every demo user; role None for the plain member."""
    plan = [
        ("admin", Role.ADMIN, ROOT_CODE),
        ("province", Role.PROVINCE_REVIEWER, ROOT_CODE),
        ("jury1", Role.FLAGSHIP_COMMITTEE, ROOT_CODE),
        ("jury2", Role.FLAGSHIP_COMMITTEE, ROOT_CODE),
    ]
    generals = []
    for committee in province.children:
        kind = "city" if committee.unit_type == UnitType.CITY else "direct"
        plan.append((f"{kind}_{committee.code.lower()}", Role.REVIEWER, committee.code))
        generals += [c for c in committee.children if c.unit_type == UnitType.GENERAL_BRANCH]
    plan += [(f"general{i}", Role.REVIEWER, g.code) for i, g in enumerate(generals, start=1)]
    plan += [(f"secretary{i}", Role.SECRETARY, b.code) for i, b in enumerate(secretaries, 1)]
    plan.append(("member", None, ""))
    committee = _committee_of(province, secretaries[0]) if secretaries else None
    if committee is not None:  # last: every account before it keeps its name and id
        username = f"{COMMITTEE_SECRETARY_PREFIX}{committee.code.lower()}"
        plan.append((username, Role.SECRETARY, committee.code))
    return plan


def _committee_of(province: _Node, branch: _Node) -> _Node | None:
    return next((c for c in province.children if branch.code.startswith(f"{c.code}-")), None)


def _create_users(plan, rng: random.Random) -> list[tuple[str, str, str, str]]:
    password = make_password(DEMO_PASSWORD)  # hashed once: the slow part of a user, not per user
    names = _people(rng)
    # the committee secretary draws from a stream of its own: the shared one stays as it was
    own_names = _people(random.Random(COMMITTEE_SECRETARY_PREFIX))  # noqa: S311 -- demo data
    full_names = {}
    for username, _role, _unit in plan:
        if not username.startswith(COMMITTEE_SECRETARY_PREFIX):
            full_names[username] = next(names)
    for username, _role, _unit in plan:
        if username.startswith(COMMITTEE_SECRETARY_PREFIX):
            full_names[username] = next(n for n in own_names if n not in full_names.values())
    User.objects.bulk_create(
        [
            User(
                username=username,
                full_name=full_names[username],
                email=f"{username}@example.cn",
                password=password,
                is_staff=role == Role.ADMIN,
            )
            for username, role, _unit in plan
        ],
        batch_size=BATCH_SIZE,
    )
    users = User.objects.in_bulk([p[0] for p in plan], field_name="username")
    units = OrgUnit.objects.in_bulk([p[2] for p in plan if p[2]], field_name="code")
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=users[username], unit=units[code], role=role)
            for username, role, code in plan
            if role
        ]
    )
    for username, role, code in plan:
        if role == Role.SECRETARY:
            OrgUnit.objects.filter(pk=units[code].pk).update(secretary=users[username])

    # Rules grant administrators their portal permissions; Django admin needs model permissions.
    admins, _ = Group.objects.get_or_create(name=ADMIN_GROUP)
    admins.permissions.set(Permission.objects.all())
    users["admin"].groups.add(admins)

    return [
        (
            username,
            users[username].full_name,
            str(Role(role).label) if role else "普通党员（无角色）",
            units[code].name if code else "—",
        )
        for username, role, code in plan
    ]


# --- the public entry points -----------------------------------------------------------------


def present() -> bool:
    return OrgUnit.objects.filter(code=ROOT_CODE).exists()


def seed(
    branches: int = DEFAULT_BRANCHES, *, seed: int = DEFAULT_SEED, apps_only=None
) -> SeedResult:
    """Build the demo province. The caller checks `present()` first; a tree that seed_demo did
    not make is never mixed with demo data. `apps_only` (app labels of APP_SEEDERS) seeds those
    apps' demo data only — e.g. the tree and brands for a 1M-branch bench of the org list and
    review queue, without the ledger's tens of millions of rows (bench/README.md)."""
    if branches < 1:
        raise ValueError("branches must be at least 1")
    if OrgUnit.objects.exists():
        raise DemoDataError(
            "组织树中已有非演示数据；如需替换，请使用 --reset。"
            " (the org tree already holds units not made by seed_demo; use --reset)"
        )
    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311 -- reproducible demo data, not security
    with transaction.atomic():
        regions = {}
        for order, (code, name) in enumerate(REGIONS, start=1):
            regions[code], _ = Region.objects.update_or_create(
                code=code, defaults={"name": name, "sort_order": order}
            )
        province, secretaries = _plan(branches, rng)
        counts = _write_tree(province, regions)
        credentials = _create_users(_user_plan(province, secretaries), rng)
        problems = quick_tree_check()
        app_counts, app_models = _seed_apps(rng, apps_only)
    _analyze(OrgUnit, User, RoleAssignment, Region, *app_models)
    return SeedResult(
        counts=dict(counts),
        credentials=credentials,
        seconds=time.monotonic() - started,
        tree_problems=problems,
        app_counts=app_counts,
    )


def _seed_apps(
    rng: random.Random, apps_only=None
) -> tuple[dict[str, int], list[type[models.Model]]]:
    """Run the installed apps' seeders (those of `apps_only` if given); what they made, and
    their models (to ANALYZE)."""
    made, seeded_models = {}, []
    for label, dotted in APP_SEEDERS:
        if not apps.is_installed(label) or (apps_only is not None and label not in apps_only):
            continue
        made.update(import_string(dotted)(rng))
        seeded_models += apps.get_app_config(label).get_models()
    return made, seeded_models


def _analyze(*models_):
    """Tell the tree cache the tree changed (bulk_create bypasses OrgUnit.save), and refresh
    PostgreSQL's planner statistics after a bulk load. Without them the planner guesses ~100
    rows for a subtree of 100,000 and picks plans that are 10–50× slower until autovacuum gets
    round to the table. Outside a transaction the tables are also vacuumed, which marks the
    freshly written pages all-visible: counts read off an index (e.g. a review queue's size)
    then never touch the table ("index-only scan"), as they will once autovacuum has run."""
    tree_changed()
    if connection.vendor != "postgresql":
        return
    verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"{verb} {connection.ops.quote_name(model._meta.db_table)}")


def quick_tree_check() -> dict[str, int]:
    """Set-based integrity checks that stay fast at 100,000+ nodes (treebeard's `find_problems`
    runs two queries per node): wrong depth, missing parent, child counts that do not add up."""
    steplen = OrgUnit.steplen
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - steplen)
    total = OrgUnit.objects.count()
    children = OrgUnit.objects.aggregate(n=Sum("numchild"))["n"] or 0
    return {
        "wrong_depth": OrgUnit.objects.exclude(depth=Length("path") / steplen).count(),
        "orphans": OrgUnit.objects.filter(depth__gt=1)
        .exclude(Exists(OrgUnit.objects.filter(path=parent_path)))
        .count(),
        "numchild_mismatch": abs(total - OrgUnit.objects.filter(depth=1).count() - children),
    }


def find_problems() -> dict[str, list]:
    """treebeard's own full check, named; slow on big trees (two queries per node)."""
    names = ("evil_chars", "bad_steplen", "orphans", "wrong_depth", "wrong_numchild")
    return dict(zip(names, OrgUnit.objects.find_problems(), strict=True))


def _delete_protecting(queryset, seen=frozenset()) -> None:
    """Delete the rows that PROTECT/RESTRICT the rows of `queryset` from deletion, and what
    protects those in turn (dependents first), whichever app adds such a model later. Only
    rows that point at `queryset` go: a scoring table version nobody published, say, stays."""
    for rel in queryset.model._meta.get_fields(include_hidden=True):
        # hidden relations too: a foreign key with related_name="+" protects all the same
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        key = (rel.related_model, rel.field.name)
        if rel.on_delete not in (models.PROTECT, models.RESTRICT) or key in seen:
            continue
        dependents = rel.related_model._default_manager.filter(
            **{f"{rel.field.name}__in": queryset}
        )
        _delete_protecting(dependents, seen | {key})
        dependents.delete()


def reset() -> None:
    """Remove the demo data: every org unit, region, role assignment and non-superuser user,
    and every row that protects them from deletion (audit trail, notifications, and rows of
    later apps that point at units or users with PROTECT). Superusers survive."""
    with transaction.atomic():
        Notification.objects.all().delete()
        AuditEntry.objects.all().delete()
        for targets in (
            OrgUnit.objects.all(),
            Region.objects.all(),
            User.objects.filter(is_superuser=False),
        ):
            _delete_protecting(targets)
        RoleAssignment.objects.all().delete()
        OrgUnit.objects.all().delete()  # before the users and regions they point at
        User.objects.filter(is_superuser=False).delete()
        Region.objects.all().delete()
        transaction.on_commit(tree_changed)


def counts() -> dict[str, int]:
    """Units per type, users and role assignments: what a second run must leave unchanged."""
    rows = OrgUnit.objects.values("unit_type").annotate(n=models.Count("pk")).order_by()
    result = {r["unit_type"]: r["n"] for r in rows}
    result.update(
        regions=Region.objects.count(),
        users=User.objects.count(),
        role_assignments=RoleAssignment.objects.count(),
    )
    return result


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(header: list[str], rows: list[tuple]) -> str:
    """A plain-text table that stays aligned with Chinese (double-width) characters."""
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(header))]

    def line(row):
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True))

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r).rstrip() for r in cells[1:])])
