"""省级品牌评选 (#18 item 3): the province opens a round (year, quota, window); committees
propose built brands of their subtree and score them; the province decides within the quota
after the window and publishes: the selected brands become provincial-level brands."""

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from brands.acceptance import score_acceptance
from brands.models import BrandApplication, Level, Status
from selection import services
from selection.audit import Action
from selection.models import ProposalStatus, RoundStatus
from tests.brands.test_acceptance import five_force_scores
from tests.clock import local
from tests.factories.brands import BrandApplicationFactory
from workflow.models import AuditEntry
from workflow.transitions import AlreadyHandled, TransitionError

from .conftest import CLOSES, DECIDING, OPENS, YEAR, built

pytestmark = pytest.mark.django_db


def test_only_the_province_opens_one_round_a_year(org, round_):
    assert round_.status == RoundStatus.OPEN and round_.quota == 1
    assert AuditEntry.objects.filter(action=Action.OPENED).count() == 1
    with pytest.raises(ValidationError) as refused:
        services.open_round(
            actor=org.users["admin"], year=YEAR, title="again", quota=2,
            opens_on=OPENS, closes_on=CLOSES,
        )  # fmt: skip
    assert "year" in refused.value.message_dict
    for actor in (org.users["city_reviewer"], org.users["secretary"]):
        with pytest.raises(PermissionDenied):
            services.open_round(
                actor=actor, year=YEAR + 1, title="x", quota=1, opens_on=OPENS, closes_on=CLOSES
            )
    with pytest.raises(ValidationError) as refused:
        services.open_round(
            actor=org.users["province_reviewer"], year=YEAR + 1, title="x", quota=0,
            opens_on=CLOSES, closes_on=OPENS,
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"quota", "closes_on"}


def test_a_committee_proposes_its_subtrees_built_brands_once(org, round_, brands):
    city_a = org.users["city_reviewer"]
    proposal = services.propose(
        actor=city_a, round_pk=round_.pk, application_pk=brands["a1"].pk, reason="示范带动强"
    )
    assert proposal.committee == org.city_a and proposal.unit == org.a1
    with pytest.raises(ValidationError, match="已在本次评选中被推荐"):
        services.propose(
            actor=city_a, round_pk=round_.pk, application_pk=brands["a1"].pk, reason="again"
        )
    with pytest.raises(PermissionDenied):  # city B's brand: another subtree
        services.propose(
            actor=city_a, round_pk=round_.pk, application_pk=brands["b1"].pk, reason="x"
        )
    for actor in (org.users["general_branch_reviewer"], org.users["secretary"]):
        with pytest.raises(PermissionDenied):
            services.propose(
                actor=actor, round_pk=round_.pk, application_pk=brands["a2"].pk, reason="x"
            )
    with pytest.raises(ValidationError) as refused:
        services.propose(
            actor=city_a, round_pk=round_.pk, application_pk=brands["a2"].pk, reason=" "
        )
    assert "reason" in refused.value.message_dict


def test_only_built_brands_not_yet_provincial_may_be_proposed(org, round_):
    implementing = BrandApplicationFactory(
        unit=org.a1, applicant=org.users["secretary"], status=Status.IMPLEMENTING
    )
    provincial = built(org.a2, org.users["secretary"], level=Level.PROVINCIAL)
    # a city committee's own "1" brand (1+N cluster) is not a 支部品牌: never proposed
    committee_one = built(org.city_a, org.users["city_reviewer"])
    for app in (implementing, provincial, committee_one):
        with pytest.raises(services.SelectionError, match="已建成、尚未评为省公司级品牌"):
            services.propose(
                actor=org.users["city_reviewer"], round_pk=round_.pk, application_pk=app.pk,
                reason="x",
            )  # fmt: skip


def test_the_proposal_window_is_the_rounds(org, round_, brands):
    city_a = org.users["city_reviewer"]
    early = time_machine.travel(local(YEAR, 2, 28, 23, 59), tick=False)
    with early, pytest.raises(services.SelectionError, match="推荐将于 2030-03-01 开始"):
        services.propose(
            actor=city_a, round_pk=round_.pk, application_pk=brands["a1"].pk, reason="x"
        )
    with time_machine.travel(local(YEAR, 3, 31, 23, 59, 59), tick=False):  # the last day counts
        proposal = services.propose(
            actor=city_a, round_pk=round_.pk, application_pk=brands["a1"].pk, reason="x"
        )
    with time_machine.travel(local(YEAR, 4, 1, 0, 0), tick=False):
        with pytest.raises(services.SelectionError, match="推荐已于 2030-03-31 截止"):
            services.propose(
                actor=city_a, round_pk=round_.pk, application_pk=brands["a2"].pk, reason="x"
            )
        with pytest.raises(services.SelectionError, match="截止"):
            services.score_proposal(actor=city_a, pk=proposal.pk, score=Decimal(90))


def test_the_acceptance_rate_is_the_basis_and_the_committee_scores(org, round_):
    app = BrandApplicationFactory(
        unit=org.a1, applicant=org.users["secretary"], status=Status.ACCEPTANCE
    )
    score_acceptance(actor=org.users["city_reviewer"], pk=app.pk, scores=five_force_scores("8.5"))
    proposal = services.propose(
        actor=org.users["city_reviewer"], round_pk=round_.pk, application_pk=app.pk, reason="x"
    )
    assert proposal.acceptance_rate == Decimal(85)
    scored = services.score_proposal(
        actor=org.users["city_reviewer"], pk=proposal.pk, score=Decimal("88.5"), note="现场核实"
    )
    assert scored.score == Decimal("88.5") and scored.scored_by == org.users["city_reviewer"]
    entry = AuditEntry.objects.get(action=Action.SCORED)
    assert entry.to_state == "88.5" and "现场核实" in entry.comment
    with pytest.raises(PermissionDenied):  # city B scores only its own proposals
        services.score_proposal(actor=org.rev_b, pk=proposal.pk, score=Decimal(10))
    with pytest.raises(ValidationError):
        services.score_proposal(actor=org.users["city_reviewer"], pk=proposal.pk, score=101)


def test_the_province_decides_after_the_window_within_the_quota(org, round_, proposed):
    province = org.users["province_reviewer"]
    with pytest.raises(services.SelectionError, match="推荐截止（2030-03-31）后"):
        services.decide(actor=province, pk=proposed["a1"].pk, action=Action.SELECT)
    with time_machine.travel(DECIDING, tick=True):
        with pytest.raises(TransitionError):  # the committee does not decide
            services.decide(
                actor=org.users["city_reviewer"], pk=proposed["a1"].pk, action=Action.SELECT
            )
        selected = services.decide(actor=province, pk=proposed["a1"].pk, action=Action.SELECT)
        assert selected.status == ProposalStatus.SELECTED and selected.decided_by == province
        with pytest.raises(services.SelectionError, match="入选名额已满（1 个）"):
            services.decide(actor=province, pk=proposed["b1"].pk, action=Action.SELECT)
        with pytest.raises(TransitionError, match="必须填写意见"):
            services.decide(actor=province, pk=proposed["b1"].pk, action=Action.NOT_SELECT)
        not_selected = services.decide(
            actor=province, pk=proposed["b1"].pk, action=Action.NOT_SELECT, comment="成效一般"
        )
        assert not_selected.decision_reason == "成效一般"
        # a place freed by undoing a decision may be given to another
        services.decide(actor=province, pk=proposed["a1"].pk, action=Action.RECONSIDER)
        services.decide(actor=province, pk=proposed["a2"].pk, action=Action.SELECT)
        with pytest.raises(AlreadyHandled):  # a stale page
            services.decide(
                actor=province, pk=proposed["a2"].pk, action=Action.NOT_SELECT, comment="x",
                expected_version=ProposalStatus.PROPOSED,
            )  # fmt: skip


def test_publishing_makes_the_selected_brands_provincial(org, round_, proposed, brands):
    province = org.users["province_reviewer"]
    with time_machine.travel(DECIDING, tick=True):
        services.decide(actor=province, pk=proposed["a1"].pk, action=Action.SELECT, comment="优")
        refuse = {"action": Action.NOT_SELECT, "comment": "弱"}
        services.decide(actor=province, pk=proposed["a2"].pk, **refuse)
        with pytest.raises(services.SelectionError, match="还有 1 个推荐尚未评定"):
            services.publish_round(actor=province, pk=round_.pk)
        services.decide(actor=province, pk=proposed["b1"].pk, **refuse)
        with pytest.raises(PermissionDenied):
            services.publish_round(actor=org.users["admin"], pk=round_.pk)
        published = services.publish_round(actor=province, pk=round_.pk)
        assert published.status == RoundStatus.PUBLISHED
        levels = dict(BrandApplication.objects.values_list("pk", "level"))
        assert levels[brands["a1"].pk] == Level.PROVINCIAL
        assert levels[brands["a2"].pk] == levels[brands["b1"].pk] == Level.BRANCH
        entry = AuditEntry.objects.get(action="name_provincial")
        assert f"{YEAR}年省公司级品牌评选" in entry.comment and "优" in entry.comment
        with pytest.raises(services.SelectionError, match="已公布"):
            services.decide(actor=province, pk=proposed["a1"].pk, action=Action.RECONSIDER)


def test_nothing_selected_is_not_published(org, round_, proposed):
    province = org.users["province_reviewer"]
    with time_machine.travel(DECIDING, tick=True):
        for proposal in proposed.values():
            services.decide(actor=province, pk=proposal.pk, action=Action.NOT_SELECT, comment="x")
        with pytest.raises(services.SelectionError, match="没有入选的品牌"):
            services.publish_round(actor=province, pk=round_.pk)


def test_the_brand_page_no_longer_offers_the_one_click(client, org, brands):
    client.force_login(org.users["province_reviewer"])
    page = client.get(f"/brands/{brands['a1'].pk}/").content.decode()
    assert "name_provincial" not in page and "评为省公司级品牌" not in page
