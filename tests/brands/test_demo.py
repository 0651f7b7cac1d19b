"""The demo brand data: every state of the workflow, levels taken from the real approval chain,
one live brand per branch, deterministic with the seed; pages render without logo files."""

import random
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Count

from branches import demo as org_demo
from branches.access import reviewers_at, secretaries_at
from branches.models import OrgUnit, UnitType, User
from branches.selectors import approval_chain
from brands import demo, demo_trail
from brands.audit import Action
from brands.models import LIVE_STATUSES, BrandApplication, Level, Revision, Status
from brands.selectors.activity import ACTIVITY
from bulletins.selectors import activity_section
from tests.clock import local
from workflow.models import AuditEntry

BRANCHES = 120


@pytest.fixture
def seeded(db):
    out = StringIO()
    call_command("seed_demo", branches=BRANCHES, stdout=out)
    return out.getvalue()


def test_about_sixty_percent_of_branches_file_in_every_status(seeded):
    branches = OrgUnit.objects.filter(unit_type=UnitType.BRANCH, is_active=True).count()
    filing = BrandApplication.objects.values("unit").distinct().count()
    assert 0.45 * branches <= filing <= 0.75 * branches
    assert set(BrandApplication.objects.values_list("status", flat=True)) == set(Status.values)
    assert BrandApplication.objects.filter(level=Level.PROVINCIAL).count() <= (
        BrandApplication.objects.filter(status=Status.BUILT).count()
    )
    # no files: placeholders — but the committee's "1" brand, filed through the services, which
    # ask a submitted brand for its logo (brands/demo_cluster.py)
    with_logo = BrandApplication.objects.exclude(logo="")
    assert list(with_logo.values_list("unit__unit_type", flat=True)) == [UnitType.CITY]
    assert "品牌申报" in seeded.splitlines()[0]  # the summary line counts them


def test_general_branches_file_brands_too(seeded):
    """党总支 hold brands (brands.rules.may_hold_brand): some of the demo's have filed, their
    level in review being above them."""
    general = BrandApplication.objects.filter(unit__unit_type=UnitType.GENERAL_BRANCH)
    assert general.exists()
    for app in general.exclude(current_level=None).select_related("unit", "current_level"):
        assert app.current_level in approval_chain(app.unit) and app.current_level != app.unit


def test_a_few_brands_are_being_or_were_reshaped(seeded, client):
    from brands.models import SHOWCASE_STATUSES, Reshaping, ReshapingStatus

    waiting = Reshaping.objects.filter(status=ReshapingStatus.IN_REVIEW).select_related(
        "application__unit", "current_level"
    )
    assert waiting.exists()
    for r in waiting:
        assert r.current_level in approval_chain(r.application.unit)
        assert r.application.status in SHOWCASE_STATUSES  # the brand stays approved
    done = Reshaping.objects.filter(status=ReshapingStatus.APPROVED).select_related("application")
    assert done.exists()
    for r in done:
        brand = r.application
        assert brand.revisions.get(number=brand.revision_number).reshaping == r
        assert brand.goal == r.goal and r.based_on == brand.revision_number - 1
        decided = AuditEntry.objects.filter(object_id=r.pk, action="approve")
        assert decided.filter(content_type=ContentType.objects.get_for_model(Reshaping)).exists()
    # the brand page shows the history
    r = done.first()
    client.force_login(User.objects.get(username="admin"))
    body = client.get(f"/brands/{r.application_id}/").content.decode()
    assert 'data-testid="reshaped-revision"' in body and "重塑已通过" in body


def test_levels_come_from_the_branch_approval_chain(seeded):
    waiting = BrandApplication.objects.filter(
        status__in=[Status.IN_REVIEW, Status.RETURNED, Status.REJECTED]
    ).select_related("unit", "current_level")
    assert waiting.filter(status=Status.IN_REVIEW).exists()
    levels_used = set()
    for app in waiting:
        chain = approval_chain(app.unit)
        assert app.current_level in chain
        assert app.unit.path.startswith(app.current_level.path)  # an ancestor
        levels_used.add(chain.index(app.current_level))
    assert levels_used >= {0, 1}  # waiting at various levels, not only the first
    approved = [Status.IMPLEMENTING, Status.ACCEPTANCE, Status.BUILT, Status.DRAFT]
    assert not BrandApplication.objects.filter(
        status__in=approved, current_level__isnull=False
    ).exists()


def test_chain_from_paths_is_approval_chain_in_order(seeded):
    reviewing = demo.reviewing_units()
    for unit in OrgUnit.objects.filter(unit_type=UnitType.BRANCH):
        assert demo.chain_from_path(unit.path, reviewing) == [u.pk for u in approval_chain(unit)]


def test_one_live_brand_per_branch_and_revisions_per_submission(seeded):
    live = (
        BrandApplication.objects.filter(status__in=LIVE_STATUSES)
        .values("unit")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not live.exists()
    for app in BrandApplication.objects.annotate(n=Count("revisions")):
        assert app.n == app.revision_number
        if app.status == Status.DRAFT:
            assert app.submitted_at is None and app.revision_number == 0
        else:
            assert app.submitted_at is not None and app.created_at <= app.submitted_at
    assert Revision.objects.filter(number=2).exists()  # some were returned and resubmitted
    built = BrandApplication.objects.filter(status=Status.BUILT)
    assert all(a.approved_at < a.built_at for a in built)


def test_same_seed_same_applications(seeded):
    def fingerprint(plan):
        return [(a.unit_id, a.status, a.name, a.current_level_id) for a in plan.applications]

    first = demo.plan_brands(random.Random(7))
    assert fingerprint(first) == fingerprint(demo.plan_brands(random.Random(7)))
    assert fingerprint(first) != fingerprint(demo.plan_brands(random.Random(8)))


def test_reset_removes_the_brands_and_seeds_them_again(seeded):
    before = BrandApplication.objects.count()
    call_command("seed_demo", branches=BRANCHES, reset=True, stdout=StringIO())
    assert BrandApplication.objects.count() == before
    assert org_demo.present()


def test_pages_render_brands_without_logo_files(client, seeded):
    client.force_login(User.objects.get(username="province"))
    wall = client.get("/brands/showcase/")
    assert wall.status_code == 200 and b"bi-award" in wall.content  # the placeholder
    assert client.get("/brands/showcase/clusters/").status_code == 200
    shown = BrandApplication.objects.filter(status=Status.BUILT).first()
    assert client.get(f"/brands/showcase/{shown.pk}/").status_code == 200
    waiting = BrandApplication.objects.filter(status=Status.IN_REVIEW).first()
    assert client.get(f"/brands/{waiting.pk}/").status_code == 200


# --- the audit trail and who filed (issue #14, item 11) ----------------------------------------

FROZEN = local(2026, 12, 14, 10)


@pytest.fixture
def seeded_frozen(db):
    with time_machine.travel(FROZEN, tick=False):
        call_command("seed_demo", branches=BRANCHES, stdout=StringIO())
        yield


def _trail(app):
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(BrandApplication), object_id=app.pk
        ).order_by("at", "pk")
    )


def test_every_application_carries_the_trail_its_status_implies(seeded_frozen):
    reviewers = set()
    for app in BrandApplication.objects.select_related("unit", "current_level"):
        trail = _trail(app)
        # an approved reshaping (brands/demo_reshaping.py) is the brand's next revision
        reshaped = [e for e in trail if e.action == "reshaped"]
        trail = [e for e in trail if e.action != "reshaped"]
        assert trail[0].action == "create" and trail[0].at == app.created_at
        steps = [e for e in trail if e.to_state in Status.values]
        assert steps[-1].to_state == app.status
        assert all(e.at <= FROZEN and e.unit_id == app.unit_id for e in trail)
        assert [e.at for e in trail] == sorted(e.at for e in trail)
        assert trail[-1].at <= app.updated_at
        chain = approval_chain(app.unit)
        for entry in trail:
            if entry.action in (Action.SUBMIT, Action.REQUEST_ACCEPTANCE, "create"):
                assert entry.actor_id == app.applicant_id
            elif entry.action in (Action.APPROVE, Action.RETURN, Action.REJECT):
                reviewers.add(entry.actor_id)
                assert any(entry.actor in reviewers_at(level) for level in chain)
        if app.status == Status.DRAFT:
            assert len(trail) == 1
            continue
        submits = [e for e in trail if e.action == Action.SUBMIT]
        assert len(submits) + len(reshaped) == app.revision_number
        assert submits[-1].at == app.submitted_at
        approvals = [e for e in trail if e.action == Action.APPROVE]
        if app.status in (Status.IMPLEMENTING, Status.ACCEPTANCE, Status.BUILT):
            # approved by every level of the chain, in order, the last to implementation
            assert [e.actor for e in approvals] == [reviewers_at(lv)[0] for lv in chain]
            assert approvals[-1].to_state == Status.IMPLEMENTING
            assert approvals[-1].at == app.approved_at
        else:  # approved up to the level where it waits or was stopped
            level = chain.index(app.current_level)
            assert [e.actor for e in approvals] == [reviewers_at(lv)[0] for lv in chain[:level]]
        if app.status == Status.BUILT:
            assert trail[-1 if app.level == Level.BRANCH else -2].at == app.built_at
    assert len(reviewers) > 5  # decided by many reviewers, not one


def test_applications_and_revisions_are_by_the_branch_secretary_never_member(seeded_frozen):
    member = User.objects.get(username="member")
    assert not BrandApplication.objects.filter(applicant=member).exists()
    assert not Revision.objects.filter(created_by=member).exists()
    by_secretary = 0
    for app in BrandApplication.objects.select_related("unit", "applicant"):
        secretaries = secretaries_at(app.unit)
        if secretaries:  # a demo secretary's branch: they filed
            assert app.applicant in secretaries
            by_secretary += 1
        else:  # the branch's secretary of record: a name, no login
            filer = app.applicant
            assert filer.username == f"{demo_trail.FILER_PREFIX}{app.unit.code.lower()}"
            assert not filer.is_active and not filer.has_usable_password()
            assert not filer.roles.exists()
        assert {r.created_by_id for r in app.revisions.all()} <= {app.applicant_id}
    assert by_secretary >= 5


def test_last_months_bulletin_has_activity(seeded_frozen):
    with time_machine.travel(FROZEN, tick=False):
        section = activity_section(OrgUnit.objects.get(depth=1), date(2026, 11, 1))
    totals = section.totals
    assert totals["first_submitted"] > 0
    assert totals["returned"] + totals["rejected"] > 0
    assert sum(totals[k] for k in ACTIVITY) >= 10


def test_a_big_province_gets_no_trail(db, monkeypatch):
    monkeypatch.setattr(demo_trail, "TRAIL_MAX_BRANCHES", 10)
    call_command("seed_demo", branches=30, stdout=StringIO())
    assert BrandApplication.objects.exists()
    assert not AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(BrandApplication)
    ).exists()


def test_built_brands_carry_their_acceptance_score(seeded, client):
    """Every built brand has the five-force score its committee's reviewer gave at 建成, at or
    above the pass line, shown on its page (brands/demo_acceptance.py)."""
    from brands.acceptance import PASS_RATE
    from brands.models import AcceptanceReview

    built = BrandApplication.objects.filter(status=Status.BUILT)
    reviews = AcceptanceReview.objects.filter(current=True, passed=True)
    assert reviews.count() == built.count() > 0
    assert not reviews.filter(rate__lt=PASS_RATE).exists()
    review = reviews.select_related("application", "reviewed_by").first()
    assert review.items.count() == 10 and review.reviewed_at == review.application.built_at
    assert review.reviewed_by in reviewers_at(
        [u for u in approval_chain(review.application.unit) if u.unit_type != "general_branch"][0]
    )
    client.force_login(review.reviewed_by)
    page = client.get(f"/brands/{review.application_id}/").content.decode()
    assert 'data-testid="acceptance-score"' in page


def test_the_demo_shows_a_cluster_a_followed_pairing_and_a_published_round(seeded_frozen, client):
    """Made through the services (brands/demo_cluster.py, selection/demo.py): the showcase
    branch's committee's approved "1" brand gathering built 支部品牌 of its subtree, the showcase
    brand among them; a pairing of a brand that may pair with an un-branded branch, with two
    dated follow-up notes; last year's 省级品牌评选 published within its quota, none this year."""
    from brands.clusters import cluster_of
    from brands.models import SHOWCASE_STATUSES, Pairing
    from brands.rules import may_pair
    from selection.models import ProposalStatus, RoundStatus, SelectionRound

    today = FROZEN.date()
    secretary = User.objects.get(username="committee_hz")
    lead = BrandApplication.objects.get(unit__secretary=secretary)
    assert lead.unit.unit_type == UnitType.CITY and lead.status in SHOWCASE_STATUSES
    members = [m.brand for m in cluster_of(lead).members]
    assert 2 <= len(members) <= 3
    assert all(b.status == Status.BUILT and b.unit.path.startswith(lead.unit.path) for b in members)
    assert org_demo.SHOWCASE_SECRETARY in {
        b.unit.secretary.username for b in members if b.unit.secretary
    }
    assert secretary.has_perm("brands.gather_cluster", lead)

    pairing = Pairing.objects.select_related("application__unit", "partner").get()
    assert may_pair(pairing.application, today)
    assert not BrandApplication.objects.filter(unit=pairing.partner, status__in=LIVE_STATUSES)
    notes = list(pairing.notes.order_by("date"))
    assert len(notes) == 2 and pairing.started_on <= notes[0].date < notes[1].date <= today
    holder = notes[0].created_by
    assert holder.username.startswith("secretary") and holder.has_perm(
        "brands.follow_pairing", pairing.application
    )

    round_ = SelectionRound.objects.get()
    assert round_.year == today.year - 1 and round_.status == RoundStatus.PUBLISHED
    assert round_.closes_on < round_.published_at.date() < today
    selected = round_.proposals.filter(status=ProposalStatus.SELECTED)
    assert 1 <= selected.count() <= round_.quota < round_.proposals.count()
    assert all(p.application.level == Level.PROVINCIAL for p in selected)
    assert not round_.proposals.filter(status=ProposalStatus.PROPOSED).exists()

    client.force_login(holder)
    page = client.get(f"/brands/{pairing.application_id}/life/").content.decode()
    assert notes[1].text[:10] in page
    client.force_login(secretary)
    page = client.get(f"/brands/{lead.pk}/").content.decode()
    assert members[0].name in page
    client.force_login(User.objects.get(username="province"))
    assert client.get(f"/selection/{round_.pk}/").status_code == 200
