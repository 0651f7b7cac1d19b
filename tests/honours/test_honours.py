"""推先表彰: a round lists the top of a period's published province ranking (vetoed never, ties
at the cut all), the province leaves units out or puts them back with a reason, publishes and
the honoured units' secretaries are told; the honours show on the unit's page. Who may do what,
as a matrix; the list pages read a fixed number of queries."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from branches.models import Role
from evaluation.models import Assessment
from honours import services
from honours.models import Honour, HonourRound
from tests.evaluation.conftest import make_period, publish_all
from tests.factories import UserFactory, grant
from workflow.models import AuditEntry, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(org):
    return publish_all(org, make_period(org, name="2026年度考评"))  # A1 1st, A2 2nd, B1 3rd


def propose(org, period, quota=2, who="province_reviewer"):
    return services.propose_round(
        actor=org.users[who], period=period, title="2026年度先进党支部", quota=quota
    )


def listed(round_):
    return [(h.unit.code, h.rank) for h in round_.honours.filter(included=True).order_by("rank")]


def test_a_round_lists_the_top_of_the_ranking(org, period):
    round_ = propose(org, period)
    assert listed(round_) == [("A1", 1), ("A2", 2)]
    assert AuditEntry.objects.filter(object_id=round_.pk, action="honour_round_proposed").exists()


def test_a_vetoed_result_is_never_proposed_and_ties_at_the_cut_all_are(org, period):
    Assessment.objects.filter(period=period, unit=org.a1).update(is_vetoed=True)
    assert listed(propose(org, period, quota=1)) == [("A2", 2)]
    Assessment.objects.filter(period=period, unit=org.b1).update(rank_province=2)
    assert {c for c, _r in listed(propose(org, period, quota=1))} == {"A2", "B1"}


def test_leaving_out_needs_a_reason_and_publishing_tells_the_listed_only(org, period):
    round_ = propose(org, period)
    a2 = round_.honours.get(unit=org.a2)
    province = org.users["province_reviewer"]
    with pytest.raises(ValidationError):
        services.set_included(
            actor=province, round_pk=round_.pk, pk=a2.pk, included=False, reason=" "
        )
    services.set_included(
        actor=province, round_pk=round_.pk, pk=a2.pk, included=False, reason="年内发生安全事故"
    )
    assert listed(round_) == [("A1", 1)]
    services.publish_round(actor=province, pk=round_.pk)
    round_.refresh_from_db()
    assert round_.status == "published" and round_.published_by == province
    told = set(
        Notification.objects.filter(title__contains="先进党支部").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {org.users["secretary"].username}  # A1's; A2 was left out
    with pytest.raises(ValidationError, match="名单已公布"):
        services.set_included(
            actor=province, round_pk=round_.pk, pk=a2.pk, included=True, reason="复核"
        )


@pytest.mark.parametrize(
    ("who", "may"),
    [
        ("province_reviewer", True),
        ("admin", True),
        ("city_reviewer", False),
        ("secretary", False),
        ("member", False),
    ],
)
def test_who_proposes_and_adjusts(org, period, who, may):
    if not may:
        with pytest.raises(PermissionDenied):
            propose(org, period, who=who)
        round_ = propose(org, period)
        with pytest.raises(PermissionDenied):
            services.publish_round(actor=org.users[who], pk=round_.pk)
        return
    round_ = propose(org, period, who=who)
    services.publish_round(actor=org.users[who], pk=round_.pk)


@pytest.mark.parametrize(
    ("who", "draft", "published"),
    [
        ("province_reviewer", 200, 200),
        ("admin", 200, 200),
        ("city_reviewer", 403, 200),
        ("secretary", 403, 200),
        ("member", 403, 403),  # no role in the portal's programme
    ],
)
def test_who_reads_a_round(client, org, period, who, draft, published):
    round_ = propose(org, period)
    client.force_login(org.users[who])
    url = reverse("honours:round", args=[round_.pk])
    assert client.get(url).status_code == draft
    services.publish_round(actor=org.users["province_reviewer"], pk=round_.pk)
    assert client.get(url).status_code == published
    listing = client.get(reverse("honours:rounds")).content.decode()
    assert (round_.title in listing) == (published == 200)


def test_a_draft_is_listed_only_to_managers_whose_scope_holds_its_period(client, org, period):
    """An administrator of one city manages periods, but not the province's: the province's
    draft round is neither listed to them nor opened; once published, both."""
    round_ = propose(org, period)
    city_admin = grant(UserFactory(username="city_a_admin"), org.city_a, Role.ADMIN)
    client.force_login(city_admin)
    assert round_.title not in client.get(reverse("honours:rounds")).content.decode()
    assert client.get(reverse("honours:round", args=[round_.pk])).status_code == 403
    client.force_login(org.users["province_reviewer"])
    assert round_.title in client.get(reverse("honours:rounds")).content.decode()
    services.publish_round(actor=org.users["province_reviewer"], pk=round_.pk)
    client.force_login(city_admin)
    assert round_.title in client.get(reverse("honours:rounds")).content.decode()


def test_the_province_proposes_adjusts_and_publishes_on_the_pages(client, org, period):
    client.force_login(org.users["province_reviewer"])
    form = reverse("honours:round_new")
    bad = client.post(form, {"title": "年度先进", "period": period.pk, "quota": 0})
    assert bad.status_code == 400 and "确保该值大于或等于1" in bad.content.decode()
    done = client.post(form, {"title": "年度先进", "period": period.pk, "quota": 2})
    round_ = HonourRound.objects.get(title="年度先进")
    assert done.url == reverse("honours:round", args=[round_.pk])
    a2 = round_.honours.get(unit=org.a2)
    adjust = reverse("honours:adjust", args=[round_.pk, a2.pk])
    client.post(adjust, {"included": "0", "reason": ""})
    assert Honour.objects.get(pk=a2.pk).included  # no reason: nothing changed
    client.post(adjust, {"included": "0", "reason": "未完成整改"})
    assert not Honour.objects.get(pk=a2.pk).included
    client.post(reverse("honours:publish", args=[round_.pk]))
    page = client.get(reverse("branches:unit_detail", args=[org.a1.pk])).content.decode()
    assert 'data-testid="unit-honours"' in page and "年度先进" in page
    page = client.get(reverse("branches:unit_detail", args=[org.a2.pk])).content.decode()
    assert 'data-testid="unit-honours"' not in page


def test_a_period_without_a_ranking_cannot_be_chosen(client, org, period):
    unranked = make_period(
        org,
        starts=period.starts_on.replace(year=period.starts_on.year - 1),
        ends=period.ends_on.replace(year=period.ends_on.year - 1),
        name="未发布的周期",
    )
    client.force_login(org.users["province_reviewer"])
    response = client.post(
        reverse("honours:round_new"), {"title": "x", "period": unranked.pk, "quota": 3}
    )
    assert response.status_code == 400 and not HonourRound.objects.exists()


@pytest.mark.parametrize("n", [1, 4])
def test_list_pages_read_the_same_queries(client, org, period, n, django_assert_max_num_queries):
    rounds = [propose(org, period, quota=3) for _ in range(n)]
    client.force_login(org.users["province_reviewer"])
    client.get(reverse("honours:rounds"))  # warm the session and role caches
    with django_assert_max_num_queries(8):
        assert client.get(reverse("honours:rounds")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("honours:round", args=[rounds[-1].pk])).status_code == 200
