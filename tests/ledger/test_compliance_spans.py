"""Several spans in one count (`compliance_in`): the branch compliance page (month, quarter and
year) and the secretary's 工作台 (the month's meetings, the year's overdue tasks) read the same
figures as one `compliance()` call per span, with the queries of one call."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ledger.models import RecordStatus
from ledger.selectors import compliance as sel
from ledger.selectors import worklist
from ledger.selectors.tasks import overdue_tasks
from ledger.services import worklist as work_lists
from ledger.spans import Span
from tests.clock import local

from .world import World, held

pytestmark = pytest.mark.django_db

#: Days a page may be opened on: mid-quarter, a quarter's last month, December (the yearly
#: templates fall due) and January (nothing before it in the year).
DAYS = [
    datetime.date(2026, 2, 10),
    datetime.date(2026, 3, 16),
    datetime.date(2026, 6, 30),
    datetime.date(2026, 12, 20),
    datetime.date(2026, 1, 5),
]


@pytest.fixture
def year_of_records(org, roster):
    """World's first quarter, then meetings, drafts, heart talks and attendance through the
    year at A1 and its sibling B1 — each span counts a different part of them."""
    World(org, roster)
    user = org.users["secretary"]
    li, wang = roster.li, roster.wang
    for month in (4, 5, 6, 9, 11, 12):
        held(
            org.a1,
            "committee-meeting",
            local(2026, month, 3, 9),
            user=user,
            attendance=[(li, "present"), (wang, "absent" if month % 2 else "present")],
        )
    held(org.a1, "committee-meeting", local(2026, 6, 20, 9), user=user)  # a second in June
    held(org.a1, "committee-meeting", local(2026, 7, 2, 9), user=user, status=RecordStatus.DRAFT)
    held(org.a1, "group-meeting", local(2026, 5, 8, 15), user=user, group=roster.g2)
    held(org.a1, "party-lecture", local(2026, 6, 1, 15), user=user)
    held(org.a1, "theme-day", local(2026, 12, 1, 15), user=user)
    held(org.a1, "heart-talk", local(2026, 5, 6, 10), user=user, attendance=[(li, "present")])
    held(org.a1, "heart-talk", local(2026, 12, 9, 10), user=user, attendance=[(wang, "present")])
    held(org.a1, "committee-meeting", local(2025, 12, 28, 9), user=user)  # last year
    held(org.b1, "committee-meeting", local(2026, 6, 10, 9), user=user)
    return [org.a1, org.a2, org.b1]


def _spans(day):
    return [Span.named(kind, day) for kind in ("month", "quarter", "year")]


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("with_dates", [False, True])
def test_one_count_for_the_three_spans_equals_one_call_each(year_of_records, day, with_dates):
    branches, spans = year_of_records, _spans(day)
    with time_machine.travel(local(day.year, day.month, day.day, 10), tick=False):
        separate = [sel.compliance(branches, s, with_dates=with_dates) for s in spans]
        together = sel.compliance_in(branches, spans, with_dates=with_dates)
    assert together == separate
    assert sum(f.held for f in together[2].values()) > 0  # the year counts something


def test_spans_apart_and_a_whole_province_equal_one_call_each(org, year_of_records):
    spans = [
        Span.month(datetime.date(2026, 2, 1)),
        Span.quarter(datetime.date(2026, 11, 1)),
        Span.month(datetime.date(2025, 12, 1)),
        Span(datetime.date(2026, 4, 15), datetime.date(2026, 6, 14)),
    ]
    branches = year_of_records
    for within in (None, org.province):
        separate = [sel.compliance(branches, s, with_dates=True, within=within) for s in spans]
        assert sel.compliance_in(branches, spans, with_dates=True, within=within) == separate


def test_three_spans_cost_the_queries_of_one(year_of_records, django_assert_num_queries):
    branches, spans = year_of_records, _spans(datetime.date(2026, 12, 20))
    with CaptureQueriesContext(connection) as one:
        sel.compliance(branches, spans[2], with_dates=True)  # the year: 谈心谈话 falls due
    with django_assert_num_queries(len(one.captured_queries)):
        sel.compliance_in(branches, spans, with_dates=True)


@pytest.mark.parametrize("day", [datetime.date(2026, 3, 16), datetime.date(2026, 12, 20)])
def test_the_branch_page_shows_the_figures_of_one_call_per_span(
    client, org, year_of_records, day, django_assert_num_queries
):
    url = reverse("ledger:compliance", args=[org.a1.pk])
    with time_machine.travel(local(day.year, day.month, day.day, 10), tick=False):
        client.force_login(org.users["secretary"])
        client.get(url)  # the session's first request
        # session, user, the branch, roles; one count of the three spans: templates, sizes,
        # held (with 谈心谈话, due in the year, in the same statement), attendance; the unread
        # notifications; the chosen span's two lists (one call per span made 23; the records
        # behind the figures, which the page does not show, one more)
        with django_assert_num_queries(11):
            response = client.get(url, {"span": "quarter"})
        expected = [
            sel.compliance([org.a1], s, record_counts=False)[org.a1.pk] for s in _spans(day)
        ]
        full = [sel.for_branch(org.a1, s) for s in _spans(day)]
    shown = [response.context["month"], *response.context["others"]]
    assert shown == expected
    # what the page shows is the full figures' (`for_branch`): rows, rates, attendance
    for page, whole in zip(shown, full, strict=True):
        assert [(r.template, r.required, r.held, r.periods) for r in page.rows] == [
            (r.template, r.required, r.held, r.periods) for r in whole.rows
        ]
        assert (page.rate, page.attendance_rate) == (whole.rate, whole.attendance_rate)
        assert [(r.template, r.missing) for r in page.still_due] == [
            (r.template, r.missing) for r in whole.still_due
        ]


@pytest.mark.parametrize("day", [datetime.date(2026, 3, 16), datetime.date(2026, 12, 20)])
def test_the_worklist_items_equal_the_separate_calls(org, year_of_records, day):
    """The month's meetings still due and the year's overdue tasks, as if each was counted
    on its own (`compliance()` for the month, `overdue_tasks` for the year)."""
    work_lists.generate_work_list(org.a1, 2026)
    with time_machine.travel(local(day.year, day.month, day.day, 10), tick=False):
        items = worklist.secretary_items(org.users["secretary"])
        month = sel.compliance([org.a1], Span.month(day))[org.a1.pk]
        overdue = overdue_tasks([org.a1], day)[org.a1.pk]
    [due, late] = items
    for row in month.still_due:
        assert f"{row.template.name} {row.missing} 次" in due.title
    assert due.title.count("次") == len(month.still_due)
    assert late.due_on == overdue[0].task.due_on
    assert f"{overdue[0].task.title}（{overdue[0].task.period_label}）" in late.title
    more = f"等 {len(overdue)} 项" if len(overdue) > 5 else ""
    assert late.title.endswith(more)


@pytest.mark.parametrize("day", DAYS)
def test_the_figures_without_attendance_or_record_counts_are_the_same_rows(year_of_records, day):
    """The 工作台 and the branch page leave out what they do not show (`attendance=False`,
    `record_counts=False`): the same rows, those figures None, and a statement less."""
    branches = year_of_records
    spans = _spans(day)
    with CaptureQueriesContext(connection) as full_queries:
        full = sel.compliance_in(branches, spans)
    with CaptureQueriesContext(connection) as lean_queries:
        lean = sel.compliance_in(branches, spans, attendance=False, record_counts=False)
    assert len(lean_queries.captured_queries) == len(full_queries.captured_queries) - 1
    for whole, part in zip(full, lean, strict=True):
        for pk, figures in whole.items():
            assert part[pk].rows == figures.rows
            assert (part[pk].required, part[pk].held) == (figures.required, figures.held)
            assert (part[pk].attendance_listed, part[pk].records_total) == (None, None)
            assert part[pk].attendance_rate is None
