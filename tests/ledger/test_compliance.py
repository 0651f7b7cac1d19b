"""Compliance selectors: required vs held per template, prorated to the span; attendance per
meeting and per member; the figures equal independent counts; constant query counts."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledger.models import Attendance, MeetingRecord, RecordStatus
from ledger.selectors import areas
from ledger.selectors import compliance as sel
from ledger.spans import Span
from tests.clock import local
from tests.factories import MemberFactory, OrgUnitFactory, PartyGroupFactory

from .world import World, held

pytestmark = pytest.mark.django_db

Q1 = Span.quarter(datetime.date(2026, 2, 1))
MARCH = Span.month(datetime.date(2026, 3, 1))
FEBRUARY = Span.month(datetime.date(2026, 2, 1))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(local(2026, 4, 2, 10), tick=False):
        yield


@pytest.fixture
def world(org, roster):
    return World(org, roster)


def rows(figures):
    return {r.template.key: (r.required, r.held) for r in figures.rows if r.required}


def test_due_periods_follow_the_calendar():
    assert list(Span.month(datetime.date(2026, 2, 9)).due_buckets("quarterly")) == []
    assert len(MARCH.due_buckets("quarterly")) == 1
    assert len(Q1.due_buckets("monthly")) == 3
    year = Span.year(datetime.date(2026, 6, 1))
    assert [
        len(year.due_buckets(f)) for f in ("monthly", "quarterly", "half_yearly", "yearly")
    ] == [
        12,
        4,
        2,
        1,
    ]
    assert Q1.counting_from() == datetime.date(2026, 1, 1)
    assert MARCH.counting_from() == datetime.date(2026, 1, 1)  # 党课 counts over Q1
    odd = Span(datetime.date(2026, 1, 15), datetime.date(2026, 3, 14))
    assert len(odd.due_buckets("monthly")) == 2  # January and February end inside


def test_a_quarter_counts_each_month_once_and_groups_separately(org, world):
    figures = sel.for_branch(org.a1, Q1)
    assert rows(figures) == {
        "committee-meeting": (3, 2),  # two in January count once; the February draft not at all
        "group-meeting": (6, 2),  # two groups × three months; only group 1 met
        "theme-day": (3, 0),
        "branch-assembly": (1, 0),
        "party-lecture": (1, 1),
    }
    committee = next(r for r in figures.rows if r.template.key == "committee-meeting")
    assert committee.dates == [
        datetime.date(2026, 1, 8),
        datetime.date(2026, 1, 20),
        datetime.date(2026, 3, 3),
    ]
    assert figures.required == 14 and figures.held == 5


def test_the_month_page_says_what_is_still_due(org, world):
    figures = sel.for_branch(org.a1, MARCH)
    assert rows(figures) == {
        "committee-meeting": (1, 1),
        "group-meeting": (2, 0),
        "theme-day": (1, 0),
        "branch-assembly": (1, 0),
        "party-lecture": (1, 1),  # held in February, due by the end of March
    }
    assert {r.template.key: r.missing for r in figures.still_due} == {
        "group-meeting": 2,
        "theme-day": 1,
        "branch-assembly": 1,
    }
    assert rows(sel.for_branch(org.a1, FEBRUARY))["committee-meeting"] == (1, 0)  # draft only


def test_attendance_equals_an_independent_sql_count(org, world):
    figures = sel.for_branch(org.a1, Q1)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), SUM(CASE WHEN a.status = 'present' THEN 1 ELSE 0 END) "
            "FROM ledger_attendance a JOIN ledger_meetingrecord r ON r.id = a.record_id "
            "WHERE r.branch_id = %s AND r.status = 'recorded'",
            [org.a1.pk],
        )
        listed, present = cursor.fetchone()
    assert (figures.attendance_listed, figures.attendance_present) == (listed, present) == (8, 6)
    assert figures.attendance_rate == pytest.approx(75)
    recorded = MeetingRecord.objects.filter(branch=org.a1, status=RecordStatus.RECORDED).count()
    assert (figures.records_total, figures.records_recorded) == (recorded + 1, recorded)


def test_attendance_per_meeting_and_per_member(org, roster, world):
    meetings = {r.pk: (r.listed, r.present) for r in sel.meeting_attendance(org.a1, Q1)}
    assert meetings[world.c_jan8.pk] == (3, 2) and meetings[world.c_mar3.pk] == (2, 1)
    members = {m["member__name"]: m for m in sel.member_attendance(org.a1, Q1)}
    assert (members["李明"]["listed"], members["李明"]["present"]) == (4, 4)
    assert (members["王芳"]["listed"], members["王芳"]["present"]) == (3, 2)
    assert (members["赵强"]["present"], members["赵强"]["leave"]) == (0, 1)
    expected = Attendance.objects.filter(member=roster.wang, status="present").count()
    assert members["王芳"]["present"] == expected


def test_a_meeting_just_after_local_midnight_counts_in_the_new_month(org, roster):
    # 00:30 on 1 April in Shanghai is still 31 March in UTC.
    held(org.a1, "committee-meeting", local(2026, 4, 1, 0, 30), user=org.users["secretary"])
    assert rows(sel.for_branch(org.a1, MARCH))["committee-meeting"] == (1, 0)
    april = Span.month(datetime.date(2026, 4, 1))
    assert rows(sel.for_branch(org.a1, april))["committee-meeting"] == (1, 1)


def test_heart_talks_are_required_per_member_in_the_year(org, roster):
    secretary = org.users["secretary"]
    held(
        org.a1,
        "heart-talk",
        local(2026, 5, 6, 10),
        user=secretary,
        attendance=[(roster.li, "present"), (roster.wang, "present")],
    )
    held(
        org.a1,
        "heart-talk",
        local(2026, 9, 6, 10),
        user=secretary,
        attendance=[(roster.li, "present")],
    )
    year = sel.for_branch(org.a1, Span.year(datetime.date(2026, 1, 1)))
    assert rows(year)["heart-talk"] == (3, 2)  # three members; Li twice counts once


def test_a_sibling_branch_never_counts(org, world):
    assert rows(sel.for_branch(org.b1, MARCH))["committee-meeting"] == (1, 1)
    assert rows(sel.for_branch(org.a1, MARCH))["committee-meeting"] == (1, 1)


def _branches(org, n):
    secretary = org.users["secretary"]
    branches = []
    for i in range(n):
        branch = OrgUnitFactory(parent=org.city_a, name=f"测试支部{i}", category="production")
        group = PartyGroupFactory(branch=branch, name="一组")
        member = MemberFactory(branch=branch, party_group=group)
        held(
            branch,
            "committee-meeting",
            local(2026, 3, 2, 9),
            user=secretary,
            attendance=[(member, "present")],
        )
        held(branch, "group-meeting", local(2026, 3, 2, 15), user=secretary, group=group)
        branches.append(branch)
    return branches


@pytest.mark.parametrize("n", [3, 30])
def test_queries_do_not_grow_with_branches(org, roster, n, django_assert_num_queries):
    branches = _branches(org, n)
    with django_assert_num_queries(4):
        figures = sel.compliance(branches, Q1)
    assert all(f.held == 2 for f in figures.values())
    org.users["city_reviewer"].__dict__.pop("role_assignments", None)
    reviewer = org.users["city_reviewer"]
    _ = reviewer.role_assignments  # loaded once per request in the views
    with django_assert_num_queries(7):  # and whether a snapshot exists (none: counted live)
        area = areas.area_compliance(reviewer, org.city_a, Q1)
    rows_by_name = {r.unit.name: r for r in area}
    assert len([r for r in area if r.is_branch]) == n + 1  # A2 plus the new ones
    assert rows_by_name["测试支部0"].held == 2


def test_the_area_rows_sum_their_branches_and_stay_in_scope(org, world):
    reviewer = org.users["city_reviewer"]
    with CaptureQueriesContext(connection):
        area = areas.area_compliance(reviewer, org.province, MARCH)
    names = {r.unit.name for r in area}
    assert names == {"甲市分公司党委"}  # city B is outside the city reviewer's scope
    province = areas.area_compliance(org.users["province_reviewer"], org.province, MARCH)
    city_a = next(r for r in province if r.unit == org.city_a)
    assert [b.branch for b in city_a.behind] == [org.a1, org.a2]
    assert city_a.held == sum(b.held for b in city_a.branches)


def test_the_area_rows_carry_the_branches_figures_without_their_record_counts(org, world):
    """The area page counts each branch as `compliance()` does, but not the span's records (the
    page shows none: `record_counts=False`); a row's figures are its branches' sums."""
    province = areas.area_compliance(org.users["province_reviewer"], org.province, MARCH)
    city_a = next(r for r in province if r.unit == org.city_a)
    full = sel.compliance([b.branch for b in city_a.branches], MARCH)
    for b in city_a.branches:
        f = full[b.branch.pk]
        assert (rows(b), b.attendance_listed, b.attendance_present) == (
            rows(f),
            f.attendance_listed,
            f.attendance_present,
        )
        assert (b.records_total, b.records_recorded) == (None, None)
    assert (city_a.required, city_a.held) == (
        sum(f.required for f in full.values()),
        sum(f.held for f in full.values()),
    )
    assert city_a.behind_count == len([f for f in full.values() if f.still_due]) == 2


def test_a_unit_counted_by_its_path_equals_its_branches_by_id(org, world):
    """The batch form (`within`: filter on the unit's path, as for a province) counts exactly
    what the list of ids counts."""

    def figures(result):
        return {
            pk: (
                rows(f),
                f.attendance_listed,
                f.attendance_present,
                f.records_total,
                f.records_recorded,
            )
            for pk, f in result.items()
        }

    for unit, span in ((org.city_a, Q1), (org.province, MARCH), (org.a1, FEBRUARY)):
        branches = list(sel.branches_in(unit))
        by_id = figures(sel.compliance(branches, span))
        assert figures(sel.compliance(branches, span, within=unit)) == by_id
        assert any(held for f in by_id.values() for _req, held in f[0].values())


@pytest.mark.parametrize("reader", ["province_reviewer", "city_reviewer"])
def test_a_page_of_children_reads_the_branches_a_prefix_test_per_child_reads(org, reader):
    """`_branches_of_page` takes a child that is a branch as its own only branch and asks for
    the others' subtrees only: the same branches, in the same order, as one prefix test per
    child (a general branch beside a branch, a city, the province)."""
    from django.db.models import Q

    from branches.models import UnitType
    from branches.selectors import units_visible_to

    user = org.users[reader]
    for unit in (org.province, org.city_a):
        visible = units_visible_to(user).filter(path__startswith=unit.path, is_active=True)
        children = list(areas.area_children(user, unit))
        under = Q()
        for child in children:
            under |= Q(path__startswith=child.path)
        branches = visible.filter(unit_type=UnitType.BRANCH)
        expected = list(branches.filter(under).order_by("path"))
        got = areas._branches_of_page(branches, children)
        assert [b.pk for b in got] == [b.pk for b in expected]
        assert len(expected) >= 1


def test_a_branch_s_sums_equal_its_rows_which_are_built_when_read(org, world):
    """The fold adds up `required`, `held` and whether a meeting is still missing as it counts
    (a committee's page reads those of a hundred branches); the rows, built when read, give
    the same sums."""
    for span in (MARCH, Q1, Span.year(datetime.date(2026, 1, 1))):
        figures = sel.compliance(list(sel.branches_in(org.province)), span)
        assert any(f.is_behind for f in figures.values())
        assert any(f.held for f in figures.values())
        for f in figures.values():
            assert "rows" not in vars(f)  # not built yet
            assert f.required == sum(r.required for r in f.rows)
            assert f.held == sum(min(r.held, r.required) for r in f.rows)
            assert f.is_behind == bool([r for r in f.rows if r.missing]) == bool(f.still_due)


def test_no_branch_asked_for_counts_nothing_without_a_statement(org, world):
    from ledger.selectors import counting

    none = counting.Branches()
    templates = sel.current_templates()
    with CaptureQueriesContext(connection) as queries:
        assert counting.held_per_period(none, MARCH, templates) == {}
        assert counting.held_totals(none, Q1, templates) == {}
        assert counting.branch_sizes_in(none, [MARCH, Q1]) == [{}, {}]
        assert sel._attendance(none, [MARCH]) == [{}]
    assert len(queries) == 0
