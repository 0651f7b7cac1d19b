"""Demo data for selection (run by `seed_demo` after brands, evaluation and flagship): last
year's 省级品牌评选, made and moved only through the services, published — so the demo's
provincial-level brands named by a round show where their level came from, and the province can
open this year's round itself (none is open: one round a year, and this year's is theirs to try).

Its calendar lies in the past, relative to the seeding day (`CALENDAR`); each step is taken at an
instant inside its window (the services' `now=`), as flagship/demo.py walks last year's cycle:
the reviewer of each of the first committees proposes a built 支部品牌 that was already built
when proposing — a demo secretary's when there is one, so a login holds a provincial-level brand
and may pair it (结对帮扶, brands/demo_cluster.py) — and scores it; the province selects within
the quota (the demo secretaries' brands first), marks the others 不入选 with the reason, and
publishes: the selected brands become 省公司级品牌. Provinces above
`brands.demo_trail.TRAIL_MAX_BRANCHES` branches skip it, as they skip the brands' trail.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from branches.access import reviewers_at
from branches.demo import SECRETARY_COUNT
from branches.models import OrgUnit, UnitType
from brands import demo_trail
from brands.selectors.applications import provincial_candidates
from workflow.windows import local_instant

from .audit import Action
from .models import Proposal, SelectionRound
from .services import decide, open_round, propose, publish_round, score_proposal

#: Last year's round, in days before the seeding day: the proposal window, the decisions and
#: the publication.
CALENDAR = {"opens_on": -100, "closes_on": -70, "decided_on": -60, "published_on": -55}
#: Proposals made (one per committee, the first committees in tree order) and places.
PROPOSALS, QUOTA = 4, 2


def _proposals(proposed_at) -> list[tuple[object, object]]:
    """(brand, its committee's reviewer): per committee its first brand that may be proposed
    and was built by `proposed_at` (a demo secretary's first), `PROPOSALS` committees in all —
    those with a demo secretary's brand first, then in tree order. Two queries a committee."""
    found = []
    demo = [f"secretary{i}" for i in range(1, SECRETARY_COUNT + 1)]
    committees = OrgUnit.objects.filter(unit_type__in=(UnitType.CITY, UnitType.DIRECT))
    for committee in committees.order_by("path"):
        reviewers = reviewers_at(committee)
        built = provincial_candidates().filter(
            unit__path__startswith=committee.path, built_at__lte=proposed_at
        )
        own = built.filter(unit__secretary__username__in=demo).order_by("unit__path").first()
        brand = own or built.order_by("unit__path").first()
        if reviewers and brand is not None:
            found.append((own is None, committee.path, brand, reviewers[0]))
    found.sort(key=lambda row: row[:2])
    return [(brand, reviewer) for _other, _path, brand, reviewer in found[:PROPOSALS]]


def seed_selection(rng: random.Random) -> dict[str, int]:
    branches = OrgUnit.objects.filter(unit_type=UnitType.BRANCH, is_active=True).count()
    if branches > demo_trail.TRAIL_MAX_BRANCHES:  # a big province skips the brands' story
        return {}
    actor = get_user_model().objects.get(username="province")
    today = timezone.localdate()
    days = {k: today + timedelta(days=d) for k, d in CALENDAR.items()}
    proposed_at = local_instant(days["opens_on"] + timedelta(days=3))
    found = _proposals(proposed_at)
    if not found:  # a tiny demo province: no built brand to propose
        return {}
    year = today.year - 1
    round_ = open_round(
        actor=actor,
        year=year,
        title=f"{year}年度省级品牌评选",
        quota=QUOTA,
        opens_on=days["opens_on"],
        closes_on=days["closes_on"],
    )
    proposals = []
    for brand, reviewer in found:
        p = propose(
            actor=reviewer,
            round_pk=round_.pk,
            application_pk=brand.pk,
            reason="品牌要素完整，党建与业务融合成效明显，示范带动作用突出。",
            now=proposed_at,
        )
        basis = int(p.acceptance_rate) if p.acceptance_rate is not None else 80
        score = max(0, min(100, basis + rng.randint(-3, 8)))
        proposals.append(
            score_proposal(
                actor=reviewer, pk=p.pk, score=score, note="对照验收得分评定。", now=proposed_at
            )
        )
    # one or two places: never all of them, so a 不入选 with its reason shows too
    places = min(QUOTA, max(1, len(proposals) - 1))
    demo = {
        u.pk
        for u in get_user_model().objects.filter(
            username__in=[f"secretary{i}" for i in range(1, SECRETARY_COUNT + 1)]
        )
    }
    ranked = sorted(proposals, key=lambda p: (p.unit.secretary_id not in demo, -p.score, p.pk))
    decided_at = local_instant(days["decided_on"])
    for rank, p in enumerate(ranked):
        if rank < places:
            decide(
                actor=actor, pk=p.pk, action=Action.SELECT, comment="综合评定入选。", now=decided_at
            )
        else:
            decide(
                actor=actor,
                pk=p.pk,
                action=Action.NOT_SELECT,
                comment="名额有限，本次未入选，请继续深化品牌建设。",
                now=decided_at,
            )
    publish_round(actor=actor, pk=round_.pk, now=local_instant(days["published_on"]))
    return {
        str(SelectionRound._meta.verbose_name): 1,
        str(Proposal._meta.verbose_name): len(proposals),
    }
