#!/usr/bin/env python
"""Below the branch at scale (issue #17): a branch's member and group pages and a committee's
posts and 五个一 overviews on a small and a large province.

    BENCH_DB_PREFIX=bench_mine python bench/groups.py [--small 1000] [--large 100000]
                                                       [--requests 30] [--rounds 3] [--reuse]

The same harness as bench/run.py (its databases, `seed_demo --branches N`, measuring process,
rounds, table and pass rule: the same query count on both sizes and p95(large)/p95(small) ≤
1.5), with this app's pages and the people who open them: the demo group leader `member`, the
showcase branch's secretary `secretary1`, the province reviewer `province` (a reader above the
branch) and the Hangzhou reviewer `city_hz` (the committee overview). The seed gives the
showcase branch its roster, meetings and group assessments; the measuring process adds a few
pioneer posts and 五个一 items there (idempotent), so those pages list something.
Results: a table on stdout and bench/results/groups.json."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run  # noqa: E402

RESULTS = run.BASE_DIR / "bench" / "results" / "groups.json"
USERS = ["member", "secretary1", "province", "city_hz"]
BRANCH_READERS = ["secretary1", "province"]

PAGES = [
    ("dashboard (group leader's desk)", "/", ["member"]),
    ("我的 (a member's own page)", "/groups/me/", ["member"]),
    ("group page", lambda c: f"/groups/group/{c.group.pk}/", ["member", *BRANCH_READERS]),
    ("branch roster", lambda c: f"/ledger/branch/{c.branch.pk}/", BRANCH_READERS),
    ("branch records", lambda c: f"/ledger/branch/{c.branch.pk}/records/", BRANCH_READERS),
    ("branch posts", lambda c: f"/groups/branch/{c.branch.pk}/posts/", BRANCH_READERS),
    ("branch 五个一", lambda c: f"/groups/branch/{c.branch.pk}/innovation/", BRANCH_READERS),
    (
        "branch group assessments",
        lambda c: f"/groups/branch/{c.branch.pk}/assessments/",
        BRANCH_READERS,
    ),
    ("committee posts overview", lambda c: f"/groups/posts/area/{c.unit('HZ').pk}/", ["city_hz"]),
    ("province posts overview", "/groups/posts/area/", ["province"]),
    (
        "committee 五个一 overview",
        lambda c: f"/groups/innovation/area/{c.unit('HZ').pk}/",
        ["city_hz"],
    ),
    ("province 五个一 overview", "/groups/innovation/area/", ["province"]),
    ("branch member periods", lambda c: f"/groups/branch/{c.branch.pk}/members/", ["secretary1"]),
    (
        "member period (last year's KPI, published)",
        lambda c: f"/groups/member-periods/{c.member_period('post_kpi', -1).pk}/",
        ["secretary1"],
    ),
    (
        "member period (this year's 双百, open)",
        lambda c: f"/groups/member-periods/{c.member_period('double_hundred', 0).pk}/",
        ["secretary1"],
    ),
    (
        "member result (last year's KPI)",
        lambda c: f"/groups/member-assessments/{c.member_result('post_kpi', -1).pk}/",
        ["secretary1", "member"],
    ),
    (
        "member result (last year's 双百)",
        lambda c: f"/groups/member-assessments/{c.member_result('double_hundred', -1).pk}/",
        ["member"],
    ),
]


class Context(run.Context):
    """The showcase branch (secretary1's) and the demo leader's group."""

    @property
    def branch(self):
        from groups.demo import _showcase_branch

        return _showcase_branch()

    @property
    def group(self):
        from ledger.models import PartyGroup

        return PartyGroup.objects.get(leader__user__username="member")

    def member_period(self, table, years_back):
        """The showcase branch's member period of `table` for this year (0) or last (-1): the
        seed publishes last year's 双百 and KPI and opens this year's 双百."""
        from groups.models import MemberPeriod
        from workflow.windows import local_today

        year = local_today().year + years_back
        return MemberPeriod.objects.get(branch=self.branch, table=table, year=year)

    def member_result(self, table, years_back):
        """The demo `member`'s assessment in that period."""
        return self.member_period(table, years_back).assessments.get(
            member__user__username="member"
        )


def ensure_data() -> None:
    """A few posts and 五个一 items in the showcase branch, once (bulk, no audit: bench data)."""
    import datetime

    from django.contrib.auth import get_user_model

    from groups.demo import _showcase_branch
    from groups.models import InnovationItem, PioneerPost
    from ledger.models import Member

    branch = _showcase_branch()
    if PioneerPost.objects.filter(branch=branch).exists():
        return
    secretary = get_user_model().objects.get(username="secretary1")
    members = list(Member.objects.filter(branch=branch, is_active=True).order_by("pk")[:12])
    today = datetime.date.today()
    PioneerPost.objects.bulk_create(
        PioneerPost(
            branch=branch,
            member=m,
            kind="post",
            title=f"先锋岗{i}",
            commitment="承诺",
            term_start=today.replace(month=1, day=1),
            term_end=today.replace(month=12, day=31),
            created_by=secretary,
        )
        for i, m in enumerate(members[:8])
    )
    InnovationItem.objects.bulk_create(
        InnovationItem(
            branch=branch,
            member=m,
            party_group_id=m.party_group_id,
            kind="suggestion",
            title=f"合理化建议{i}",
            description="内容",
            year=today.year,
            filed_by=secretary,
        )
        for i, m in enumerate(members)
    )


def measure(requests: int) -> list[dict]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    ensure_data()
    rows = []
    for username in USERS:
        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user)
        context = Context(user)
        for name, url, only in PAGES:
            if username in only:
                rows.append(run.measure_page(client, name, username, url, context, requests))
    return rows


def main(argv=None) -> int:
    args = run.parse(argv)
    if args.measure:
        Path(args.out).write_text(json.dumps(measure(args.requests), ensure_ascii=False))
        return 0
    envs, databases = {}, {}
    for label, branches in (("small", args.small), ("large", args.large)):
        name = run.db_name(label)
        url = run.database_url(args.server, name)
        envs[label] = {**os.environ, **run.SERVE_ENV, "DATABASE_URL": url}
        databases[label] = run.prepare(args.server, name, branches, args.reuse, envs[label])
    rounds = {"small": [], "large": []}
    for number in range(1, args.rounds + 1):
        for label in rounds:
            print(f"[round {number}/{args.rounds}] {label} …", flush=True)
            rounds[label].append(
                run.run_script(__file__, envs[label], "--measure", "--requests", str(args.requests))
            )
    measured = {label: run.merge_rounds(runs) for label, runs in rounds.items()}
    rows = run.compare(measured["small"], measured["large"])
    print()
    print(run.render(rows))
    failed = [r for r in rows if not r["passed"]]
    print(f"\n{len(rows) - len(failed)}/{len(rows)} rows pass.")
    run.write_results(
        RESULTS,
        {"requests": args.requests, "rounds": args.rounds, "databases": databases, "rows": rows},
    )
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
