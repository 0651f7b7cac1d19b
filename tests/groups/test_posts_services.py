"""Pioneer posts (党员先锋示范岗): named for the branch's own members, checked during the term,
reviewed each half year with renew / commend / withdraw; every change audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from groups import services
from groups.models import PostKind, PostOutcome, PostStatus
from workflow.models import AuditEntry

from .conftest import name_post

pytestmark = pytest.mark.django_db


def review(org, post, **overrides):
    data = {
        "half": "2026H1",
        "department_opinion": "带头抢修，客户表扬",
        "committee_opinion": "同意",
        "led_by_example": True,
        "outcome": PostOutcome.RENEW,
    }
    data.update(overrides)
    return services.review_post(actor=org.users["secretary"], post_id=post.pk, **data)


def test_naming_a_post_is_audited_on_the_branch(org, post):
    entry = AuditEntry.objects.get(action="pioneer_post_named")
    assert entry.unit_id == org.a1.pk
    assert entry.actor == org.users["secretary"]
    assert post.status == PostStatus.ACTIVE


def test_a_member_of_another_branch_cannot_hold_the_post(org, roster):
    with pytest.raises(ValidationError) as caught:
        name_post(
            org,
            roster.sun,  # B1's member
            kind=PostKind.ZONE,
            title="责任区",
            commitment="—",
            term_end=datetime.date(2026, 6, 30),
        )
    assert "本支部在册党员" in str(caught.value.message_dict["member"])


def test_a_term_that_ends_before_it_starts_is_refused_at_the_field(org, roster):
    with pytest.raises(ValidationError) as caught:
        name_post(
            org,
            roster.li,
            kind=PostKind.TEAM,
            title="先锋队",
            commitment="—",
            term_start=datetime.date(2026, 6, 30),
            term_end=datetime.date(2026, 1, 1),
        )
    assert "term_end" in caught.value.message_dict


@pytest.mark.parametrize("role", ["city_reviewer", "province_reviewer", "member"])
def test_only_the_branch_keeper_names_posts(org, roster, role):
    with pytest.raises(PermissionDenied):
        name_post(
            org,
            roster.li,
            actor=org.users[role],
            title="x",
            commitment="x",
            term_end=datetime.date(2026, 6, 30),
        )


def test_a_spot_check_is_recorded_inside_the_term_and_not_ahead(org, post):
    check = services.record_spot_check(
        actor=org.users["secretary"],
        post_id=post.pk,
        checked_on=datetime.date(2026, 9, 1),
        finding="在岗，承诺落实",
    )
    assert check.checked_by == org.users["secretary"]
    with pytest.raises(ValidationError) as ahead:
        services.record_spot_check(
            actor=org.users["secretary"],
            post_id=post.pk,
            checked_on=datetime.date(2026, 9, 16),  # tomorrow at NOW
            finding="x",
        )
    assert "checked_on" in ahead.value.message_dict
    assert AuditEntry.objects.filter(action="pioneer_post_spot_check").count() == 1


def test_commending_counts_and_renews_to_the_end_of_the_next_half(org, post):
    post.term_end = datetime.date(2026, 6, 30)
    post.save()
    review(org, post, outcome=PostOutcome.COMMEND)
    post.refresh_from_db()
    assert post.commendations == 1
    assert post.term_end == datetime.date(2026, 12, 31)
    assert post.status == PostStatus.ACTIVE


def test_a_post_that_did_not_lead_by_example_cannot_be_commended(org, post):
    with pytest.raises(ValidationError) as caught:
        review(org, post, led_by_example=False, outcome=PostOutcome.COMMEND)
    assert "outcome" in caught.value.message_dict
    assert not post.reviews.exists()


def test_one_review_per_half_year(org, post):
    review(org, post)
    with pytest.raises(services.PostError, match="2026H1"):
        review(org, post, outcome=PostOutcome.COMMEND)
    assert post.reviews.count() == 1


def test_only_the_current_or_last_half_can_be_reviewed(org, post):
    with pytest.raises(ValidationError) as caught:
        review(org, post, half="2025H2")
    assert "half" in caught.value.message_dict


def test_withdrawing_ends_the_post_and_its_checks(org, post):
    review(org, post, led_by_example=False, outcome=PostOutcome.WITHDRAW)
    post.refresh_from_db()
    assert post.status == PostStatus.WITHDRAWN
    assert AuditEntry.objects.filter(action="pioneer_post_withdrawn").exists()
    with pytest.raises(services.PostError):
        services.record_spot_check(
            actor=org.users["secretary"],
            post_id=post.pk,
            checked_on=datetime.date(2026, 9, 1),
            finding="x",
        )
