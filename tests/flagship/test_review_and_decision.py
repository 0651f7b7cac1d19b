import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from flagship.models import (
    Ballot,
    Candidacy,
    CandidacyStatus,
    FlagshipCycle,
    Honour,
    HonourStatus,
    Obligation,
    Phase,
    Vote,
)
from flagship.selectors import honours_for_units
from flagship.selectors import review as review_selectors
from flagship.selectors import vote as vote_selectors
from flagship.selectors.awards import honoured_unit_ids
from flagship.services import FlagshipError, decision, notice, review
from flagship.services import cycle as cycles
from workflow.models import Notification
from workflow.transitions import AlreadyHandled, TransitionError

from .conftest import YEAR, accept, advance, png_upload, score

pytestmark = pytest.mark.smoke


# --- public notice -----------------------------------------------------------------------


@pytest.fixture
def noticed(org, open_cycle):
    a1, b1 = accept(org, open_cycle, org.a1), accept(org, open_cycle, org.b1)
    return advance(org, open_cycle, "publish_notice"), a1, b1


def test_objections_during_the_notice_handled_by_the_committee(org, noticed):
    cycle, a1, b1 = noticed
    member = org.users["member"]
    objection = notice.file_objection(
        actor=member, candidacy_pk=b1.pk, text="该支部品牌活动材料不实"
    )
    with pytest.raises(FlagshipError, match="尚在处理中"):
        notice.file_objection(actor=member, candidacy_pk=b1.pk, text="再次提出")
    assert Notification.objects.filter(
        recipient=org.users["committee_member"], title__contains="公示异议"
    ).exists()
    # the open objection holds the management phase back
    with pytest.raises(FlagshipError, match="异议未处理"):
        advance(org, cycle, "start_management")
    with pytest.raises(PermissionDenied):
        notice.handle_objection(
            actor=org.users["secretary"], pk=objection.pk, upheld=True, response="x"
        )
    with pytest.raises(ValidationError):
        notice.handle_objection(
            actor=org.users["committee_member"], pk=objection.pk, upheld=True, response=""
        )
    notice.handle_objection(
        actor=org.users["committee_member"],
        pk=objection.pk,
        upheld=True,
        response="经核实，情况属实",
    )
    assert Candidacy.objects.get(pk=b1.pk).status == CandidacyStatus.DISQUALIFIED
    with pytest.raises(AlreadyHandled):
        notice.handle_objection(
            actor=org.users["committee_member"], pk=objection.pk, upheld=False, response="x"
        )
    assert Notification.objects.filter(recipient=member, title__contains="异议成立").exists()
    assert advance(org, cycle, "start_management").phase == Phase.MANAGEMENT
    with pytest.raises(FlagshipError, match="不在公示期"):
        notice.file_objection(actor=member, candidacy_pk=a1.pk, text="晚了")


def test_objections_after_the_notice_days_are_refused(org, noticed):
    cycle, a1, _b1 = noticed
    after = datetime.datetime.combine(
        cycle.notice_ends_on + datetime.timedelta(days=1), datetime.time(10), tzinfo=datetime.UTC
    )
    with pytest.raises(FlagshipError, match="公示已于"):
        notice.file_objection(actor=org.users["member"], candidacy_pk=a1.pk, text="x", now=after)


# --- committee review --------------------------------------------------------------------


def test_members_score_independently_and_once(org, in_review, second_member):
    cycle, a1, _b1 = in_review
    jury = org.users["committee_member"]
    criteria = list(cycle.criteria.all())
    from flagship.selectors.results import latest_results

    suggestions = review.suggested_points(criteria, latest_results(org.a1))
    assert list(suggestions.values()) == [Decimal("46.00"), Decimal("42.50")]  # 92 % and 85 % of 50

    with pytest.raises(PermissionDenied):
        score(org.users["province_reviewer"], a1, 40, 40)
    with pytest.raises(ValidationError, match="0 至 50"):
        score(jury, a1, 51, 40)
    score(jury, a1, 46, 42)
    assert review_selectors.scores_visible_to(second_member, a1) is None  # not scored yet
    assert review_selectors.result_for(second_member, a1) is None
    rows = {r.candidacy.pk: r for r in review_selectors.board(second_member, cycle)}
    assert rows[a1.pk].visible is False and rows[a1.pk].score is None
    with pytest.raises(FlagshipError, match="不可修改"):
        score(jury, a1, 10, 10)
    score(second_member, a1, 30, 30, "亮点不足")
    scores = review_selectors.scores_visible_to(second_member, a1)
    assert sorted(s.total for s in scores) == [Decimal(60), Decimal(88)]
    result = review_selectors.result_for(jury, a1)
    assert (result.count, result.mean, result.median) == (2, Decimal("74.00"), Decimal("74.00"))
    assert result.stdev == Decimal("14.00")  # population standard deviation
    assert result.flagged  # above the default threshold of 10


def test_median_when_configured(org, in_review, second_member):
    cycle, a1, _b1 = in_review
    third = _member(org, cycle, "jury3")
    for user, pts in ((org.users["committee_member"], 45), (second_member, 40), (third, 10)):
        score(user, a1, pts, pts)
    FlagshipCycle.objects.filter(pk=cycle.pk).update(score_aggregate="median")
    cycle.refresh_from_db()
    [row] = [r for r in review_selectors.committee_results(cycle) if r.candidacy.pk == a1.pk]
    assert (row.mean, row.median, row.score) == (
        Decimal("63.33"),
        Decimal("80.00"),
        Decimal("80.00"),
    )


def _member(org, cycle, username):
    from tests.factories import UserFactory, grant

    user = grant(UserFactory(username=username), org.province, "flagship_committee")
    cycles.add_member(actor=org.users["province_reviewer"], cycle_pk=cycle.pk, user=user)
    return user


def test_site_visits_and_veto_checks(org, in_review, second_member):
    cycle, a1, b1 = in_review
    jury = org.users["committee_member"]
    visit = review.record_site_visit(
        actor=jury,
        candidacy_pk=a1.pk,
        visited_on=datetime.date(2026, 11, 1),
        members=[jury, second_member],
        findings="阵地规范，台账齐全",
        photos=[png_upload()],
    )
    assert visit.photos.count() == 1 and set(visit.members.all()) == {jury, second_member}
    with pytest.raises(ValidationError, match="评审委员"):
        review.record_site_visit(
            actor=jury,
            candidacy_pk=a1.pk,
            visited_on=datetime.date(2026, 11, 1),
            members=[org.users["member"]],
            findings="x",
        )
    with pytest.raises(ValidationError, match="核查说明"):
        review.record_veto_check(actor=jury, candidacy_pk=b1.pk, veto_found=True)
    review.record_veto_check(
        actor=jury, candidacy_pk=b1.pk, veto_found=True, note="发生安全责任事故"
    )
    score(jury, b1, 45, 45)
    with pytest.raises(FlagshipError, match="否决事项"):
        decision.decide_units(actor=jury, cycle_pk=cycle.pk, candidacy_ids=[b1.pk])


# --- decision, vote, bases, awards -------------------------------------------------------


def test_units_are_capped_by_the_quota_and_ranked_by_committee_score(org, in_review, second_member):
    cycle, a1, b1 = in_review
    jury = org.users["committee_member"]
    FlagshipCycle.objects.filter(pk=cycle.pk).update(quota=1)
    score(jury, a1, 40, 40)
    score(jury, b1, 48, 48)
    with pytest.raises(TransitionError, match="权限"):
        decision.decide_units(actor=second_member, cycle_pk=cycle.pk, candidacy_ids=[a1.pk])
    with pytest.raises(FlagshipError, match="最多 1 个，您选择了 2 个"):
        decision.decide_units(actor=jury, cycle_pk=cycle.pk, candidacy_ids=[a1.pk, b1.pk])
    FlagshipCycle.objects.filter(pk=cycle.pk).update(quota=20)
    cycle = decision.decide_units(actor=jury, cycle_pk=cycle.pk, candidacy_ids=[a1.pk, b1.pk])
    assert cycle.phase == Phase.VOTING and cycle.vote_closes_at > cycle.vote_opens_at
    ranks = dict(Candidacy.objects.filter(is_unit=True).values_list("unit_id", "unit_rank"))
    assert ranks == {org.b1.pk: 1, org.a1.pk: 2}
    assert Candidacy.objects.get(pk=b1.pk).committee_score == Decimal(96)
    with pytest.raises(FlagshipError, match="当前为公开投票阶段，不能评分"):
        score(second_member, a1, 40, 40)  # scores are closed with the decision


def test_unscored_candidates_cannot_be_named(org, in_review):
    cycle, a1, _b1 = in_review
    with pytest.raises(FlagshipError, match="尚无评委评分"):
        decision.decide_units(
            actor=org.users["committee_member"], cycle_pk=cycle.pk, candidacy_ids=[a1.pk]
        )


def test_every_user_votes_once_for_up_to_k_units(org, voting):
    cycle, a1, b1 = voting
    member = org.users["member"]
    FlagshipCycle.objects.filter(pk=cycle.pk).update(votes_per_member=1)
    with pytest.raises(ValidationError, match="最多可投 1 个单位"):
        decision.cast_ballot(actor=member, cycle_pk=cycle.pk, candidacy_ids=[a1.pk, b1.pk])
    assert not Ballot.objects.exists()  # nothing half-written
    decision.cast_ballot(actor=member, cycle_pk=cycle.pk, candidacy_ids=[a1.pk])
    with pytest.raises(FlagshipError, match="已在本次评选中投过票"):
        decision.cast_ballot(actor=member, cycle_pk=cycle.pk, candidacy_ids=[b1.pk])
    with pytest.raises(ValidationError, match="不在投票名单"):
        decision.cast_ballot(
            actor=org.users["secretary"], cycle_pk=cycle.pk, candidacy_ids=[999999]
        )
    decision.cast_ballot(actor=org.users["secretary"], cycle_pk=cycle.pk, candidacy_ids=[a1.pk])
    tally = {c.pk: c.votes_received for c in vote_selectors.tally(cycle)}
    assert tally == {a1.pk: 2, b1.pk: 0}
    assert vote_selectors.my_choices(member, cycle) == [a1.pk]
    late = cycle.vote_closes_at + datetime.timedelta(seconds=1)
    with pytest.raises(FlagshipError, match="投票已于"):
        decision.cast_ballot(
            actor=org.users["admin"], cycle_pk=cycle.pk, candidacy_ids=[a1.pk], now=late
        )


def test_bases_by_weighting_capped_and_awards_published(client, org, voting):
    cycle, a1, b1 = voting  # committee: A1 90, B1 80
    for username in ("member", "secretary", "city_reviewer"):
        decision.cast_ballot(actor=org.users[username], cycle_pk=cycle.pk, candidacy_ids=[b1.pk])
    decision.cast_ballot(actor=org.users["admin"], cycle_pk=cycle.pk, candidacy_ids=[a1.pk])
    rows, cap = vote_selectors.base_ranking(cycle)
    # vote share: B1 75 %, A1 25 %; weighted (40 % votes): B1 0.4*75+0.6*80=78, A1 0.4*25+0.6*90=64
    assert [(r.candidacy.pk, r.weighted) for r in rows] == [
        (b1.pk, Decimal(78)),
        (a1.pk, Decimal(64)),
    ]
    assert cap == 0  # 30 % of 2 units, rounded down
    jury = org.users["committee_member"]
    with pytest.raises(FlagshipError, match="最多 0 个示范基地"):
        decision.publish_awards(actor=jury, cycle_pk=cycle.pk, base_count=1)
    FlagshipCycle.objects.filter(pk=cycle.pk).update(base_share_cap=Decimal(50))
    cycle = decision.publish_awards(actor=jury, cycle_pk=cycle.pk, base_count=1)
    assert cycle.phase == Phase.AWARDED
    honours = {h.unit_id: h for h in Honour.objects.filter(cycle=cycle)}
    assert honours[org.b1.pk].kind == "base" and honours[org.a1.pk].kind == "unit"
    assert honours[org.b1.pk].certificate_no == "QJ202728-J001"
    assert honours[org.a1.pk].valid_until == cycle.honour_expires_on
    b1.refresh_from_db()
    assert (b1.is_base, b1.vote_count, b1.base_score) == (True, 3, Decimal(78))
    kinds = list(
        Obligation.objects.filter(honour=honours[org.a1.pk]).values_list("kind", flat=True)
    )
    assert kinds.count("research") == 1 and kinds.count("report") >= 4
    assert Notification.objects.filter(recipient=org.sec_b1, title__contains="示范基地").exists()
    with pytest.raises(FlagshipError, match="不在投票期"):
        decision.cast_ballot(
            actor=org.users["province_reviewer"], cycle_pk=cycle.pk, candidacy_ids=[a1.pk]
        )
    badges = honours_for_units([org.a1.pk, org.b1.pk, org.a2.pk])
    assert set(badges) == {org.a1.pk, org.b1.pk}
    assert honoured_unit_ids([org.a1.pk, org.b1.pk, org.a2.pk]) == {org.a1.pk, org.b1.pk}
    assert badges[org.b1.pk][0].label == "旗舰品牌示范基地"
    # The branch page shows the honour.
    client.force_login(org.users["admin"])
    body = client.get(reverse("branches:unit_detail", args=[org.b1.pk])).content.decode()
    assert 'data-testid="flagship-badge"' in body and "旗舰品牌示范基地" in body
    body = client.get(reverse("branches:unit_detail", args=[org.a2.pk])).content.decode()
    assert 'data-testid="flagship-badge"' not in body


def test_honours_expire_by_the_job_and_obligations_are_recorded(org, voting):
    cycle, a1, _b1 = voting
    cycle = decision.publish_awards(
        actor=org.users["committee_member"], cycle_pk=cycle.pk, base_count=0
    )
    honour = Honour.objects.get(unit=org.a1)
    obligation = honour.obligations.get(kind="research")
    with pytest.raises(PermissionDenied):
        decision.fulfil_obligation(actor=org.sec_b1, pk=obligation.pk, note="x")
    decision.fulfil_obligation(
        actor=org.users["secretary"], pk=obligation.pk, note="完成课题《支部品牌与网络运维融合》"
    )
    with pytest.raises(AlreadyHandled):
        decision.fulfil_obligation(actor=org.users["secretary"], pk=obligation.pk, note="again")
    after = datetime.datetime.combine(
        cycle.honour_expires_on + datetime.timedelta(days=1), datetime.time(12), tzinfo=datetime.UTC
    )
    assert decision.expire_honours(after - datetime.timedelta(days=1)) == 0
    assert decision.expire_honours(after) == 2
    assert decision.expire_honours(after) == 0
    assert Honour.objects.get(pk=honour.pk).status == HonourStatus.EXPIRED
    assert honours_for_units([org.a1.pk]) == {}
    assert honoured_unit_ids([org.a1.pk]) == set()


def test_vote_count_is_a_database_count(org, voting, django_assert_max_num_queries):
    cycle, a1, b1 = voting
    decision.cast_ballot(actor=org.users["member"], cycle_pk=cycle.pk, candidacy_ids=[a1.pk, b1.pk])
    with django_assert_max_num_queries(1):
        assert [c.votes_received for c in vote_selectors.tally(cycle)] == [1, 1]
    assert Vote.objects.count() == 2


def test_decision_steps_are_chair_only_and_once(org, voting):
    cycle, a1, _b1 = voting
    with pytest.raises(AlreadyHandled):
        decision.decide_units(
            actor=org.users["committee_member"], cycle_pk=cycle.pk, candidacy_ids=[a1.pk]
        )
    assert cycle.year_start == YEAR
