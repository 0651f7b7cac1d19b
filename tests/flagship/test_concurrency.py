"""Races on real PostgreSQL connections (threads): one voter hammering the vote, the chair's
decisions submitted many times at once. The database decides; nobody gets a 500."""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from flagship.models import Ballot, Candidacy, CommitteeScore, FlagshipCycle, Honour, Vote
from flagship.services import FlagshipError, criteria, decision
from tests.factories import Org, UserFactory, grant
from workflow.transitions import AlreadyHandled, TransitionError

from .conftest import accept, advance, build_brand, new_cycle, publish_result, score
from .test_criteria import audits, rows_of, save, table

ATTEMPTS = 100
#: Threads in flight at once: below PostgreSQL's default max_connections (100), leaving room
#: for the test's own connection and other sessions on the shared server.
IN_FLIGHT = 40


def race(calls):
    """Run the calls from a pool of threads released together; each result or exception."""
    gate = threading.Event()

    def run(call):
        gate.wait(timeout=30)
        try:
            return call()
        except Exception as exc:  # the outcome under test
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
        futures = [pool.submit(run, call) for call in calls]
        gate.set()
        return [f.result(timeout=120) for f in futures]


def _setup(*, units=2):
    """A province with A1, B1 (and A2) accepted, scored by two members; returns the cycle in
    review, the candidacies and the chair."""
    org = Org()
    jury2 = grant(UserFactory(username="jury2"), org.province, "flagship_committee")
    sec_a2 = grant(UserFactory(username="sec_a2"), org.a2, "secretary")
    branches = [(org.a1, org.users["secretary"]), (org.b1, org.sec_b1), (org.a2, sec_a2)][:units]
    for unit, secretary in branches:
        build_brand(unit, secretary)
        publish_result(unit, "six-good", 90)
        publish_result(unit, "brand-five-forces", 90)
    cycle = advance(org, new_cycle(org), "open_application")
    cands = [accept(org, cycle, org.a1), accept(org, cycle, org.b1)]
    if units == 3:
        from flagship.services import candidacy as candidacies

        c = candidacies.save_candidacy_draft(actor=sec_a2, cycle=cycle, unit=org.a2)
        c = candidacies.submit_candidacy(actor=sec_a2, pk=c.pk)
        for reviewer in ("city_reviewer", "province_reviewer"):
            c = candidacies.approve_candidacy(actor=org.users[reviewer], pk=c.pk)
        cands.append(c)
    for name in ("publish_notice", "start_management", "start_review"):
        cycle = advance(org, cycle, name)
    for points, c in zip((45, 40, 35), cands, strict=False):
        for member in (org.users["committee_member"], jury2):
            score(member, c, points, points)
    return org, cycle, cands, org.users["committee_member"]


def _voting():
    org, cycle, cands, chair = _setup()
    cycle = decision.decide_units(
        actor=chair, cycle_pk=cycle.pk, candidacy_ids=[c.pk for c in cands]
    )
    return org, cycle, cands, chair


def test_one_voter_voting_100_times_at_once_counts_once(transactional_db, postgres):
    org, cycle, (a1, b1), _chair = _voting()
    voter = org.users["member"]
    choices = [[a1.pk], [b1.pk], [a1.pk, b1.pk]]
    results = race(
        [
            (
                lambda ids=choices[i % 3]: decision.cast_ballot(
                    actor=voter, cycle_pk=cycle.pk, candidacy_ids=ids
                )
            )
            for i in range(ATTEMPTS)
        ]
    )
    ballots = [r for r in results if isinstance(r, Ballot)]
    refused = [r for r in results if isinstance(r, FlagshipError)]
    assert (len(ballots), len(refused)) == (1, ATTEMPTS - 1), {type(r) for r in results}
    assert all("已在本次评选中投过票" in str(r) for r in refused)
    assert Ballot.objects.filter(cycle=cycle, voter=voter).count() == 1
    counted = Vote.objects.filter(cycle=cycle, voter=voter).count()
    assert counted == ballots[0].votes.count() and counted in (1, 2)


def test_100_concurrent_vote_posts_never_500(transactional_db, postgres):
    org, cycle, (a1, b1), _chair = _voting()
    voter = org.users["member"]
    url = reverse("flagship:vote", args=[cycle.pk])
    clients = []
    for _ in range(ATTEMPTS):
        client = Client()
        client.force_login(voter)
        clients.append(client)

    def post(client, ids):
        response = client.post(url, {"units": ids})
        return response.status_code, [str(m) for m in get_messages(response.wsgi_request)]

    results = race(
        [
            (lambda c=c, i=i: post(c, [a1.pk] if i % 2 else [a1.pk, b1.pk]))
            for i, c in enumerate(clients)
        ]
    )
    assert all(not isinstance(r, Exception) for r in results), results[:3]
    assert {status for status, _ in results} == {302}
    successes = [m for _, msgs in results for m in msgs if "投票成功" in m]
    refusals = [m for _, msgs in results for m in msgs if "已在本次评选中投过票" in m]
    assert (len(successes), len(refusals)) == (1, ATTEMPTS - 1)
    assert Ballot.objects.filter(cycle=cycle).count() == 1
    assert Vote.objects.filter(cycle=cycle).count() in (1, 2)


def test_quota_holds_under_concurrent_finalisation(transactional_db, postgres):
    org, cycle, cands, chair = _setup(units=3)
    FlagshipCycle.objects.filter(pk=cycle.pk).update(quota=2)
    ids = [c.pk for c in cands]
    subsets = [ids[:2], ids[1:], [ids[0], ids[2]], ids]  # the last is over the quota
    results = race(
        [
            (
                lambda s=subsets[i % 4]: decision.decide_units(
                    actor=chair, cycle_pk=cycle.pk, candidacy_ids=s
                )
            )
            for i in range(20)
        ]
    )
    winners = [r for r in results if isinstance(r, FlagshipCycle)]
    assert len(winners) == 1
    assert all(isinstance(r, TransitionError) for r in results if r not in winners)
    units = Candidacy.objects.filter(cycle=cycle, is_unit=True)
    assert 1 <= units.count() <= 2
    assert sorted(units.values_list("unit_rank", flat=True)) == list(range(1, units.count() + 1))


def test_base_cap_holds_under_concurrent_publication(transactional_db, postgres):
    org, cycle, cands, chair = _setup(units=3)
    decision.decide_units(actor=chair, cycle_pk=cycle.pk, candidacy_ids=[c.pk for c in cands])
    FlagshipCycle.objects.filter(pk=cycle.pk).update(base_share_cap=40)  # 40 % of 3: at most 1
    results = race(
        [
            (lambda n=i % 3: decision.publish_awards(actor=chair, cycle_pk=cycle.pk, base_count=n))
            for i in range(20)
        ]
    )
    winners = [r for r in results if isinstance(r, FlagshipCycle)]
    assert len(winners) == 1
    assert all(isinstance(r, TransitionError) for r in results if r not in winners)
    assert Honour.objects.filter(cycle=cycle).count() == 3  # published exactly once
    assert Honour.objects.filter(cycle=cycle, kind="base").count() <= 1
    assert Candidacy.objects.filter(cycle=cycle, is_base=True).count() <= 1


def test_a_ballot_racing_the_close_is_either_counted_or_refused(transactional_db, postgres):
    org, cycle, (a1, _b1), chair = _voting()
    voters = [UserFactory(username=f"voter{i}") for i in range(30)]
    calls = [
        (lambda v=v: decision.cast_ballot(actor=v, cycle_pk=cycle.pk, candidacy_ids=[a1.pk]))
        for v in voters
    ]
    calls.insert(15, lambda: decision.publish_awards(actor=chair, cycle_pk=cycle.pk, base_count=0))
    results = race(calls)
    assert sum(isinstance(r, FlagshipCycle) for r in results) == 1
    accepted = sum(isinstance(r, Ballot) for r in results)
    a1.refresh_from_db()
    # every ballot that got in before the close is in the published count; none after it
    assert a1.vote_count == accepted == Ballot.objects.filter(cycle=cycle).count()


# --- the scoring table (tests/flagship/test_criteria.py) against scores and other editors ---


def test_a_score_racing_an_edit_never_meets_a_changed_table(
    transactional_db, postgres, org, in_review
):
    """On real PostgreSQL connections the cycle's row lock serialises the two: either the score
    comes first and the edit is refused, or the edit comes first and the score, given against
    the old table, is refused. Never both."""
    cycle, a1, _b1 = in_review
    rows = rows_of(cycle, six_good={"max_points": 30}) + [{"name": "实地考察", "max_points": 20}]
    outcomes = race(
        [
            lambda: score(org.users["committee_member"], a1, 45, 45),
            lambda: save(org, cycle, rows),
        ]
    )
    done = [o for o in outcomes if not isinstance(o, Exception)]
    refused = [o for o in outcomes if isinstance(o, ValidationError | FlagshipError)]
    assert len(done) == 1 and len(refused) == 1, outcomes
    if isinstance(done[0], CommitteeScore):
        assert [c[2] for c in table(cycle)] == [Decimal(50), Decimal(50)]
    else:
        assert not CommitteeScore.objects.exists()


def test_concurrent_editors_of_one_version_save_once(transactional_db, postgres, org):
    cycle = new_cycle(org)
    seen = criteria.criteria_version(list(cycle.criteria.all()))
    outcomes = race(
        [
            lambda n=n: save(
                org, cycle, rows_of(cycle, six_good={"max_points": 10 + n}), expected_version=seen
            )
            for n in range(10)
        ]
    )
    assert sum(not isinstance(o, Exception) for o in outcomes) == 1
    assert all(isinstance(o, AlreadyHandled) for o in outcomes if isinstance(o, Exception))
    assert audits(cycle).count() == 1
