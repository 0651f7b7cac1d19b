"""省级品牌评选 pages: the permission matrix (role × page × own/other committee) and the list
pages' query counts (the same for 2 rows as for 10)."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from selection import services
from selection.audit import Action
from tests.factories import OrgUnitFactory
from tests.permissions import assert_permission_matrix

from .conftest import CLOSES, DECIDING, OPENS, built

pytestmark = pytest.mark.django_db

ROUND_READERS = {
    "anonymous": 302,
    "member": 403,
    "secretary": 403,
    "general_branch_reviewer": 200,
    "city_reviewer": 200,
    "province_reviewer": 200,
    "committee_member": 403,
    "admin": 200,
}


def test_the_open_round_page_matrix(client, org, round_):
    url = reverse("selection:round", args=[round_.pk])
    assert_permission_matrix(client, org, lambda _unit: url, ROUND_READERS)


def test_the_new_round_page_matrix(client, org):
    assert_permission_matrix(
        client,
        org,
        lambda _unit: reverse("selection:round_new"),
        {**ROUND_READERS, "general_branch_reviewer": 403, "city_reviewer": 403},
    )


def test_scoring_is_the_proposing_committees(client, org, proposed):
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("selection:score", args=[proposed[unit.code.lower()].pk]),
        {
            "anonymous": 302,
            "member": 403,
            "secretary": 403,
            "general_branch_reviewer": 403,
            "city_reviewer": (302, 403),
            "province_reviewer": 403,
            "committee_member": 403,
            "admin": 403,
        },
        method="post",
        data={"score": "90"},
    )


def test_deciding_is_the_provinces(client, org, proposed):
    with time_machine.travel(DECIDING, tick=True):
        assert_permission_matrix(
            client,
            org,
            lambda unit: reverse(
                "selection:decide", args=[proposed[unit.code.lower()].pk, Action.NOT_SELECT]
            ),
            {
                "anonymous": 302,
                "member": 403,
                "secretary": 403,
                "general_branch_reviewer": 403,
                "city_reviewer": 403,
                "province_reviewer": 302,
                "committee_member": 403,
                "admin": 403,
            },
            method="post",
            data={"comment": "成效一般", "expected_version": "proposed"},
        )
    assert {p.status for p in proposed["a1"].round.proposals.all()} >= {"not_selected"}


def test_the_committee_proposes_and_scores_on_the_page(client, org, round_, brands):
    client.force_login(org.users["city_reviewer"])
    url = reverse("selection:round", args=[round_.pk])
    page = client.get(url).content.decode()
    assert f'data-testid="propose-{brands["a1"].pk}"' in page
    assert f'data-testid="propose-{brands["b1"].pk}"' not in page  # city B's
    client.post(
        reverse("selection:propose", args=[round_.pk]),
        {"application": brands["a1"].pk, "reason": "示范带动强"},
    )
    proposal = round_.proposals.get()
    client.post(reverse("selection:score", args=[proposal.pk]), {"score": "91.5"})
    page = client.get(url).content.decode()
    assert f'data-testid="score-{proposal.pk}">91.5<' in page
    client.force_login(org.rev_b)  # city B does not see city A's proposal while open
    assert f'data-testid="proposal-{proposal.pk}"' not in client.get(url).content.decode()


def test_a_published_round_is_read_by_anyone_with_a_role(client, org, round_, proposed):
    province = org.users["province_reviewer"]
    with time_machine.travel(DECIDING, tick=True):
        services.decide(actor=province, pk=proposed["a1"].pk, action=Action.SELECT)
        for key in ("a2", "b1"):
            services.decide(
                actor=province, pk=proposed[key].pk, action=Action.NOT_SELECT, comment="x"
            )
        client.force_login(province)
        client.post(reverse("selection:publish", args=[round_.pk]))
    client.force_login(org.users["secretary"])
    page = client.get(reverse("selection:round", args=[round_.pk]))
    assert page.status_code == 200 and 'data-testid="status-' in page.content.decode()
    assert round_.title in client.get(reverse("selection:rounds")).content.decode()


def test_a_bad_new_round_keeps_what_was_typed(client, org, round_):
    client.force_login(org.users["province_reviewer"])
    response = client.post(
        reverse("selection:round_new"),
        {"year": round_.year, "title": "重复的评选", "quota": 3,
         "opens_on": OPENS.isoformat(), "closes_on": CLOSES.isoformat()},
    )  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert "重复的评选" in body and "已发起省级品牌评选" in body


# --- query counts ---------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _more_brands(org, n):
    for _ in range(n):
        built(OrgUnitFactory(parent=org.city_a), org.users["secretary"])


def test_the_round_list_reads_a_constant_number_of_queries(client, org):
    province = org.users["province_reviewer"]
    client.force_login(province)
    url = reverse("selection:rounds")

    def rounds(years):
        for year in years:
            services.open_round(
                actor=province, year=year, title=f"{year}", quota=1,
                opens_on=OPENS.replace(year=year), closes_on=CLOSES.replace(year=year),
            )  # fmt: skip

    rounds(range(2040, 2042))
    two = _queries(client, url)
    rounds(range(2042, 2050))
    assert _queries(client, url) == two


@pytest.mark.parametrize("who", ["province_reviewer", "city_reviewer"])
def test_the_round_page_reads_a_constant_number_of_queries(client, org, round_, who):
    client.force_login(org.users[who])
    url = reverse("selection:round", args=[round_.pk])
    _more_brands(org, 2)
    city_a = org.users["city_reviewer"]

    def propose_all():
        for app in services.provincial_candidates().exclude(
            pk__in=round_.proposals.values("application_id")
        ):
            proposal = services.propose(
                actor=city_a, round_pk=round_.pk, application_pk=app.pk, reason="x"
            )
            services.score_proposal(actor=city_a, pk=proposal.pk, score=80)

    propose_all()
    _more_brands(org, 2)  # two candidates left to propose
    two = _queries(client, url)
    _more_brands(org, 8)
    propose_all()
    _more_brands(org, 8)
    assert _queries(client, url) == two
    with time_machine.travel(DECIDING, tick=True):
        client.force_login(org.users[who])
        deciding = _queries(client, url)
        _more_brands(org, 3)
        assert _queries(client, url) == deciding


def test_the_province_sees_when_it_may_decide_and_the_best_scored_first(client, org, proposed):
    services.score_proposal(actor=org.rev_b, pk=proposed["b1"].pk, score=95)
    services.score_proposal(actor=org.users["city_reviewer"], pk=proposed["a2"].pk, score=70)
    client.force_login(org.users["province_reviewer"])
    round_ = proposed["a1"].round
    response = client.get(reverse("selection:round", args=[round_.pk]))
    assert "推荐截止（2030-03-31）后，省公司方可评定。" in response.content.decode()
    order = [p.pk for p in response.context["proposals"]]
    assert order == [proposed["b1"].pk, proposed["a2"].pk, proposed["a1"].pk]  # unscored last
