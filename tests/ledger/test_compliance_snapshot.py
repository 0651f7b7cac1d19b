"""The stored compliance rollup (issue #16, Scale): the snapshot's figures equal the live
`compliance()` per branch and summed up the tree; a rerun is idempotent; the area page reads
it in a fixed number of queries (and says when it was counted), falls back to live counting
for a month not counted yet; the nightly job runs in the scheduled-job wrapper."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from ledger.models import ComplianceRun, ComplianceSnapshot
from ledger.selectors import areas
from ledger.selectors import compliance as sel
from ledger.selectors.snapshots import StoredAreaRow
from ledger.services.snapshots import months_to_refresh, refresh_compliance
from ledger.spans import Span
from ledger.tasks import refresh_compliance_snapshots
from tests.clock import local

from .test_compliance import _branches
from .world import World

pytestmark = pytest.mark.django_db

NOW = local(2026, 4, 2, 10)
Q1 = Span.quarter(datetime.date(2026, 2, 1))
MONTHS = [datetime.date(2026, m, 1) for m in (1, 2, 3)]


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(org, roster):
    return World(org, roster)


def _figures(unit, month):
    return ComplianceSnapshot.objects.get(unit=unit, month=month)


def _live(branches, span):
    figures = sel.compliance(branches, span).values()
    return {
        "required": sum(f.required for f in figures),
        "held": sum(f.held for f in figures),
        "branches": len(figures),
        "behind": sum(1 for f in figures if f.still_due),
        "attendance_listed": sum(f.attendance_listed for f in figures),
        "attendance_present": sum(f.attendance_present for f in figures),
    }


def _stored(unit, month):
    row = _figures(unit, month)
    return {k: getattr(row, k) for k in _live([], Span.month(month))}


@pytest.mark.parametrize("month", MONTHS)
def test_the_snapshot_equals_the_live_figures_per_branch_and_up_the_tree(org, world, month):
    assert refresh_compliance(month) == 3  # A1, A2, B1
    span = Span.month(month)
    for branch in (org.a1, org.a2, org.b1):
        assert _stored(branch, month) == _live([branch], span)
    assert _stored(org.general_a, month) == _live([org.a1], span)
    assert _stored(org.city_a, month) == _live([org.a1, org.a2], span)
    assert _stored(org.province, month) == _live([org.a1, org.a2, org.b1], span)
    assert not ComplianceSnapshot.objects.filter(unit=org.group_a1).exists()  # no branch below
    assert ComplianceRun.objects.get(month=month).computed_at == NOW


def test_a_rerun_is_idempotent_and_drops_closed_branches(org, world):
    refresh_compliance(MONTHS[2])
    before = list(ComplianceSnapshot.objects.values_list("unit_id", "required", "held", "behind"))
    refresh_compliance(MONTHS[2], chunk=1)  # chunking changes nothing
    after = list(ComplianceSnapshot.objects.values_list("unit_id", "required", "held", "behind"))
    assert sorted(before) == sorted(after)
    org.a2.is_active = False
    org.a2.save()
    refresh_compliance(MONTHS[2])
    assert not ComplianceSnapshot.objects.filter(unit=org.a2).exists()
    assert _stored(org.city_a, MONTHS[2]) == _live([org.a1], Span.month(MONTHS[2]))


@pytest.mark.parametrize("span", [Span.month(MONTHS[2]), Q1])
def test_the_area_read_from_the_snapshot_equals_the_live_one(org, world, span):
    reviewer = org.users["province_reviewer"]
    live = areas.area_compliance(reviewer, org.province, span)
    assert live.computed_at is None
    for month in MONTHS:
        refresh_compliance(month)
    stored = areas.area_compliance(reviewer, org.province, span)
    assert all(isinstance(r, StoredAreaRow) for r in stored)
    assert stored.computed_at == NOW
    assert [
        (r.unit, r.required, r.held, r.rate, r.attendance_rate, r.behind_count) for r in stored
    ] == [(r.unit, r.required, r.held, r.rate, r.attendance_rate, r.behind_count) for r in live]
    city_a = next(r for r in stored if r.unit == org.city_a)
    expected = [b.branch for b in next(r for r in live if r.unit == org.city_a).behind]
    assert [b.branch for b in city_a.behind] == expected


def test_a_month_not_counted_yet_is_counted_live(org, world):
    refresh_compliance(MONTHS[0])
    refresh_compliance(MONTHS[1])  # March not yet: the quarter is counted live
    area = areas.area_compliance(org.users["province_reviewer"], org.province, Q1)
    assert area.computed_at is None and area and not isinstance(area[0], StoredAreaRow)


def _page(client, org):
    """The city's page this quarter (April–June at the frozen clock), its queries counted."""
    for month in (4, 5, 6):
        refresh_compliance(datetime.date(2026, month, 1))
    url = reverse("ledger:compliance_unit", args=[org.city_a.pk])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, {"span": "quarter"})
    assert page.status_code == 200
    return page.content.decode(), len(queries)


def test_the_area_page_reads_as_many_queries_for_2_as_for_20_branches(client, org, roster):
    client.force_login(org.users["province_reviewer"])
    _branches(org, 2)
    html, few = _page(client, org)
    assert "统计截至 2026-04-02 10:00" in html  # the snapshot's time, Asia/Shanghai
    assert "测试支部1" in html
    _branches(org, 18)
    html, many = _page(client, org)
    assert html.count('data-testid="area-') == 1 + 2 + 20  # the list; GA, A2, the new ones
    assert few == many <= 14


def test_the_page_without_a_snapshot_still_shows_the_figures(client, org, world):
    client.force_login(org.users["province_reviewer"])
    page = client.get(reverse("ledger:compliance_unit", args=[org.city_a.pk]), {"span": "quarter"})
    assert page.status_code == 200
    assert "统计截至" not in page.content.decode()
    assert org.a2.name in page.content.decode()


def test_the_nightly_job_counts_this_year_and_last_month_in_the_wrapper(org, world):
    assert months_to_refresh(datetime.date(2026, 4, 2))[0] == datetime.date(2026, 1, 1)
    assert months_to_refresh(datetime.date(2027, 1, 5))[0] == datetime.date(2026, 12, 1)
    assert refresh_compliance_snapshots() == 3 * 12
    assert ComplianceRun.objects.count() == 12
    task = PeriodicTask.objects.get(task="ledger.tasks.refresh_compliance_snapshots")
    assert (task.crontab.hour, task.crontab.minute) == ("2", "10")
    assert str(task.crontab.timezone) == "Asia/Shanghai"
    from workflow.models import ScheduledRun

    assert ScheduledRun.objects.get(task="ledger.tasks.refresh_compliance_snapshots")


def test_the_nightly_job_may_run_longer_than_the_common_limit():
    assert refresh_compliance_snapshots.soft_time_limit >= 60 * 60
    assert refresh_compliance_snapshots.time_limit > refresh_compliance_snapshots.soft_time_limit
