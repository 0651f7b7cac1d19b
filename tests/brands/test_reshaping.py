"""品牌重塑 (issue #18, item 3): an approved brand is reshaped as a new revision through the same
chain; the approved brand stays shown and valid until the reshaping is approved, and returned
or rejected reshapings leave it untouched."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from brands import reshaping as reshapes
from brands import services
from brands.models import BrandApplication, Reshaping, ReshapingStatus, Revision, Status
from brands.selectors import reshaping as selectors
from brands.selectors.showcase import showcase_brands
from workflow.models import AuditEntry, Notification
from workflow.transitions import AlreadyHandled, TransitionError

from .conftest import png_upload

CHAIN = ("general_branch_reviewer", "city_reviewer", "province_reviewer")


def approve_all(org, app_pk, approve=services.approve_application):
    obj = None
    for role in CHAIN:
        obj = approve(actor=org.users[role], pk=app_pk)
    return obj


@pytest.fixture
def approved(org, submitted):
    app = approve_all(org, submitted.pk)
    assert app.status == Status.IMPLEMENTING
    return app


def start(org, app, **data):
    r = reshapes.start_reshaping(actor=org.users["secretary"], application=app, reason="深化")
    if data:
        r = reshapes.save_reshaping_draft(actor=org.users["secretary"], reshaping=r, data=data)
    return r


def test_start_copies_the_brand_and_is_the_holders(org, approved):
    r = start(org, approved)
    assert (r.status, r.based_on, r.name, r.logo.name) == (
        ReshapingStatus.DRAFT,
        1,
        approved.name,
        approved.logo.name,
    )
    assert r.measures == approved.measures
    assert AuditEntry.objects.filter(object_id=r.pk, action="create").exists()
    with pytest.raises(TransitionError, match="已有进行中的重塑"):
        start(org, approved)


@pytest.mark.parametrize(
    "role", ["member", "general_branch_reviewer", "city_reviewer", "province_reviewer", "admin"]
)
def test_only_the_holder_starts(org, approved, role):
    with pytest.raises(PermissionDenied):
        reshapes.start_reshaping(actor=org.users[role], application=approved)
    with pytest.raises(PermissionDenied):
        reshapes.start_reshaping(actor=org.sec_b1, application=approved)
    assert not Reshaping.objects.exists()


def test_a_brand_not_yet_approved_cannot_be_reshaped(org, submitted):
    with pytest.raises(TransitionError, match="只有已获批立项的品牌才能重塑"):
        reshapes.start_reshaping(actor=org.users["secretary"], application=submitted)


def test_under_review_the_approved_brand_stays_valid(org, approved):
    r = start(org, approved, name="红色引擎2.0", slogan="新传播语")
    r = reshapes.submit_reshaping(actor=org.users["secretary"], pk=r.pk)
    assert (r.status, r.current_level, r.revision_number) == (
        ReshapingStatus.IN_REVIEW,
        org.general_a,
        1,
    )
    assert Notification.objects.filter(recipient=org.users["general_branch_reviewer"]).exists()
    r = reshapes.approve_reshaping(actor=org.users["general_branch_reviewer"], pk=r.pk)
    assert r.current_level == org.city_a
    brand = BrandApplication.objects.get(pk=approved.pk)
    assert (brand.name, brand.status, brand.revision_number) == ("红色引擎", Status.IMPLEMENTING, 1)
    assert [b.name for b in showcase_brands()] == ["红色引擎"]
    assert selectors.live_reshaping_for(brand) == r


def test_not_their_turn(org, approved):
    r = reshapes.submit_reshaping(actor=org.users["secretary"], pk=start(org, approved).pk)
    for actor in (org.users["city_reviewer"], org.users["secretary"], org.rev_b):
        with pytest.raises(TransitionError):
            reshapes.approve_reshaping(actor=actor, pk=r.pk)


def test_return_and_resubmit_leave_the_brand_untouched(org, approved):
    r = reshapes.submit_reshaping(actor=org.users["secretary"], pk=start(org, approved).pk)
    r = reshapes.approve_reshaping(actor=org.users["general_branch_reviewer"], pk=r.pk)
    with pytest.raises(TransitionError, match="必须填写意见"):
        reshapes.return_reshaping(actor=org.users["city_reviewer"], pk=r.pk)
    r = reshapes.return_reshaping(actor=org.users["city_reviewer"], pk=r.pk, comment="请突出成效")
    assert r.status == ReshapingStatus.RETURNED
    assert BrandApplication.objects.get(pk=approved.pk).results == approved.results
    r = reshapes.save_reshaping_draft(
        actor=org.users["secretary"], reshaping=r, data={"results": "全省第一，连续三年"}
    )
    r = reshapes.submit_reshaping(actor=org.users["secretary"], pk=r.pk)
    assert (r.current_level, r.revision_number) == (org.city_a, 2)  # back to who returned it


def test_rejection_leaves_the_brand_and_allows_another(org, approved):
    r = reshapes.submit_reshaping(actor=org.users["secretary"], pk=start(org, approved).pk)
    reshapes.reject_reshaping(actor=org.users["general_branch_reviewer"], pk=r.pk, comment="不必")
    brand = BrandApplication.objects.get(pk=approved.pk)
    assert (brand.name, brand.revision_number, brand.status) == ("红色引擎", 1, Status.IMPLEMENTING)
    assert selectors.live_reshaping_for(brand) is None
    assert start(org, brand).status == ReshapingStatus.DRAFT


def test_approval_replaces_the_brand_and_keeps_the_history(org, approved):
    r = start(org, approved, name="红色引擎2.0", goal="五年内故障时长下降60%")
    r = reshapes.save_reshaping_draft(
        actor=org.users["secretary"], reshaping=r, data={}, logo=png_upload(color=(0, 90, 200))
    )
    r = reshapes.submit_reshaping(actor=org.users["secretary"], pk=r.pk)
    r = approve_all(org, r.pk, reshapes.approve_reshaping)
    assert (r.status, r.current_level, r.approved_at is not None) == (
        ReshapingStatus.APPROVED,
        None,
        True,
    )
    brand = BrandApplication.objects.get(pk=approved.pk)
    assert (brand.name, brand.goal, brand.status) == (
        "红色引擎2.0",
        "五年内故障时长下降60%",
        Status.IMPLEMENTING,
    )
    assert brand.logo.name == r.logo.name != approved.logo.name
    assert brand.revision_number == 2
    old, new = Revision.objects.filter(application=brand).order_by("number")
    assert (old.snapshot["name"], old.reshaping, new.snapshot["name"], new.reshaping) == (
        "红色引擎",
        None,
        "红色引擎2.0",
        r,
    )
    entry = AuditEntry.objects.get(object_id=brand.pk, action=reshapes.RESHAPED)
    assert entry.actor == org.users["province_reviewer"]
    assert Notification.objects.filter(
        recipient=org.users["secretary"], title__contains="已获通过"
    ).exists()
    # the history: who decided what, when
    (row,) = selectors.history(brand)
    assert [(e.action, e.actor) for e in row.decisions] == [
        ("submit", org.users["secretary"]),
        *(("approve", org.users[role]) for role in CHAIN),
    ]
    changed = {c["field"] for c in selectors.changes(r) if c["changed"]}
    assert changed == {"name", "goal", "logo"}
    # and the brand may be reshaped again, from its new revision
    assert start(org, brand).based_on == 2


def test_stale_page_is_already_handled(org, approved):
    r = reshapes.submit_reshaping(actor=org.users["secretary"], pk=start(org, approved).pk)
    seen = reshapes.RESHAPING.version_of(r)
    reshapes.approve_reshaping(actor=org.users["general_branch_reviewer"], pk=r.pk)
    with pytest.raises(AlreadyHandled):
        reshapes.return_reshaping(
            actor=org.users["general_branch_reviewer"], pk=r.pk, comment="x", expected_version=seen
        )


def test_incomplete_reshaping_is_refused_and_stays_draft(org, approved):
    r = start(org, approved, slogan="")
    with pytest.raises(ValidationError, match="品牌传播语"):
        reshapes.submit_reshaping(actor=org.users["secretary"], pk=r.pk)
    assert Reshaping.objects.get(pk=r.pk).status == ReshapingStatus.DRAFT


def test_no_edit_while_in_review(org, approved):
    r = reshapes.submit_reshaping(actor=org.users["secretary"], pk=start(org, approved).pk)
    with pytest.raises(TransitionError, match="不可编辑"):
        reshapes.save_reshaping_draft(actor=org.users["secretary"], reshaping=r, data={"name": "x"})


def test_reshaping_audits_do_not_count_as_brand_approvals(org, approved):
    """The bulletin counts brand applications' audit actions: a reshaping's are its own."""
    from brands.selectors.activity import ACTIVITY, _audit_of_applications

    r = reshapes.submit_reshaping(actor=org.users["secretary"], pk=start(org, approved).pk)
    approve_all(org, r.pk, reshapes.approve_reshaping)
    assert (
        _audit_of_applications().filter(ACTIVITY["approved"]).count() == 1
    )  # the application's own
