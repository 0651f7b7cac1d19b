"""Data for the bulletin tests: `Org` plus branches, brand applications in every state, audit
entries inside and outside the bulletin's month, and published assessment results — in both
cities, so every figure has a sibling that could leak into the other city's bulletin.

    city A: A1 built this month · A2 in review 20 days (overdue) · A3 returned 4 days ago
            A4 draft · A5 inactive (not counted)
    city B: B1 in review 2 days (not overdue) + an old rejected one · B2 implementing (approved
            last month) · B3 none
    direct committee D: D1 built long ago
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from branches.models import BranchCategory, UnitType
from brands.models import BrandApplication, CoverageTarget, Status
from bulletins import selectors
from tests.clock import local
from tests.factories import OrgUnitFactory
from workflow.models import AuditEntry

C = BranchCategory


@dataclass
class World:
    org: object
    month: date
    now: datetime
    units: dict
    apps: dict


def in_month(month: date, day: int, hour: int = 10) -> datetime:
    return datetime(month.year, month.month, day, hour, tzinfo=timezone.get_default_timezone())


def audit(app, action, at, from_state="", to_state="", actor=None):
    entry = AuditEntry.objects.create(
        actor=actor,
        content_type=ContentType.objects.get_for_model(BrandApplication),
        object_id=app.pk,
        object_repr=app.name,
        unit=app.unit,
        action=action,
        from_state=from_state,
        to_state=to_state,
    )
    AuditEntry.objects.filter(pk=entry.pk).update(at=at)  # `at` is auto_now_add
    return entry


def make_world(org) -> World:
    now = timezone.now()
    month = selectors.previous_month()
    before = selectors.previous_month(month)  # the month before the bulletin's
    CoverageTarget.objects.update_or_create(
        year=month.year, defaults={"filed_rate": Decimal("70"), "built_rate": Decimal("30")}
    )
    direct = OrgUnitFactory(
        parent=org.province, unit_type=UnitType.DIRECT, name="省公司直属机关党委", code="D"
    )
    units = {
        "a1": org.a1,
        "a2": org.a2,
        "a3": OrgUnitFactory(
            parent=org.city_a, name="甲市综合党支部", code="A3", category=C.MANAGEMENT
        ),
        "a4": OrgUnitFactory(
            parent=org.general_a, name="甲市后勤党支部", code="A4", category=C.AUXILIARY
        ),
        "a5": OrgUnitFactory(
            parent=org.city_a, name="甲市撤销党支部", code="A5", category=C.MARKET, is_active=False
        ),
        "b1": org.b1,
        "b2": OrgUnitFactory(
            parent=org.city_b, name="乙市营业党支部", code="B2", category=C.MARKET
        ),
        "b3": OrgUnitFactory(
            parent=org.city_b, name="乙市后勤党支部", code="B3", category=C.AUXILIARY
        ),
        "d": direct,
        "d1": OrgUnitFactory(
            parent=direct, name="直属机关第一党支部", code="D1", category=C.MANAGEMENT
        ),
    }
    for unit in units.values():
        unit.refresh_from_db()
    secretary = org.users["secretary"]

    def app(key, status, **fields):
        unit = units[key]
        return BrandApplication.objects.create(
            unit=unit, applicant=secretary, status=status, name=f"{unit.name}品牌", **fields
        )

    apps = {
        "a1": app(
            "a1",
            Status.BUILT,
            submitted_at=in_month(month, 2),
            approved_at=in_month(month, 5),
            built_at=in_month(month, 20),
        ),
        "a2": app(
            "a2", Status.IN_REVIEW, submitted_at=now - timedelta(days=20), current_level=org.city_a
        ),
        "a3": app("a3", Status.RETURNED, submitted_at=now - timedelta(days=9)),
        "a4": app("a4", Status.DRAFT),
        "a5": app("a5", Status.BUILT, built_at=in_month(before, 3)),  # inactive branch
        "b1_old": app("b1", Status.REJECTED, submitted_at=in_month(before, 2)),
        "b1": app(
            "b1", Status.IN_REVIEW, submitted_at=now - timedelta(days=2), current_level=org.city_b
        ),
        "b2": app("b2", Status.IMPLEMENTING, submitted_at=in_month(before, 1)),
        "d1": app("d1", Status.BUILT, submitted_at=in_month(before, 1)),
    }
    a1, a3, b1 = apps["a1"], apps["a3"], apps["b1"]
    # This month: A1 filed, approved and built; A3 filed then returned (and again, later);
    # B1's old one rejected; B1 filed anew.
    audit(a1, "submit", in_month(month, 2), Status.DRAFT, Status.IN_REVIEW)
    audit(a1, "approve", in_month(month, 3), Status.IN_REVIEW, Status.IN_REVIEW)
    audit(a1, "approve", in_month(month, 5), Status.IN_REVIEW, Status.IMPLEMENTING)
    audit(a1, "pass_acceptance", in_month(month, 20), Status.ACCEPTANCE, Status.BUILT)
    audit(a3, "submit", in_month(month, 6), Status.DRAFT, Status.IN_REVIEW)
    audit(a3, "return", in_month(month, 8), Status.IN_REVIEW, Status.RETURNED)
    audit(apps["b1_old"], "reject", in_month(month, 9), Status.IN_REVIEW, Status.REJECTED)
    audit(b1, "submit", in_month(month, 25), Status.DRAFT, Status.IN_REVIEW)
    # Outside the month: must not count.
    audit(apps["b2"], "submit", in_month(before, 1), Status.DRAFT, Status.IN_REVIEW)
    audit(apps["b2"], "approve", in_month(before, 10), Status.IN_REVIEW, Status.IMPLEMENTING)
    audit(apps["d1"], "pass_acceptance", in_month(before, 12), Status.ACCEPTANCE, Status.BUILT)
    # A3 was resubmitted and returned again 4 days ago: its wait counts from the last return.
    audit(a3, "submit", now - timedelta(days=9), Status.RETURNED, Status.IN_REVIEW)
    audit(a3, "return", now - timedelta(days=4), Status.IN_REVIEW, Status.RETURNED)
    add_assessments(org, units, month)
    return World(org=org, month=month, now=now, units=units, apps=apps)


def add_assessments(org, units, month):
    """A published monthly period of the six-good table ending in the bulletin's month."""
    from evaluation.models import Assessment, AssessmentPeriod, ScoringTable, TableVersion

    version = TableVersion.objects.order_by("pk").first()
    if version is None:  # a transactional test before this one flushed the shipped tables
        table = ScoringTable.objects.create(code="six-good", name="“六好”党支部建设考核评价表")
        version = TableVersion.objects.create(table=table, number=1)
    start, end = selectors.month_bounds(month)
    last_day = (end - timedelta(days=1)).date()
    period = AssessmentPeriod.objects.create(
        name=f"{month:%Y年%m月}六好党支部月度评价",
        kind="monthly",
        table_version=version,
        scope=org.province,
        starts_on=month,
        ends_on=last_day,
        opens_on=month,
        closes_on=last_day,
    )
    rows = [
        # unit, total, rate, star, tier, rank, vetoed, status
        ("a1", "95.50", "95.50", 5, 1, 1, False, "published"),
        ("a2", "72.00", "72.00", 3, 2, 3, False, "published"),
        ("a3", "0.00", "0.00", 1, 3, 5, True, "published"),
        ("b1", "88.00", "88.00", 4, 2, 2, False, "published"),
        ("b2", "65.00", "65.00", 2, 3, 4, False, "published"),
        ("d1", "99.00", "99.00", 5, 1, None, False, "submitted"),  # not published: not counted
    ]
    for key, total, rate, star, tier, rank, vetoed, status in rows:
        unit = units[key]
        Assessment.objects.create(
            period=period,
            unit=unit,
            category=unit.category,
            status=status,
            total=Decimal(total),
            max_total=Decimal(100),
            rate=Decimal(rate),
            star=star,
            tier=tier,
            rank_province=rank,
            is_vetoed=vetoed,
        )
    return period


#: The figure tests run on the 25th of a month, whatever day the suite runs: the world's
#: "N days ago" events (N ≤ 20: the backlog's waits) then fall after the bulletin's month, the
#: previous one, as the hand-checked figures expect. On the 1st–9th of a real month A3's
#: resubmission 9 days ago fell inside the bulletin's month and was counted.
FIGURES_AT = local(2026, 11, 25, 10)


@pytest.fixture
def world(org):
    with time_machine.travel(FIGURES_AT, tick=True):
        yield make_world(org)


@pytest.fixture
def files():
    """Open a generated bulletin's files: (openpyxl workbook, python-docx document)."""
    from docx import Document
    from openpyxl import load_workbook

    def open_files(bulletin):
        with bulletin.xlsx.open("rb") as fh:
            wb = load_workbook(fh)
        with bulletin.docx.open("rb") as fh:
            doc = Document(fh)
        return SimpleNamespace(wb=wb, doc=doc)

    return open_files
