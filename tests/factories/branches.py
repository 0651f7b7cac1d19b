"""Factories that build realistic org trees and users."""

import factory
from factory.django import DjangoModelFactory

from branches.models import BranchCategory, OrgUnit, Region, Role, RoleAssignment, UnitType, User


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"片区{n}")


class OrgUnitFactory(DjangoModelFactory):
    """`parent=None` makes a root; otherwise the unit is added under `parent` (treebeard)."""

    class Meta:
        model = OrgUnit

    unit_type = UnitType.BRANCH
    code = factory.Sequence(lambda n: f"U{n:06d}")
    name = factory.Sequence(lambda n: f"第{n}党支部")
    member_count = 12

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            return model_class.objects.add_root(kwargs)
        return model_class.objects.add_child(parent, kwargs)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"党员{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.django.Password("demo-pass-123")


def grant(user, unit, role):
    RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
    user.__dict__.pop("role_assignments", None)  # drop the per-request cache
    user.__dict__.pop("_scope_paths", None)
    return user


class Org:
    """A small province with two cities, so every permission test has an own subtree and a
    sibling subtree that could leak:

        province
        ├── city A ── general branch GA ── branch A1 (production) ── group A1-1
        │          └── branch A2 (market)
        └── city B ── branch B1 (production)
    """

    def __init__(self):
        north, south = (
            RegionFactory(code="north", name="北部片区"),
            RegionFactory(code="south", name="南部片区"),
        )
        self.province = OrgUnitFactory(unit_type=UnitType.PROVINCE, name="省公司党委", code="P")
        self.city_a = OrgUnitFactory(
            parent=self.province,
            unit_type=UnitType.CITY,
            name="甲市分公司党委",
            code="A",
            region=north,
        )
        self.city_b = OrgUnitFactory(
            parent=self.province,
            unit_type=UnitType.CITY,
            name="乙市分公司党委",
            code="B",
            region=south,
        )
        self.general_a = OrgUnitFactory(
            parent=self.city_a,
            unit_type=UnitType.GENERAL_BRANCH,
            name="甲市网络部党总支",
            code="GA",
            region=north,
        )
        self.a1 = OrgUnitFactory(
            parent=self.general_a,
            name="甲市网络运维党支部",
            code="A1",
            category=BranchCategory.PRODUCTION,
            region=north,
        )
        self.a2 = OrgUnitFactory(
            parent=self.city_a,
            name="甲市市场部党支部",
            code="A2",
            category=BranchCategory.MARKET,
            region=north,
        )
        self.group_a1 = OrgUnitFactory(
            parent=self.a1,
            unit_type=UnitType.PARTY_GROUP,
            name="运维第一党小组",
            code="A1G1",
            region=north,
        )
        self.b1 = OrgUnitFactory(
            parent=self.city_b,
            name="乙市网络运维党支部",
            code="B1",
            category=BranchCategory.PRODUCTION,
            region=south,
        )
        for unit in (self.province, self.city_a, self.general_a, self.a1):
            unit.refresh_from_db()  # numchild changed under it

        self.users = {
            "member": UserFactory(username="member", full_name="普通党员"),
            "secretary": grant(
                UserFactory(username="sec_a1", full_name="张书记"), self.a1, Role.SECRETARY
            ),
            "general_branch_reviewer": grant(
                UserFactory(username="rev_ga", full_name="王总支"), self.general_a, Role.REVIEWER
            ),
            "city_reviewer": grant(
                UserFactory(username="rev_a", full_name="李组织"), self.city_a, Role.REVIEWER
            ),
            "province_reviewer": grant(
                UserFactory(username="rev_p", full_name="赵党建"),
                self.province,
                Role.PROVINCE_REVIEWER,
            ),
            "committee_member": grant(
                UserFactory(username="jury", full_name="钱评委"),
                self.province,
                Role.FLAGSHIP_COMMITTEE,
            ),
            "admin": grant(
                UserFactory(username="admin_p", full_name="孙管理"), self.province, Role.ADMIN
            ),
        }
        # The same roles in the sibling city, to prove they never see city A.
        self.sec_b1 = grant(
            UserFactory(username="sec_b1", full_name="周书记"), self.b1, Role.SECRETARY
        )
        self.rev_b = grant(
            UserFactory(username="rev_b", full_name="吴组织"), self.city_b, Role.REVIEWER
        )
