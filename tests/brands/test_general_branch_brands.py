"""党总支 brands (issue #18, item 3): a general branch files a brand like a branch — its own
secretary files, the chain runs from its parent upward — and the rule is one function,
`brands.rules.may_hold_brand`."""

import pytest
from django.urls import reverse

from branches.models import Role, UnitType
from brands import services
from brands.models import BrandApplication, Status
from brands.rules import may_hold_brand
from brands.selectors.applications import own_units, review_queue
from tests.factories import OrgUnitFactory, UserFactory, grant
from workflow.transitions import TransitionError

from .conftest import CONTENT, png_upload

#: The roles of the matrix: the fixed ones plus the secretaries of the two general branches.
MATRIX_ROLES = (
    "anonymous",
    "member",
    "secretary",
    "ga_secretary",
    "general_branch_reviewer",
    "city_reviewer",
    "province_reviewer",
    "committee_member",
    "admin",
)


@pytest.fixture
def ladder(org):
    """Org plus a secretary at general branch GA and a general branch GB in city B."""
    org.general_b = OrgUnitFactory(
        parent=org.city_b, unit_type=UnitType.GENERAL_BRANCH, name="乙市网络部党总支", code="GB"
    )
    org.users["ga_secretary"] = grant(
        UserFactory(username="sec_ga", full_name="陈总支书记"), org.general_a, Role.SECRETARY
    )
    org.sec_gb = grant(
        UserFactory(username="sec_gb", full_name="吴总支书记"), org.general_b, Role.SECRETARY
    )
    return org


def file_general(org, unit=None, actor=None):
    app = services.save_application_draft(
        actor=actor or org.users["ga_secretary"],
        unit=unit or org.general_a,
        data={**CONTENT, "name": "网络先锋"},
        logo=png_upload(),
    )
    return services.submit_application(actor=actor or org.users["ga_secretary"], pk=app.pk)


@pytest.mark.parametrize(
    ("unit_type", "holds"),
    [
        (UnitType.PROVINCE, False),
        (UnitType.CITY, False),
        (UnitType.DIRECT, False),
        (UnitType.GENERAL_BRANCH, True),
        (UnitType.BRANCH, True),
        (UnitType.PARTY_GROUP, False),
    ],
)
def test_may_hold_brand_is_the_one_rule(unit_type, holds):
    assert may_hold_brand(OrgUnitFactory.build(unit_type=unit_type)) is holds
    assert may_hold_brand(None) is False


def _matrix(client, org, url, expected, *, own, other):
    failures = []
    for role in MATRIX_ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(org.users[role])
        sides = (("own", own, expected[role][0]), ("other", other, expected[role][1]))
        for side, target, want in sides:
            got = client.get(url(target)).status_code
            if got != want:
                failures.append(f"{role:<24} {side}: {got} != {want}")
    client.logout()
    assert not failures, "\n".join(failures)


def test_filing_matrix_for_general_branches(client, ladder):
    """Only a secretary whose role reaches the general branch files for it; the A1 secretary
    (below it) and every reviewer do not."""
    denied = (403, 403)
    _matrix(
        client,
        ladder,
        lambda unit: reverse("brands:create", args=[unit.pk]),
        {
            "anonymous": (302, 302),
            "member": denied,
            "secretary": denied,
            "ga_secretary": (200, 403),
            "general_branch_reviewer": denied,
            "city_reviewer": denied,
            "province_reviewer": denied,
            "committee_member": denied,
            "admin": denied,
        },
        own=ladder.general_a,
        other=ladder.general_b,
    )


def test_committees_file_only_their_one_brand_and_the_province_never(ladder):
    """A city committee files its own "1" brand of a 1+N cluster (tests/brands/test_clusters.py);
    the province files none."""
    sec_city = grant(UserFactory(username="sec_city"), ladder.city_a, Role.SECRETARY)
    assert sec_city.has_perm("brands.file_application", ladder.city_a)
    assert sec_city.has_perm("brands.file_application", ladder.general_a)  # covers below
    sec_p = grant(UserFactory(username="sec_p"), ladder.province, Role.SECRETARY)
    assert not sec_p.has_perm("brands.file_application", ladder.province)


def test_index_offers_the_general_branch(client, ladder):
    client.force_login(ladder.users["ga_secretary"])
    body = client.get(reverse("brands:index")).content.decode()
    assert reverse("brands:create", args=[ladder.general_a.pk]) in body
    assert list(own_units(ladder.users["ga_secretary"])) == [ladder.general_a]


def test_general_branch_brand_climbs_from_its_parent(ladder):
    org = ladder
    app = file_general(org)
    assert (app.status, app.current_level) == (Status.IN_REVIEW, org.city_a)
    # GA's own reviewer is not on its chain: it neither decides nor sees it in its queue
    with pytest.raises(TransitionError):
        services.approve_application(actor=org.users["general_branch_reviewer"], pk=app.pk)
    assert app not in review_queue(org.users["general_branch_reviewer"])
    # nor does its secretary
    with pytest.raises(TransitionError):
        services.approve_application(actor=org.users["ga_secretary"], pk=app.pk)
    app = services.approve_application(actor=org.users["city_reviewer"], pk=app.pk)
    assert app.current_level == org.province
    app = services.approve_application(actor=org.users["province_reviewer"], pk=app.pk)
    assert app.status == Status.IMPLEMENTING


def test_general_branch_secretary_does_not_review_its_branches(ladder, draft):
    """The GA secretary covers A1 as a secretary (files for it, as before) but decides nothing:
    deciding at GA is the GA reviewer's."""
    org = ladder
    app = services.submit_application(actor=org.users["secretary"], pk=draft.pk)
    assert app.current_level == org.general_a
    assert not org.users["ga_secretary"].has_perm("brands.review_application", app)
    assert org.users["general_branch_reviewer"].has_perm("brands.review_application", app)


def test_one_live_brand_per_general_branch(ladder):
    file_general(ladder)
    with pytest.raises(TransitionError, match="该党组织已有在建或已建成的品牌"):
        services.save_application_draft(
            actor=ladder.users["ga_secretary"], unit=ladder.general_a, data=CONTENT
        )


def test_other_city_general_branch_secretary_is_refused(ladder):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.save_application_draft(actor=ladder.sec_gb, unit=ladder.general_a, data=CONTENT)
    assert not BrandApplication.objects.exists()


def test_general_branch_brand_pages(client, ladder, settings, tmp_path):
    """Approved, a 党总支's brand is on the wall and has its life pages; the coverage rates
    stay over 党支部."""
    from brands.selectors.coverage import coverage_totals

    settings.MEDIA_ROOT = tmp_path
    org = ladder
    app = file_general(org)
    for role in ("city_reviewer", "province_reviewer"):
        app = services.approve_application(actor=org.users[role], pk=app.pk)
    client.force_login(org.users["ga_secretary"])
    for name in ("brands:detail", "brands:showcase_detail", "brands:lifecycle"):
        assert client.get(reverse(name, args=[app.pk])).status_code == 200, name
    assert "网络先锋" in client.get(reverse("brands:showcase")).content.decode()
    totals = coverage_totals(org.users["province_reviewer"], label="全省")
    assert (totals.filed, totals.built) == (0, 0)


def test_editing_matrix_for_a_general_branch_draft(client, ladder):
    """The draft of GA is edited by GA's secretary alone; who sees it otherwise is sent back
    to its page (302), who does not gets 403 — the A1 secretary below GA included."""
    drafts = {
        ladder.general_a.pk: services.save_application_draft(
            actor=ladder.users["ga_secretary"], unit=ladder.general_a, data=CONTENT
        ),
        ladder.general_b.pk: services.save_application_draft(
            actor=ladder.sec_gb, unit=ladder.general_b, data=CONTENT
        ),
    }
    _matrix(
        client,
        ladder,
        lambda unit: reverse("brands:edit", args=[drafts[unit.pk].pk]),
        {
            "anonymous": (302, 302),
            "member": (403, 403),
            "secretary": (403, 403),
            "ga_secretary": (200, 403),
            "general_branch_reviewer": (302, 403),
            "city_reviewer": (302, 403),
            "province_reviewer": (302, 302),
            "committee_member": (302, 302),
            "admin": (302, 302),
        },
        own=ladder.general_a,
        other=ladder.general_b,
    )
