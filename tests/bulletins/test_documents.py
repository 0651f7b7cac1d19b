"""The bulletin as a document people circulate: a rate reads the same in Excel and Word
(rounded half-up), and the overdue column counts what its heading says (more than 15 days)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from brands.models import BrandApplication, Status
from bulletins import selectors
from bulletins.exports import docx, tables, xlsx
from common.formats import half_up, percent
from tests.clock import local


@pytest.mark.parametrize(
    ("value", "shown"),
    [("85.25", "85.3"), ("85.35", "85.4"), ("85.24", "85.2"), ("0.05", "0.1"), ("100", "100.0")],
)
def test_half_up_rounds_a_five_away_from_zero(value, shown):
    assert str(half_up(Decimal(value), 1)) == shown
    assert str(half_up(float(value), 1)) == shown  # a float goes through its shortest repr


def test_a_rate_reads_the_same_in_excel_and_word():
    """3410 of 4000 is 85.25 %: the Excel cell holds 0.853 (format 0.0 % → 85.3 %) and the Word
    table says 85.3 % — before, Word's "%.1f" of the float said 85.2 %."""
    rate = tables.fraction(3410, 4000)
    assert rate == Decimal("0.853")
    assert xlsx.FORMATS["rate"] == "0.0%"
    assert docx.format_value(rate, "rate") == "85.3%" == percent(Decimal("0.8525"))
    # a stored percentage (a score rate, a target) goes the same way
    assert tables.percent_fraction(Decimal("85.25")) == Decimal("0.853")
    assert docx.format_value(tables.percent_fraction(Decimal("85.25")), "rate") == "85.3%"


AS_OF = local(2026, 11, 20, 10)


@pytest.mark.parametrize(
    ("waited", "overdue"),
    [
        (timedelta(days=15), False),
        (timedelta(days=15, hours=23, minutes=59, seconds=59), False),  # still shown as 15
        (timedelta(days=16), True),
        (timedelta(days=20), True),
    ],
)
def test_overdue_means_more_than_fifteen_days(org, waited, overdue):
    """The heading says 超期未审（>15天）; the list shows whole days waited. Exactly 15 days (or
    15 days and hours, shown as 15) is not overdue; 16 days is."""
    BrandApplication.objects.create(
        unit=org.a1,
        applicant=org.users["secretary"],
        status=Status.IN_REVIEW,
        name="边界品牌",
        submitted_at=AS_OF - waited,
        current_level=org.city_a,
    )
    section = selectors.backlog_section(org.province, AS_OF)
    assert section.overdue_days == 15
    assert section.totals["in_review"] == 1
    assert section.totals["overdue"] == int(overdue)
    items = list(section.items(limit=10))
    assert len(items) == int(overdue)
    if overdue:
        assert items[0].waiting_days > 15
    heading = tables._backlog(_data(org, section)).tables[0].columns[3].label
    assert heading == "超期未审（>15天）"


def _data(org, backlog):
    from types import SimpleNamespace

    return SimpleNamespace(backlog=backlog, month=AS_OF.date())


def test_every_committee_keeps_its_row_with_zeros(org):
    """A committee without an event in the month keeps its row in the province's table, 0s."""
    section = selectors.activity_section(org.province, AS_OF.date().replace(day=1))
    labels = [r.label for r in section.rows]
    assert labels == [org.city_a.name, org.city_b.name]
    assert all(r[k] == 0 for r in section.rows for k in selectors.ACTIVITY)
    assert section.totals["approved"] == 0


def test_a_past_month_keeps_its_figures_after_a_branch_moves(
    world, files, django_capture_on_commit_callbacks
):
    """A1 filed, was approved and built in the month, under city A. It then moves to city B:
    the month regenerated counts it under city A still, in the province's and in each city's
    bulletin; what A1 does after the move counts under city B."""
    from branches.models import OrgUnit
    from bulletins.models import BulletinStatus
    from bulletins.services import request_bulletin
    from tests.bulletins.test_figures import sheet
    from workflow.services import record_audit

    org = world.org

    def generate(scope):
        """Generate (or regenerate) as the page's button does."""
        with django_capture_on_commit_callbacks(execute=True):
            bulletin, _queued = request_bulletin(scope=scope, month=world.month)
        bulletin.refresh_from_db()
        assert bulletin.status == BulletinStatus.DONE, bulletin.error
        return sheet(files(bulletin).wb, "本月申报与审批")

    def figures():
        return [generate(scope) for scope in (org.province, org.city_a, org.city_b)]

    before = figures()
    assert before[0]["甲市分公司党委"] == (2, 0, 1, 1, 0, 1)
    OrgUnit.objects.move(OrgUnit.objects.get(pk=org.a1.pk), org.city_b, pos="last-child")
    moved = OrgUnit.objects.get(pk=org.a1.pk)
    assert moved.path.startswith(org.city_b.path)
    assert figures() == before

    entry = record_audit(actor=None, obj=world.apps["a1"], action="return", unit=moved)
    entry.refresh_from_db()
    assert entry.committee_id == org.city_b.pk


def test_the_backfill_puts_old_entries_under_todays_committees(world):
    """Entries written before the column existed take their unit's committee in today's tree."""
    import importlib

    from tests.conftest import _historical_apps
    from workflow.models import AuditEntry

    AuditEntry.objects.update(committee=None)
    migration = importlib.import_module("workflow.migrations.0006_audit_committee")
    migration.backfill(_historical_apps(), None)
    org = world.org
    a1_entries = AuditEntry.objects.filter(unit=org.a1)
    assert a1_entries.exists()
    assert set(a1_entries.values_list("committee", flat=True)) == {org.city_a.pk}
    direct = world.units["d1"]
    assert set(AuditEntry.objects.filter(unit=direct).values_list("committee", flat=True)) == {
        world.units["d"].pk
    }


def test_entries_written_in_bulk_keep_their_committee_too(org, django_assert_max_num_queries):
    """A publication writes its audit in bulk (units loaded), the demo trail by unit id."""
    from django.contrib.contenttypes.models import ContentType

    from workflow.models import AuditEntry

    content_type = ContentType.objects.get_for_model(BrandApplication)

    def entry(**unit):
        return AuditEntry(content_type=content_type, object_id=1, action="x", **unit)

    rows = [entry(unit=org.a1), entry(unit_id=org.b1.pk), entry(unit=org.province), entry()]
    with django_assert_max_num_queries(3):  # units by id, committees, the insert
        AuditEntry.objects.bulk_create(rows)
    got = list(AuditEntry.objects.order_by("pk").values_list("committee", flat=True))
    assert got == [org.city_a.pk, org.city_b.pk, None, None]
