"""The demo brand data: every state of the workflow, levels taken from the real approval chain,
one live brand per branch, deterministic with the seed; pages render without logo files."""

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from branches import demo as org_demo
from branches.models import OrgUnit, UnitType, User
from branches.selectors import approval_chain
from brands import demo
from brands.models import LIVE_STATUSES, BrandApplication, Level, Revision, Status

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
    assert not BrandApplication.objects.exclude(logo="").exists()  # no files: placeholders
    assert "品牌申报" in seeded.splitlines()[0]  # the summary line counts them


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
