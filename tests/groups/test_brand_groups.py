"""品牌党小组评选: at the year's end the branch proposes one or two of its groups from the year's
published quarterly results (never a vetoed one); the reviewer above confirms or declines with
a reason; the honour shows on the group's brand card. Instants derive from the year under test."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups import services
from groups.models import BrandGroupNomination, GroupAssessment, NominationStatus
from groups.quarters import Quarter
from groups.services.assessment import field_name
from tests.clock import local
from tests.factories import PartyGroupFactory, UserFactory
from tests.permissions import LOGIN, assert_permission_matrix
from workflow.models import AuditEntry

pytestmark = pytest.mark.django_db

YEAR = 2026
Q4 = Quarter(YEAR, 4)
#: The branch proposes on the first working morning after the year's last quarter.
PROPOSING = local(Q4.publishes_from.year, 1, 5, 10)


def at(day: datetime.date, hour=10):
    return local(day.year, day.month, day.day, hour)


def publish_quarter(org, quarter, clock, *, points="10", veto_group=None):
    """Start and publish `quarter` for A1's groups through the services (every typed item
    `points`; `veto_group` vetoed)."""
    secretary = org.users["secretary"]
    clock.move_to(at(quarter.publishes_from))
    services.start_quarter(actor=secretary, branch=org.a1, quarter=quarter)
    for a in GroupAssessment.objects.filter(
        branch=org.a1, year=quarter.year, quarter=quarter.number
    ):
        values = {}
        for s in a.scores.select_related("indicator"):
            if s.indicator.kind == "veto":
                values[field_name(s.indicator_id)] = a.group_id == getattr(veto_group, "pk", None)
            elif s.system_points is None:
                values[field_name(s.indicator_id)] = points
        services.submit_scores(actor=secretary, assessment_id=a.pk, values=values)


@pytest.fixture
def year_published(org, roster, clock):
    publish_quarter(org, Quarter(YEAR, 3), clock)
    clock.move_to(PROPOSING)
    return roster


def propose(org, group, **kw):
    return services.propose(
        actor=kw.pop("actor", org.users["secretary"]),
        group=group,
        year=kw.pop("year", YEAR),
        reason=kw.pop("reason", "政治表现突出，小组活动扎实"),
    )


def test_nominable_years_follow_the_year_end():
    assert services.nominable_years(Q4.opens_on - datetime.timedelta(days=1)) == [YEAR - 1]
    assert services.nominable_years(Q4.opens_on) == [YEAR, YEAR - 1]
    assert services.nominable_years(Q4.publishes_from) == [YEAR]
    assert services.nominable_years(datetime.date(YEAR + 1, 12, 31)) == [YEAR + 1, YEAR]


def test_the_branch_proposes_and_the_reviewer_above_confirms(org, year_published):
    nomination = propose(org, year_published.g1)
    assert (nomination.status, nomination.rank, nomination.quarters) == ("proposed", 1, 1)
    assert nomination.accumulated == GroupAssessment.objects.get(group=year_published.g1).total
    with pytest.raises(PermissionDenied):  # the branch does not confirm itself
        services.decide(actor=org.users["secretary"], nomination_id=nomination.pk, confirm=True)
    with pytest.raises(PermissionDenied):  # nor a sibling city's reviewer
        services.decide(actor=org.rev_b, nomination_id=nomination.pk, confirm=True)
    services.decide(actor=org.users["city_reviewer"], nomination_id=nomination.pk, confirm=True)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.CONFIRMED
    actions = AuditEntry.objects.filter(unit=org.a1).values_list("action", flat=True)
    assert {"brand_group_proposed", "brand_group_decided"} <= set(actions)
    with pytest.raises(services.NominationError):
        services.decide(
            actor=org.users["city_reviewer"], nomination_id=nomination.pk, confirm=False
        )


def test_at_most_two_per_branch_and_year(org, roster, clock):
    PartyGroupFactory(branch=org.a1, name="运维三组")
    publish_quarter(org, Quarter(YEAR, 3), clock)
    clock.move_to(PROPOSING)
    for group in (roster.g1, roster.g2):
        propose(org, group)
    third = GroupAssessment.objects.get(group__name="运维三组").group
    with pytest.raises(services.NominationError, match="至多推荐 2 个"):
        propose(org, third)
    with pytest.raises(services.NominationError, match="已推荐过"):
        propose(org, roster.g1)


def test_a_declined_group_may_be_proposed_again_and_frees_its_place(org, year_published):
    nomination = propose(org, year_published.g1)
    with pytest.raises(ValidationError):
        services.decide(
            actor=org.users["city_reviewer"], nomination_id=nomination.pk, confirm=False
        )
    services.decide(
        actor=org.users["city_reviewer"],
        nomination_id=nomination.pk,
        confirm=False,
        note="材料不足",
    )
    again = propose(org, year_published.g1, reason="补充了全年活动材料")
    assert again.pk == nomination.pk and again.status == "proposed" and not again.decision_note


def test_refusals(org, roster, clock):
    publish_quarter(org, Quarter(YEAR, 3), clock, veto_group=roster.g2)
    clock.move_to(at(Q4.opens_on - datetime.timedelta(days=1)))
    with pytest.raises(services.NominationError, match="12月1日至次年年底"):
        propose(org, roster.g1)
    clock.move_to(PROPOSING)
    with pytest.raises(services.NominationError, match="一票否决"):
        propose(org, roster.g2)
    with pytest.raises(services.NominationError, match="12月1日至次年年底"):
        propose(org, roster.g1, year=YEAR - 1)
    with pytest.raises(services.NominationError, match="尚无公布"):
        propose(org, PartyGroupFactory(branch=org.a1, name="新设小组"))
    with pytest.raises(ValidationError):
        propose(org, roster.g1, reason=" ")
    with pytest.raises(PermissionDenied):
        propose(org, roster.b_group, actor=org.users["secretary"])
    assert not BrandGroupNomination.objects.exists()


# --- pages ---------------------------------------------------------------------------------------

#: The queue is for reviewers: their own subtree's proposals (sibling proposals are not listed).
QUEUE = {
    "anonymous": LOGIN,
    "member": 403,
    "secretary": 403,
    "general_branch_reviewer": 200,
    "city_reviewer": 200,
    "province_reviewer": 200,
    "committee_member": 403,
    "admin": 403,
}
#: Deciding: a reviewer strictly above the branch (A1 own, B1 other).
DECIDERS = {
    "anonymous": LOGIN,
    "member": 403,
    "secretary": 403,
    "general_branch_reviewer": (302, 403),
    "city_reviewer": (302, 403),
    "province_reviewer": 302,
    "committee_member": 403,
    "admin": 403,
}


def test_queue_matrix(client, org, year_published):
    assert_permission_matrix(client, org, lambda _unit: reverse("groups:brand_groups"), QUEUE)


def test_decide_matrix(client, org, year_published):
    nominations = {"own": propose(org, year_published.g1)}
    # a sibling branch's proposal, written straight to the table
    nominations["other"] = BrandGroupNomination.objects.create(
        branch=org.b1,
        group=year_published.b_group,
        year=YEAR,
        accumulated=50,
        rank=1,
        quarters=1,
        reason="好",
        proposed_by=org.sec_b1,
        proposed_at=PROPOSING,
    )
    # every POST declines without a note: refused (back to the queue), the state unchanged
    assert_permission_matrix(
        client,
        org,
        lambda n: reverse("groups:brand_group_decide", args=[n.pk]),
        DECIDERS,
        method="post",
        data={"confirm": "0", "note": ""},
        own=nominations["own"],
        other=nominations["other"],
    )
    assert BrandGroupNomination.objects.filter(status="proposed").count() == 2


def test_the_queue_lists_its_subtree_and_reads_constant_queries(client, org, year_published):
    reviewer = org.users["city_reviewer"]
    client.force_login(reviewer)
    url = reverse("groups:brand_groups")
    propose(org, year_published.g1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    propose(org, year_published.g2)
    for n in range(6):
        group = PartyGroupFactory(branch=org.a1, name=f"新组{n}")
        BrandGroupNomination.objects.create(
            branch=org.a1,
            group=group,
            year=YEAR - 1,
            accumulated=60,
            rank=n + 1,
            quarters=4,
            reason="好",
            proposed_by=org.users["secretary"],
            proposed_at=PROPOSING,
        )
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert len(many) == len(few)
    assert body.count('data-testid="nomination-') == 8
    client.force_login(org.rev_b)
    assert 'data-testid="nomination-' not in client.get(url).content.decode()


def test_propose_and_confirm_on_the_pages_and_the_card_shows_it(client, org, year_published):
    year_published.zhao.user = UserFactory(username="zhao")
    year_published.zhao.save()
    client.force_login(org.users["secretary"])
    listing = reverse("groups:assessments", args=[org.a1.pk]) + f"?q={YEAR}-4"
    assert 'data-testid="nominate-form"' in client.get(listing).content.decode()
    response = client.post(
        reverse("groups:brand_group_propose", args=[org.a1.pk]),
        {"year": YEAR, "group": year_published.g2.pk, "reason": "小组活动组织出色"},
    )
    assert response.status_code == 302
    nomination = BrandGroupNomination.objects.get()
    client.force_login(org.users["general_branch_reviewer"])
    decide = reverse("groups:brand_group_decide", args=[nomination.pk])
    assert client.post(decide, {"confirm": "1", "note": ""}).status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == "confirmed"
    client.force_login(year_published.zhao.user)  # a member of 运维二组
    card = client.get(reverse("groups:group", args=[year_published.g2.pk])).content.decode()
    assert 'data-testid="brand-group-honours"' in card and f"{YEAR}年度品牌党小组" in card


def test_the_reviewers_above_and_then_the_secretary_are_notified(org, year_published):
    from workflow.models import Notification

    nomination = propose(org, year_published.g1)
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"rev_ga", "rev_a"}  # general branch and city reviewers, not B's
    services.decide(actor=org.users["city_reviewer"], nomination_id=nomination.pk, confirm=True)
    latest = Notification.objects.latest("pk")
    assert latest.recipient == org.users["secretary"] and "品牌党小组" in latest.title


def test_a_waiting_proposal_is_on_the_reviewers_dashboard_until_decided(
    client, org, year_published
):
    """The reviewers above find the proposals from their 工作台 (not only from the
    notification); another city's reviewer sees no such queue."""
    nomination = propose(org, year_published.g1)
    client.force_login(org.users["city_reviewer"])
    page = client.get(reverse("dashboard")).content.decode()
    assert "品牌党小组待确认" in page and reverse("groups:brand_groups") in page
    client.force_login(org.rev_b)
    assert "品牌党小组待确认" not in client.get(reverse("dashboard")).content.decode()
    services.decide(actor=org.users["city_reviewer"], nomination_id=nomination.pk, confirm=True)
    client.force_login(org.users["city_reviewer"])
    assert "品牌党小组待确认" not in client.get(reverse("dashboard")).content.decode()
