"""Demo data for flagship (run by `seed_demo` after brands and evaluation, whose built brands
and published results decide who may apply). Two cycles, both made and moved only through the
services, so each carries its committee (jury1 as chair, jury2), its scoring table, its
candidacies' revisions and approvals, and its audit entries:

* this year's cycle in its application phase, its window open today. No candidacy is filed:
  applying is what a demo secretary tries out (`branches.demo.SHOWCASE_SECRETARY`'s branch
  has a built brand and clean results);
* last year's cycle in its public vote (公开投票), open for `VOTE_DAYS` from the seeding, so
  the `member` login (any login) can cast a ballot. One cycle cannot show both: the vote
  follows the application, the notice, the management phase and the committee's scores.
  Its calendar lies in the past, relative to the seeding day; each step is taken at an
  instant inside its window (the services' `now=`): the demo secretaries whose branches may
  apply file and submit, the reviewer of each level of their approval chain approves, the
  province publishes the notice and moves the phases, jury1 and jury2 score every candidate
  and jury1, the chair, names them demonstration units, which opens the vote.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from branches.access import reviewers_at
from branches.demo import SECRETARY_COUNT
from branches.models import OrgUnit
from branches.selectors import approval_chain
from workflow.windows import local_instant

from .eligibility import check_eligibility
from .models import Candidacy, CandidacyStatus, FlagshipCycle
from .services import candidacy as candidacies
from .services.cycle import advance, create_cycle
from .services.decision import decide_units
from .services.review import submit_score

#: The application window around today: opened a week ago, closes in five weeks.
OPENED_DAYS_AGO, CLOSES_IN_DAYS, NOTICE_AFTER_DAYS = 7, 35, 45
#: The voting cycle's calendar, in days before (negative) or after the seeding day.
VOTING_CALENDAR = {
    "application_opens_on": -330,
    "application_closes_on": -300,
    "notice_starts_on": -290,
    "summary_deadline": -45,
    "review_starts_on": -30,
    "decision_deadline": 30,
}
#: The demo's evaluation results are drawn at random, so the standing rule (six-good and
#: five-force results in the cycle's top share) would let a random set of branches apply — at
#: the default size not the showcase branch (rank 292 of 300). The demo's cycles leave it
#: blank (no check), as cycles opened before the rule do; tests/flagship/test_standing.py has it.
NO_STANDING_CHECK = {"standing_top_share": None}
#: How long the demo's vote stays open after seeding.
VOTE_DAYS = 21


def seed_flagship(rng: random.Random) -> dict[str, int]:
    actor = get_user_model().objects.get(username="province")
    today = timezone.localdate()
    voting = _seed_voting_cycle(rng, actor, today)
    cycle = create_cycle(
        actor=actor,
        year_start=today.year,
        data={
            "application_opens_on": today - timedelta(days=OPENED_DAYS_AGO),
            "application_closes_on": today + timedelta(days=CLOSES_IN_DAYS),
            "notice_starts_on": today + timedelta(days=NOTICE_AFTER_DAYS),
            **NO_STANDING_CHECK,
        },
    )
    advance(actor=actor, pk=cycle.pk, name="open_application")
    return {
        str(FlagshipCycle._meta.verbose_name): 2,
        str(Candidacy._meta.verbose_name): voting,
    }


def _candidates(cycle) -> list[tuple[OrgUnit, object]]:
    """(branch, its demo secretary) for the demo secretaries' branches that may apply and
    whose every approval level has a reviewer to approve."""
    users = get_user_model().objects.filter(
        username__in=[f"secretary{i}" for i in range(1, SECRETARY_COUNT + 1)]
    )
    found = []
    for secretary in users.order_by("pk"):
        for unit in OrgUnit.objects.filter(secretary=secretary).order_by("path"):
            if not check_eligibility(unit, cycle=cycle).ok:
                continue
            if all(reviewers_at(level) for level in approval_chain(unit)):
                found.append((unit, secretary))
    return found


def _seed_voting_cycle(rng, actor, today) -> int:
    """Last year's cycle walked to its public vote; returns the number of candidates."""
    dates = {k: today + timedelta(days=d) for k, d in VOTING_CALENDAR.items()}
    cycle = create_cycle(
        actor=actor,
        year_start=today.year - 1,
        data={**dates, "year_end": today.year, "vote_days": VOTE_DAYS, **NO_STANDING_CHECK},
    )
    opened = local_instant(dates["application_opens_on"])
    cycle = advance(actor=actor, pk=cycle.pk, name="open_application", now=opened)
    filed_at = local_instant(dates["application_opens_on"] + timedelta(days=10))
    accepted = []
    for unit, secretary in _candidates(cycle):
        c = candidacies.save_candidacy_draft(actor=secretary, cycle=cycle, unit=unit, now=filed_at)
        c = candidacies.submit_candidacy(actor=secretary, pk=c.pk, now=filed_at)
        while c.status == CandidacyStatus.IN_REVIEW:
            c = candidacies.approve_candidacy(
                actor=reviewers_at(c.current_level)[0], pk=c.pk, comment="同意推荐。"
            )
        accepted.append(c)
    if not accepted:  # a tiny demo province: nobody may apply, so there is nothing to vote on
        return 0
    for name, day in (
        ("publish_notice", dates["notice_starts_on"]),
        ("start_management", dates["notice_starts_on"] + timedelta(days=10)),
        ("start_review", dates["review_starts_on"]),
    ):
        cycle = advance(actor=actor, pk=cycle.pk, name=name, now=local_instant(day))
    members = [m.user for m in cycle.committee_members.select_related("user").order_by("pk")]
    criteria = list(cycle.criteria.all())
    for c in accepted:
        for member in members:
            points = {k.pk: int(k.max_points) - rng.randint(3, 12) for k in criteria}
            submit_score(actor=member, candidacy_pk=c.pk, points=points, comment="材料翔实。")
    chair = next(m.user for m in cycle.committee_members.select_related("user") if m.is_chair)
    decide_units(
        actor=chair, cycle_pk=cycle.pk, candidacy_ids=[c.pk for c in accepted[: cycle.quota]]
    )
    return len(accepted)
