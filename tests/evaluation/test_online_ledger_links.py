"""The records behind the ledger-scored items (issue #16, item 5): each online ledger score
carries the meeting records it counted (id, local date, template name), read by the same
query as its figures; the fill and detail pages link them for the secretary and the reviewer,
with "查看全部 N 条" to the branch's filtered record list past six. The evidence text stays
the stored basis; the pages cost the same whatever the number of records."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation import online
from evaluation.models import PeriodKind
from evaluation.services import assessments as services
from ledger.kinds import MeetingKind as K
from ledger.models import MeetingRecord
from ledger.selectors.compliance import RecordRef, for_scoring
from tests.clock import local
from tests.ledger.conftest import Roster
from tests.ledger.world import World, held

from .conftest import full_marks, make_period
from .test_online_ledger import latest, online_scores, quarter_period

pytestmark = pytest.mark.django_db

Q1 = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(local(2026, 4, 2, 10), tick=False):
        yield


@pytest.fixture
def roster(org):
    return Roster(org)


@pytest.fixture
def a1(org):
    return quarter_period(org, latest("star-5521")).assessments.get(unit=org.a1)


@pytest.fixture
def world(org, roster):
    return World(org, roster)


def refs(branch, key, *, status="recorded") -> list[RecordRef]:
    """The records of a template key at the branch in Q1, as the pages name them."""
    records = MeetingRecord.objects.filter(branch=branch, template__key=key)
    if status:
        records = records.filter(status=status)
    return [
        RecordRef(r.pk, timezone.localtime(r.held_at).date(), r.template.name)
        for r in records.select_related("template").order_by("held_at", "pk")
    ]


def by_date(records) -> list:
    return sorted(records, key=lambda r: (r.date, r.pk))


# --- the refs ------------------------------------------------------------------------------


def test_the_figures_carry_the_records_they_count(org, world):
    figures = for_scoring(org.a1, *Q1)
    committee = next(m for m in figures.meetings if m.kind == K.COMMITTEE_MEETING)
    assert list(committee.records) == refs(org.a1, "committee-meeting")  # the draft is not
    assert [r.date.day for r in committee.records] == [8, 20, 3]
    assert committee.dates == tuple(r.date for r in committee.records)
    # every record of the span, the draft too, each saying whether it is recorded
    assert len(figures.records) == figures.records_total == 7
    assert [r.recorded for r in figures.records].count(False) == 1
    assert (figures.start, figures.end) == Q1
    assert not {r.pk for r in refs(org.b1, "committee-meeting")} & {r.pk for r in figures.records}


def test_each_ledger_score_names_its_records(org, world, a1):
    scores = online_scores(a1)
    gl2 = scores["gl-2"].records  # 支委会 and 支部党员大会
    assert list(gl2.refs) == refs(org.a1, "committee-meeting")
    assert set(gl2.kinds) == {K.COMMITTEE_MEETING, K.BRANCH_ASSEMBLY} and gl2.recorded_only
    assert (gl2.since, gl2.until) == Q1
    assert not gl2.more and gl2.shown == gl2.refs
    # 各类会议: 支委会 3, 党小组会 2, 党课 1 — six, all shown
    gl3 = scores["gl-3"].records
    expected = by_date(
        refs(org.a1, "committee-meeting")
        + refs(org.a1, "group-meeting")
        + refs(org.a1, "party-lecture")
    )
    assert list(gl3.refs) == expected and gl3.kinds == () and not gl3.more
    assert list(scores["gl-1"].records.refs) == refs(org.a1, "group-meeting")
    # attendance: the recorded meetings; completeness: every record, the draft too (7 > 6)
    assert list(scores["dw-2"].records.refs) == expected
    fw1 = scores["fw-1"].records
    assert len(fw1.refs) == 7 and fw1.more and len(fw1.shown) == 6
    assert not fw1.recorded_only and fw1.query == "since=2026-01-01&until=2026-03-31"
    assert "kinds=committee_meeting&kinds=branch_assembly" in gl2.query
    assert "status=recorded" in gl2.query
    # nothing due (组织生活会 / 民主评议 in December): no records behind the full points
    assert scores["dw-1"].records is None
    # the stored evidence text is unchanged
    assert scores["gl-2"].basis.endswith("（1月8日、1月20日、3月3日）。")


def test_talks_link_the_records_their_members_were_counted_from(org, roster):
    """谈心谈话 is counted per member from the attendance of its records: those records are
    the ones linked (the basis text keeps its counts only)."""
    user = org.users["secretary"]
    talk = held(
        org.a1, "heart-talk", local(2026, 3, 9, 15), user=user, attendance=[(roster.li, "present")]
    )
    year = make_period(
        org,
        version=latest("six-good"),
        kind=PeriodKind.ANNUAL,
        starts=datetime.date(2026, 1, 1),
        ends=datetime.date(2026, 12, 31),
        name="2026年度考评",
    )
    zzsh3 = online_scores(year.assessments.get(unit=org.a1))["zzsh-3"]
    assert [r.pk for r in zzsh3.records.refs] == [talk.pk]
    assert "应开谈心谈话 3 次，已开 1 次；" in zzsh3.basis  # no dates: members, not meetings


def test_nothing_recorded_links_nothing(org, roster, a1):
    scores = online_scores(a1)
    assert all(result.records is None for result in scores.values())


def test_the_full_list_starts_where_a_quarter_counted_from(org, world):
    """A March period counts the quarter's 党课 held on 20 February: its list starts there."""
    period = make_period(
        org,
        version=latest("star-5521"),
        starts=datetime.date(2026, 3, 1),
        ends=datetime.date(2026, 3, 31),
        name="2026年3月考评",
    )
    gl3 = online_scores(period.assessments.get(unit=org.a1))["gl-3"].records
    assert [(r.date, r.name) for r in gl3.refs] == [
        (datetime.date(2026, 2, 20), "党课"),
        (datetime.date(2026, 3, 3), "支委会"),
    ]
    assert (gl3.since, gl3.until) == (datetime.date(2026, 2, 20), datetime.date(2026, 3, 31))


def test_the_ledger_is_still_read_once(org, world, a1, django_assert_num_queries):
    from evaluation.selectors.tables import indicators_for

    indicators = indicators_for(a1.period.table_version_id, a1.category)
    unit, period = a1.unit, a1.period
    # no brand; the ledger's five: templates, sizes, held, the records behind, attendance
    with django_assert_num_queries(6):
        scored = online.scores(indicators, unit, period)
    assert sum(1 for r in scored.values() if r.records) == 5  # six ledger items, one due-free


# --- the pages -----------------------------------------------------------------------------


def record_links(body: str, code: str) -> list[str]:
    block = re.search(rf'data-testid="records-{code}">(.*?)</div>', body, re.S)
    return re.findall(r'href="([^"]+)"', block.group(1)) if block else []


def record_url(pk) -> str:
    return reverse("ledger:record", args=[pk])


def test_the_fill_page_links_the_records(client, org, world, a1):
    client.force_login(org.users["secretary"])
    body = client.get(reverse("evaluation:fill", args=[a1.pk])).content.decode()
    assert record_links(body, "gl-2") == [
        record_url(r.pk) for r in refs(org.a1, "committee-meeting")
    ]
    assert "2026-01-08 支委会" in body
    # completeness: six shown, then the whole list of the period
    links = record_links(body, "fw-1")
    assert len(links) == 7 and "查看全部 7 条" in body
    everything = links[-1].replace("&amp;", "&")
    assert everything == (
        reverse("ledger:records", args=[org.a1.pk]) + "?since=2026-01-01&until=2026-03-31"
    )
    listed = client.get(everything)
    assert len(listed.context["page"].object_list) == 7
    # five ledger items counted records (not 组织生活会, none due); the basis is the text
    assert len(re.findall(r'data-testid="records-', body)) == 5
    assert "应开支委会 3 次，已开 2 次（1月8日、1月20日、3月3日）" in body


def test_the_all_link_lists_the_rule_kinds_only(client, org, world, a1):
    """More than six records behind a meeting item: the list keeps the rule's kinds."""
    user = org.users["secretary"]
    for day in (3, 10, 17):
        held(org.a1, "theme-day", local(2026, 3, day, 9), user=user)
    client.force_login(user)
    body = client.get(reverse("evaluation:fill", args=[a1.pk])).content.decode()
    everything = record_links(body, "gl-3")[-1].replace("&amp;", "&")
    assert "kinds=" not in everything and "status=recorded" in everything  # every kind due
    # 支委会 / 支部党员大会 in the quarter: 3, all shown; the list filter named on the page
    url = reverse("ledger:records", args=[org.a1.pk])
    page = client.get(
        url,
        {
            "since": "2026-01-01",
            "until": "2026-03-31",
            "kinds": ["committee_meeting", "branch_assembly"],
            "status": "recorded",
        },
    )
    assert [r.pk for r in page.context["page"].object_list] == [
        r.pk for r in reversed(refs(org.a1, "committee-meeting"))
    ]
    assert "仅显示：支委会、支部党员大会 · 已记录" in page.content.decode()


def test_the_reviewer_sees_the_links_and_opens_the_record(client, org, world, a1):
    secretary = org.users["secretary"]
    services.save_draft(actor=secretary, pk=a1.pk, entries=full_marks(a1))
    services.submit_assessment(actor=secretary, pk=a1.pk)
    reviewer = org.users["city_reviewer"]
    client.force_login(reviewer)
    body = client.get(reverse("evaluation:assessment", args=[a1.pk])).content.decode()
    links = record_links(body, "gl-2")
    assert links == [record_url(r.pk) for r in refs(org.a1, "committee-meeting")]
    assert client.get(links[0]).status_code == 200
    # the secretary's view of the submitted assessment links them too
    client.force_login(secretary)
    body = client.get(reverse("evaluation:assessment", args=[a1.pk])).content.decode()
    assert record_links(body, "gl-2") == links


def test_another_citys_reviewer_cannot_open_the_records(client, org, world, a1):
    """The links lead to the ledger's own pages, which check again: a sibling subtree's
    reviewer is refused the record, the filtered list and the assessment (403, the house's
    convention for an existing object out of scope)."""
    client.force_login(org.rev_b)
    assert client.get(record_url(world.c_jan8.pk)).status_code == 403
    records = reverse("ledger:records", args=[org.a1.pk]) + "?since=2026-01-01&until=2026-03-31"
    assert client.get(records).status_code == 403
    assert client.get(reverse("evaluation:assessment", args=[a1.pk])).status_code == 403


def _queries(client, url) -> int:
    client.get(url)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_cost_the_same_with_more_records(client, org, roster, a1):
    """Links for one record per item, then for many (past six, with the all link): the same
    number of queries on the fill page and on the reviewer's page."""
    user = org.users["secretary"]
    held(org.a1, "committee-meeting", local(2026, 1, 8, 9), user=user)
    client.force_login(user)
    fill = reverse("evaluation:fill", args=[a1.pk])
    few = _queries(client, fill)
    for day in range(2, 28, 2):
        for key in ("committee-meeting", "theme-day", "party-lecture"):
            held(org.a1, key, local(2026, 2, day, 9), user=user)
    held(org.a1, "group-meeting", local(2026, 3, 2, 9), user=user, group=roster.g1)
    many = _queries(client, fill)
    body = client.get(fill).content.decode()
    assert len(record_links(body, "gl-3")) == 7 and "查看全部" in body
    assert many == few

    detail = reverse("evaluation:assessment", args=[a1.pk])
    client.force_login(org.users["city_reviewer"])
    with_many = _queries(client, detail)
    MeetingRecord.objects.filter(branch=org.a1, held_at__month=2).delete()
    assert _queries(client, detail) == with_many
