"""seed_demo builds a realistic, valid province; a second run changes nothing; --reset rebuilds."""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command

from branches import demo, selectors
from branches.models import BranchCategory, OrgUnit, Region, Role, RoleAssignment, UnitType, User
from workflow.models import AuditEntry, Notification

pytestmark = pytest.mark.smoke

SMALL = 40


def seed(**options):
    out = StringIO()
    call_command("seed_demo", branches=SMALL, stdout=out, **options)
    return out.getvalue()


def snapshot():
    """Everything a re-run must reproduce: the tree, the users and their roles."""
    return (
        list(OrgUnit.objects.order_by("path").values_list("path", "code", "name", "numchild")),
        sorted(User.objects.values_list("username", "full_name")),
        sorted(RoleAssignment.objects.values_list("user__username", "unit__code", "role")),
    )


def client_can_open_admin(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get("/admin/branches/orgunit/", secure=True).status_code == 200


@pytest.fixture
def seeded(db):
    return seed()


def test_small_seed_is_a_valid_treebeard_tree(seeded):
    assert demo.find_problems() == {
        "evil_chars": [],
        "bad_steplen": [],
        "orphans": [],
        "wrong_depth": [],
        "wrong_numchild": [],
    }
    assert demo.quick_tree_check() == {"wrong_depth": 0, "orphans": 0, "numchild_mismatch": 0}
    assert OrgUnit.objects.get_tree().count() == OrgUnit.objects.count()
    root = OrgUnit.objects.get(code="P")
    assert list(OrgUnit.objects.get_root_nodes()) == [root]
    # numchild is what treebeard itself counts, so add_child still works after a bulk seed.
    tree = OrgUnit.objects
    new = tree.add_child(root, {"unit_type": UnitType.CITY, "code": "NEW", "name": "新党委"})
    root.refresh_from_db()
    assert tree.get_parent(new) == root and root.numchild == tree.get_children(root).count()


def test_small_seed_has_every_unit_type_category_and_region(seeded):
    units = OrgUnit.objects.all()
    assert set(units.values_list("unit_type", flat=True)) == set(UnitType.values)
    branches = units.filter(unit_type=UnitType.BRANCH)
    assert branches.count() == SMALL
    assert set(branches.values_list("category", flat=True)) == set(BranchCategory.values)
    regions = set(Region.objects.values_list("name", flat=True))
    assert regions == {"东部片区", "中部片区", "西部片区"}
    committees = units.filter(unit_type__in=[UnitType.CITY, UnitType.DIRECT])
    assert committees.filter(unit_type=UnitType.CITY).count() >= 10
    assert committees.filter(unit_type=UnitType.DIRECT).count() >= 3
    assert not committees.filter(region=None).exists()
    for branch in branches:
        assert branch.name.endswith("党支部") and 8 <= branch.member_count <= 60
        groups = OrgUnit.objects.get_children(branch)
        assert 2 <= len(groups) <= 6
        assert sum(g.member_count for g in groups) == branch.member_count
    assert "杭州市分公司党委" in seeded and "demo12345" in seeded


def test_every_role_has_a_demo_user_with_the_printed_password(seeded):
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser
    assert admin.has_perm("branches.import_units")  # rules: the administrator role
    assert admin.has_perm("branches.change_orgunit")  # Django admin: the 系统管理员 group
    assert client_can_open_admin(admin)
    assert User.objects.get(username="province").check_password(demo.DEMO_PASSWORD)
    member = User.objects.get(username="member")
    assert not member.roles.exists() and not selectors.units_visible_to(member).exists()
    secretaries = RoleAssignment.objects.filter(role=Role.SECRETARY).select_related("unit", "user")
    for ra in secretaries:
        assert ra.unit.secretary == ra.user
        # the branches' secretaries, and the showcase branch's committee's (its "1" brand)
        if ra.unit.unit_type != UnitType.BRANCH:
            assert ra.unit.code == "HZ" and ra.user.username == "committee_hz"
    assert secretaries.filter(unit__unit_type=UnitType.BRANCH).count() == 20
    assert secretaries.exclude(unit__unit_type=UnitType.BRANCH).count() == 1
    city_reviewer = User.objects.get(username="city_hz")
    visible = selectors.units_visible_to(city_reviewer)
    assert visible.exists() and not visible.filter(code__startswith="NB").exists()
    for line in ("admin", "jury1", "jury2", "city_hz", "general1", "secretary1", "member"):
        assert f"\n{line} " in seeded


def test_approval_chain_from_a_branch_reaches_the_province(seeded):
    branches = OrgUnit.objects.filter(unit_type=UnitType.BRANCH)
    under_general = branches.filter(depth=4).first()
    chain = selectors.approval_chain(under_general)
    assert [u.unit_type for u in chain] == [
        UnitType.GENERAL_BRANCH,
        UnitType.CITY,
        UnitType.PROVINCE,
    ]
    for branch in (branches.filter(depth=3).first(), branches.order_by("-path").first()):
        assert [u.unit_type for u in selectors.approval_chain(branch)][-1] == UnitType.PROVINCE


def test_second_run_is_a_no_op(seeded):
    before = (demo.counts(), snapshot())
    assert "demo data already present" in seed()
    assert (demo.counts(), snapshot()) == before


def test_reset_rebuilds_the_same_province_and_keeps_superusers(seeded):
    before = snapshot()
    unit, actor = OrgUnit.objects.get(code="HZ"), User.objects.get(username="city_hz")
    AuditEntry.objects.create(  # PROTECTs both the unit and the user
        actor=actor,
        unit=unit,
        content_type=ContentType.objects.get_for_model(OrgUnit),
        object_id=unit.pk,
        object_repr=str(unit),
        action="test",
    )
    Notification.objects.create(recipient=actor, title="提醒")
    User.objects.create_superuser("root", "root@example.cn", "root-pass-123")

    out = seed(reset=True)

    assert "demo data removed" in out
    # what pointed at the old units and users is gone (the new seed audits its own periods)
    assert not AuditEntry.objects.filter(action="test").exists()
    assert not Notification.objects.filter(title="提醒").exists()
    assert User.objects.filter(username="root", is_superuser=True).exists()
    after = snapshot()
    assert after[0] == before[0] and after[2] == before[2]  # deterministic
    assert set(after[1]) == set(before[1]) | {("root", "")}


def test_reset_keeps_the_shipped_scoring_tables(seeded):
    from evaluation.models import ScoringTable, TableVersion

    tables = sorted(TableVersion.objects.values_list("table__code", "number"))
    assert tables and ScoringTable.objects.exists()
    seed(reset=True)
    assert sorted(TableVersion.objects.values_list("table__code", "number")) == tables


def test_the_demo_has_published_results_and_an_open_star_period(seeded):
    from evaluation.models import AssessmentPeriod, Status

    published, open_now = AssessmentPeriod.objects.order_by("starts_on")
    branches = OrgUnit.objects.filter(unit_type=UnitType.BRANCH).count()
    done = published.assessments.filter(status=Status.PUBLISHED)
    assert done.count() == branches and not done.filter(rank_province=None).exists()
    assert open_now.table_version.table.code == "star-5521" and open_now.table_version.number == 2
    assert open_now.assessments.filter(status=Status.DRAFT).count() == branches


def test_a_foreign_tree_is_never_mixed_with_demo_data(db):
    from django.core.management.base import CommandError

    OrgUnit.objects.add_root({"unit_type": UnitType.PROVINCE, "code": "X", "name": "别的党委"})
    with pytest.raises(CommandError, match="--reset"):
        seed()


def test_allocation_and_ordinals():
    assert sum(demo.allocate(100_000, [s.weight for s in demo.COMMITTEES])) == 100_000
    assert demo.allocate(3, [1, 1, 1, 1]) == [1, 1, 1, 0]
    assert [demo.chinese_ordinal(n) for n in (1, 10, 12, 20, 35, 120)] == [
        "一",
        "十",
        "十二",
        "二十",
        "三十五",
        "120",
    ]


def test_seeding_sends_no_mail_and_keeps_the_notifications(transactional_db):
    """The demo's notifications are in the portal for its users to read; none is e-mailed to
    the made-up addresses while seeding (the console backend would print each one). Real
    commits here, so the e-mail jobs queued after them run as they do in `dev run`."""
    seed()
    assert Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_apps_limits_the_demo_data_to_the_apps_named():
    """A 1M-branch bench seeds the tree and brands only (bench/README.md): the tree and users
    are whole, the brands are there, no other app's demo rows are made."""
    from brands.models import BrandApplication
    from evaluation.models import Assessment
    from ledger.models import Member

    out = seed(apps="brands")
    assert OrgUnit.objects.filter(unit_type=UnitType.BRANCH).count() == SMALL
    assert User.objects.filter(username="secretary1").exists()
    assert BrandApplication.objects.exists()
    assert not Assessment.objects.exists() and not Member.objects.exists()
    assert "品牌申报" in out


@pytest.mark.django_db
def test_an_unknown_app_is_refused_before_anything_is_written():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unknown --apps"):
        seed(apps="brands,ledgr")
    assert not OrgUnit.objects.exists()
