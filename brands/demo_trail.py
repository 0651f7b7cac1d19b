"""The audit trail of the demo brand applications (`brands/demo.py`), and who filed them.

An application the services had moved through the workflow would carry one audit entry per
step, recorded by `workflow.transitions.Workflow.apply`: created by its applicant, submitted,
approved by the reviewer of each level of its approval chain (the last approval to
"implementing"), returned or rejected at the level where it stopped, acceptance requested by
the branch and passed by its committee, perhaps named a provincial-level brand. Here the same
entries are planned from each application's own dates (created ≤ submitted ≤ each decision ≤
now) and bulk-written, so brand timelines, "last decided" figures and the monthly bulletin's
activity have the demo's history to show: submissions and decisions fall over the last ten
months, those of the applications still open in the last ten weeks.

Who filed: a demo secretary for their own branch; for a branch without a demo secretary, an
account of that branch's secretary of record (`filer_<branch code>`), inactive, without a
password or a role: a name in the timeline, nobody to log in as (`FILER_PREFIX`). Never the
plain `member` account.

A province above `TRAIL_MAX_BRANCHES` gets no trail (its timelines stay empty): the bulletin
benchmark builds its own."""

import random

from django.contrib.contenttypes.models import ContentType

from branches.access import reviewers_at
from branches.demo_names import GIVEN_NAMES, SURNAMES
from branches.models import OrgUnit, UnitType, User
from workflow.models import AuditEntry
from workflow.services import object_label

from .audit import Action
from .models import BrandApplication, Level, Status

TRAIL_MAX_BRANCHES = 5_000
FILER_PREFIX = "filer_"
BATCH_SIZE = 5000
CREATE, NAME_PROVINCIAL = "create", "name_provincial"  # brands.services' non-workflow actions

APPROVE_COMMENTS = ("", "", "同意。", "同意，报上级审核。", "品牌定位清晰，同意。")
RETURN_COMMENTS = (
    "建设目标需量化，请补充可考核的指标后再提交。",
    "创建举措与业务结合不够紧密，请修改完善。",
    "品牌传播语与核心理念不一致，请重新提炼。",
    "请补充近一年的创建成效及佐证材料。",
)
REJECT_COMMENTS = (
    "与本单位已有品牌定位重复，不予通过。",
    "品牌内容与支部实际工作关联不足，不予通过。",
)
RESUBMIT_COMMENTS = ("已按审核意见修改。", "已补充量化指标和佐证材料。")


def filers(plan, rng: random.Random) -> int:
    """Give every planned application without an applicant (its branch has no demo secretary)
    its branch's secretary of record, one inactive account per branch; their revisions are
    theirs too. Returns the accounts made."""
    missing = sorted({a.unit_id for a in plan.applications if a.applicant_id is None})
    if not missing:
        return 0
    codes = dict(OrgUnit.objects.filter(pk__in=missing).values_list("pk", "code"))
    User.objects.bulk_create(
        [
            User(
                username=f"{FILER_PREFIX}{codes[pk].lower()}",
                full_name=rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES),
                password="!",  # unusable: no login  # noqa: S106
                is_active=False,
            )
            for pk in missing
        ],
        batch_size=BATCH_SIZE,
    )
    by_name = dict(
        User.objects.filter(username__startswith=FILER_PREFIX).values_list("username", "pk")
    )
    user_of = {pk: by_name[f"{FILER_PREFIX}{codes[pk].lower()}"] for pk in missing}
    for app, revisions in zip(plan.applications, plan.revisions, strict=True):
        if app.applicant_id is None:
            app.applicant_id = user_of[app.unit_id]
        for revision in revisions:
            revision.created_by_id = app.applicant_id
    return len(missing)


def _between(rng, start, end, n):
    """`n` sorted instants strictly inside (start, end)."""
    span = end - start
    return sorted(start + span * rng.uniform(0.05, 0.95) for _ in range(n))


class _Trail:
    """One application's entries as tuples (at, actor pk, action, from, to, comment)."""

    def __init__(self, rng, reviewer_of):
        self.rng, self.reviewer_of, self.rows = rng, reviewer_of, []

    def add(self, at, actor, action, from_state="", to_state="", comment=""):
        self.rows.append((at, actor, action, from_state, to_state, comment))

    def approvals(self, levels, times, *, last_to=Status.IN_REVIEW):
        for i, (level, at) in enumerate(zip(levels, times, strict=True)):
            to = last_to if i == len(levels) - 1 else Status.IN_REVIEW
            comment = self.rng.choice(APPROVE_COMMENTS)
            self.add(at, self.reviewer_of[level], Action.APPROVE, Status.IN_REVIEW, to, comment)

    def decide(self, at, level, status):
        action, comments = (
            (Action.RETURN, RETURN_COMMENTS)
            if status == Status.RETURNED
            else (Action.REJECT, REJECT_COMMENTS)
        )
        actor = self.reviewer_of[level]
        self.add(at, actor, action, Status.IN_REVIEW, status, self.rng.choice(comments))


def plan_trail(app, revisions, chain, judge, reviewer_of, rng, now) -> list[tuple]:
    """The entries `app`'s status implies, dated from its own dates; moves `updated_at` to the
    last of them (as the service's save would have)."""
    t = _Trail(rng, reviewer_of)
    S, who = Status, app.applicant_id
    t.add(app.created_at, who, CREATE, to_state=S.DRAFT)
    if app.status == S.DRAFT:
        return t.rows
    waiting = app.status in (S.IN_REVIEW, S.RETURNED, S.REJECTED)
    k = chain.index(app.current_level_id) if waiting else len(chain)
    if app.revision_number == 2:  # returned once at level k, resubmitted, back at level k
        first = revisions[0].created_at
        t.add(first, who, Action.SUBMIT, S.DRAFT, S.IN_REVIEW)
        *approved_at, returned_at = _between(rng, first, app.submitted_at, k + 1)
        t.approvals(chain[:k], approved_at)
        t.decide(returned_at, chain[k], S.RETURNED)
        comment = rng.choice(RESUBMIT_COMMENTS)
        t.add(app.submitted_at, who, Action.SUBMIT, S.RETURNED, S.IN_REVIEW, comment)
        if app.status == S.RETURNED:
            t.decide(app.updated_at, chain[k], S.RETURNED)
        return t.rows
    t.add(app.submitted_at, who, Action.SUBMIT, S.DRAFT, S.IN_REVIEW)
    if app.status == S.IN_REVIEW:
        t.approvals(chain[:k], _between(rng, app.submitted_at, now, k))
    elif waiting:  # returned or rejected at level k
        t.approvals(chain[:k], _between(rng, app.submitted_at, app.updated_at, k))
        t.decide(app.updated_at, chain[k], app.status)
    else:  # approved at every level, the last at approved_at
        times = [*_between(rng, app.submitted_at, app.approved_at, k - 1), app.approved_at]
        t.approvals(chain, times, last_to=S.IMPLEMENTING)
        if app.status == S.ACCEPTANCE:
            (asked,) = _between(rng, app.approved_at, now, 1)
            t.add(asked, who, Action.REQUEST_ACCEPTANCE, S.IMPLEMENTING, S.ACCEPTANCE)
        elif app.status == S.BUILT:
            (asked,) = _between(rng, app.approved_at, app.built_at, 1)
            t.add(asked, who, Action.REQUEST_ACCEPTANCE, S.IMPLEMENTING, S.ACCEPTANCE)
            t.add(app.built_at, reviewer_of[judge], Action.PASS_ACCEPTANCE, S.ACCEPTANCE, S.BUILT)
            if app.level == Level.PROVINCIAL:
                (named,) = _between(rng, app.built_at, now, 1)
                province = reviewer_of[chain[-1]]
                t.add(named, province, NAME_PROVINCIAL, Level.BRANCH, Level.PROVINCIAL)
    app.updated_at = max(app.updated_at, *(row[0] for row in t.rows))
    return t.rows


def plan_trails(plan, reviewing, rng) -> list[list[tuple]]:
    """Every planned application's entries. `reviewing` is `demo.reviewing_units()`; each
    reviewing unit's first reviewer decides there (one query per reviewing unit)."""
    reviewer_of = {}
    for pk, _unit_type in reviewing.values():
        holders = reviewers_at(pk)
        reviewer_of[pk] = holders[0].pk if holders else None
    general = UnitType.GENERAL_BRANCH
    committee_level = {pk for pk, unit_type in reviewing.values() if unit_type != general}
    trails = []
    for app, revisions, chain in zip(plan.applications, plan.revisions, plan.chains, strict=True):
        judge = next((level for level in chain if level in committee_level), chain[-1])
        trails.append(plan_trail(app, revisions, chain, judge, reviewer_of, rng, plan.now))
    return trails


def write_trails(applications, trails) -> int:
    """Bulk-write the planned entries of the saved `applications`, with their planned times
    (`at` is auto_now_add; the caller lifts it with `demo._explicit_timestamps`)."""
    content_type = ContentType.objects.get_for_model(BrandApplication)
    rows = [
        AuditEntry(
            at=at,
            actor_id=actor,
            content_type=content_type,
            object_id=app.pk,
            object_repr=object_label(app),
            unit_id=app.unit_id,
            action=action,
            from_state=from_state,
            to_state=to_state,
            comment=comment,
        )
        for app, trail in zip(applications, trails, strict=True)
        for at, actor, action, from_state, to_state, comment in trail
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)
