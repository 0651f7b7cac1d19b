"""Pairing (结对帮扶) for provincial brands and demonstration units, followed on both pages
(issue #18, item 3; brands/pairing.py, `rules.may_pair`, `rules.is_demonstration_unit`)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from branches.models import Role
from brands import lifecycle, pairing
from brands.models import Level, Pairing, PairingNote, Status
from brands.rules import is_demonstration_unit, may_pair
from brands.services import BrandError
from flagship.models import Honour
from tests.factories import (
    BrandApplicationFactory,
    CandidacyFactory,
    OrgUnitFactory,
    UserFactory,
    grant,
)
from tests.flagship.conftest import publish_result
from workflow.models import AuditEntry

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
LONG_AGO = TODAY - datetime.timedelta(days=60)


def brand(org, unit, status=Status.BUILT, **fields):
    return BrandApplicationFactory(
        unit=unit, applicant=org.users["secretary"], status=status, **fields
    )


def honour(org, unit, *, valid_until=None, kind="unit"):
    """A flagship honour (示范单位 / 示范基地) for `unit`, with its built brand."""
    candidacy = CandidacyFactory(unit=unit, applicant=org.users["secretary"])
    return Honour.objects.create(
        cycle=candidacy.cycle,
        candidacy=candidacy,
        unit=unit,
        kind=kind,
        certificate_no=f"QJ-{unit.code}-{kind}",
        awarded_on=LONG_AGO,
        valid_until=valid_until or TODAY + datetime.timedelta(days=365),
    )


@pytest.fixture
def provincial(org):
    return brand(org, org.a1, Status.BUILT, level=Level.PROVINCIAL, name="红色引擎")


@pytest.fixture
def demo(org):
    """B1 is a demonstration unit; its built brand (branch level) pairs too."""
    return honour(org, org.b1).candidacy.brand


def pair(actor, application, partner, started_on=LONG_AGO):
    return lifecycle.add_pairing(
        actor=actor, application=application, partner=partner, started_on=started_on
    )


# --- who may pair ----------------------------------------------------------------------------


def test_demonstration_unit_is_a_valid_flagship_honour(org):
    assert not is_demonstration_unit(org.b1) and not is_demonstration_unit(None)
    h = honour(org, org.b1)
    assert is_demonstration_unit(org.b1)
    assert is_demonstration_unit(org.b1, today=h.valid_until)
    assert not is_demonstration_unit(org.b1, today=h.valid_until + datetime.timedelta(days=1))
    Honour.objects.filter(pk=h.pk).update(status="expired")
    assert not is_demonstration_unit(org.b1)


def test_provincial_brands_and_demonstration_units_pair_others_do_not(org, provincial, demo):
    assert may_pair(provincial) and may_pair(demo)
    partner_b = OrgUnitFactory(parent=org.city_b, name="乙市营业党支部")
    p = pair(org.sec_b1, demo, partner_b)
    assert (p.application, p.partner) == (demo, partner_b)
    plain = brand(org, org.a2, Status.BUILT, name="市场尖兵")
    assert not may_pair(plain)
    with pytest.raises(BrandError, match="只有省公司级品牌和示范单位的品牌"):
        pair(org.users["province_reviewer"], plain, OrgUnitFactory(parent=org.city_a))


def test_a_base_counts_and_an_expired_honour_does_not(org):
    h = honour(org, org.b1, kind="base")
    assert may_pair(h.candidacy.brand)
    Honour.objects.filter(pk=h.pk).update(valid_until=YESTERDAY)
    assert not may_pair(h.candidacy.brand)


# --- the partner's progress ------------------------------------------------------------------


def test_progress_follows_the_partner_brand_and_its_latest_result(org, provincial):
    pair(org.users["secretary"], provincial, org.a2)
    (progress,) = pairing.pairings_of(provincial)
    assert (progress.stage, progress.result) == ("none", None)
    partner_brand = brand(org, org.a2, Status.DRAFT, name="市场尖兵")
    stages = []
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.RETURNED, Status.IMPLEMENTING):
        partner_brand.status = status
        partner_brand.save()
        stages.append(pairing.pairings_of(provincial)[0].stage)
    partner_brand.status = Status.BUILT
    partner_brand.save()
    stages.append(pairing.pairings_of(provincial)[0].stage_label)
    assert stages == ["none", "filed", "filed", "approved", "品牌已建成"]

    publish_result(org.a2, "six-good", 70, ends=datetime.date(2026, 6, 30), name="2026年6月六好")
    publish_result(org.a2, "six-good", 88, ends=datetime.date(2026, 7, 31), name="2026年7月六好")
    publish_result(org.a2, "brand-five-forces", 50)  # another table: not this result
    (progress,) = pairing.pairings_with(org.a2)
    assert (progress.result.period_name, progress.result.total) == ("2026年7月六好", 88)
    assert progress.pairing.application == provincial


# --- follow-up notes --------------------------------------------------------------------------


def test_notes_are_dated_and_audited(org, provincial):
    p = pair(org.users["secretary"], provincial, org.a2)
    note = pairing.add_note(
        actor=org.users["secretary"], pairing=p, date=YESTERDAY, text="  指导撰写品牌申报书  "
    )
    assert (note.text, note.created_by) == ("指导撰写品牌申报书", org.users["secretary"])
    assert AuditEntry.objects.filter(action="add_pairing_note", unit=org.a1).exists()
    for date, text, field in (
        (TODAY + datetime.timedelta(days=1), "明天", "date"),
        (LONG_AGO - datetime.timedelta(days=1), "结对之前", "date"),
        (TODAY, "   ", "text"),
    ):
        with pytest.raises(ValidationError) as refused:
            pairing.add_note(actor=org.users["secretary"], pairing=p, date=date, text=text)
        assert field in refused.value.message_dict
    pairing.remove_note(actor=org.users["secretary"], note=note)
    assert not PairingNote.objects.exists()
    assert AuditEntry.objects.filter(action="delete_pairing_note").count() == 1


#: Who writes follow-up notes on A1's pairing: its holder (A1's secretary, or a secretary
#: above it) — not the partner, not reviewers, not another city.
NOTE_MATRIX = {
    "secretary": True,
    "sec_city_a": True,
    "sec_b1": False,
    "sec_partner": False,
    "general_branch_reviewer": False,
    "city_reviewer": False,
    "province_reviewer": False,
    "member": False,
}


@pytest.mark.parametrize("role", NOTE_MATRIX)
def test_note_permission_matrix(client, org, provincial, role):
    org.sec_city_a = grant(UserFactory(username="sec_city_a"), org.city_a, Role.SECRETARY)
    org.sec_partner = grant(UserFactory(username="sec_a2"), org.a2, Role.SECRETARY)
    user = getattr(org, role, None) or org.users[role]
    p = pair(org.users["province_reviewer"], provincial, org.a2)
    allowed = NOTE_MATRIX[role]
    client.force_login(user)
    response = client.post(
        reverse("brands:add_pairing_note", args=[p.pk]),
        {"date": YESTERDAY.isoformat(), "text": "上门指导"},
    )
    assert response.status_code == (302 if allowed else 403)
    assert PairingNote.objects.exists() is allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            pairing.add_note(actor=user, pairing=p, date=YESTERDAY, text="x")
        note = pairing.add_note(actor=org.users["secretary"], pairing=p, date=YESTERDAY, text="x")
        url = reverse("brands:delete_pairing_note", args=[note.pk])
        assert client.post(url).status_code == 403
        assert PairingNote.objects.filter(pk=note.pk).exists()
    else:
        url = reverse("brands:delete_pairing_note", args=[PairingNote.objects.get().pk])
        assert client.post(url).status_code == 302
        assert not PairingNote.objects.exists()


def test_an_invalid_note_keeps_what_was_typed(client, org, provincial):
    p = pair(org.users["secretary"], provincial, org.a2)
    client.force_login(org.users["secretary"])
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("brands:add_pairing_note", args=[p.pk]), {"date": tomorrow, "text": "计划走访"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "跟进日期不能晚于今天" in body and "计划走访" in body
    assert not PairingNote.objects.exists()


# --- both pages ------------------------------------------------------------------------------


def test_the_pairing_shows_on_both_pages(client, org, provincial):
    p = pair(org.users["secretary"], provincial, org.a2)
    pairing.add_note(actor=org.users["secretary"], pairing=p, date=YESTERDAY, text="指导提炼品牌")
    brand(org, org.a2, Status.IN_REVIEW, name="市场尖兵")
    publish_result(org.a2, "six-good", 91, name="2026年度六好")

    client.force_login(org.users["secretary"])
    body = client.get(reverse("brands:lifecycle", args=[provincial.pk])).content.decode()
    assert "甲市市场部党支部" in body and "已申报品牌" in body and "指导提炼品牌" in body
    assert "2026年度六好" in body and 'data-testid="pairing-note-form"' in body

    client.force_login(org.users["city_reviewer"])  # sees A2's page, writes no notes
    body = client.get(reverse("branches:unit_detail", args=[org.a2.pk])).content.decode()
    assert 'data-testid="unit-pairings"' in body and "红色引擎" in body
    assert "已申报品牌" in body and "指导提炼品牌" in body and "2026年度六好" in body
    assert 'data-testid="pairing-note-form"' not in body
    # a branch without pairings shows no card
    body = client.get(reverse("branches:unit_detail", args=[org.a1.pk])).content.decode()
    assert 'data-testid="unit-pairings"' not in body


# --- query counts -----------------------------------------------------------------------------


def _pair_many(org, holder, n, offset):
    """n new partners of `holder`, each with a note, a brand and a published result."""
    for i in range(n):
        partner = OrgUnitFactory(parent=org.city_a, name=f"结对支部{offset + i}")
        p = Pairing.objects.create(
            application=holder,
            partner=partner,
            started_on=LONG_AGO,
            created_by=org.users["secretary"],
        )
        PairingNote.objects.create(
            pairing=p, date=YESTERDAY, text="跟进", created_by=org.users["secretary"]
        )
        brand(org, partner, Status.IN_REVIEW)
        publish_result(partner, "six-good", 80)


def _holders_of(org, partner, n, offset):
    """n new provincial brands, each pairing with `partner` (with a note)."""
    for i in range(n):
        unit = OrgUnitFactory(parent=org.city_a, name=f"帮扶支部{offset + i}")
        holder = brand(org, unit, Status.BUILT, level=Level.PROVINCIAL)
        p = Pairing.objects.create(
            application=holder,
            partner=partner,
            started_on=LONG_AGO,
            created_by=org.users["secretary"],
        )
        PairingNote.objects.create(
            pairing=p, date=YESTERDAY, text="跟进", created_by=org.users["secretary"]
        )


@pytest.mark.parametrize("which", ["holder", "partner"])
def test_pages_do_not_grow_with_pairings(
    client, org, provincial, which, django_assert_max_num_queries
):
    partner = org.a2
    publish_result(partner, "six-good", 75)
    if which == "holder":
        grow = lambda n, offset: _pair_many(org, provincial, n, offset)  # noqa: E731
        url = reverse("brands:lifecycle", args=[provincial.pk])
        client.force_login(org.users["secretary"])
    else:
        grow = lambda n, offset: _holders_of(org, partner, n, offset)  # noqa: E731
        url = reverse("branches:unit_detail", args=[partner.pk])
        client.force_login(org.users["city_reviewer"])
    grow(2, 0)
    client.get(url)
    with django_assert_max_num_queries(60) as two:
        assert client.get(url).status_code == 200
    at_two = len(two)
    grow(8, 100)
    client.get(url)
    with django_assert_max_num_queries(at_two):
        body = client.get(url).content.decode()
    assert body.count('data-testid="pairing"') == 10


def test_a_committee_one_brand_pairs_within_its_own_subtree(org):
    """A city committee's own provincial-level brand (its chain is the province only) pairs
    with un-branded branches of its city, not the province's (the province reviewer, who
    sees the whole tree, may still pick any)."""
    sec_city_a = grant(UserFactory(username="sec_city_a"), org.city_a, Role.SECRETARY)
    lead = brand(org, org.city_a, Status.BUILT, level=Level.PROVINCIAL)
    assert list(lifecycle.pairing_candidates(lead, sec_city_a)) == [org.a1, org.a2]
    with pytest.raises(ValidationError, match="只能选择本市"):
        pair(sec_city_a, lead, org.b1)
    assert pair(sec_city_a, lead, org.a2).partner == org.a2
