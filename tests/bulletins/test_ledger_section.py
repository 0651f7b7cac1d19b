"""The bulletin's ledger section (组织生活按期开展情况): per committee, the meetings due and held
in the month as `ledger.selectors.compliance` counts them, every committee with its row."""

from datetime import date

import time_machine

from bulletins import selectors
from bulletins.exports import docx, tables
from ledger.models import MeetingKind, MeetingTemplate, RecordStatus
from ledger.selectors import compliance
from ledger.spans import Span
from tests.clock import local

MONTH = date(2026, 11, 1)


def _record(org, kind, held_at, status=RecordStatus.RECORDED):
    from ledger.models import MeetingRecord

    template = MeetingTemplate.objects.filter(kind=kind).order_by("-pk").first()
    return MeetingRecord.objects.create(
        branch=org.a1,
        template=template,
        held_at=held_at,
        topic="学习",
        status=status,
        recorded_at=held_at,
        created_by=org.users["secretary"],
    )


def test_meetings_due_and_held_per_committee(org):
    with time_machine.travel(local(2026, 12, 2, 9), tick=False):
        _record(org, MeetingKind.COMMITTEE_MEETING, local(2026, 11, 5, 15))
        _record(org, MeetingKind.THEME_DAY, local(2026, 11, 6, 15), status=RecordStatus.DRAFT)
        section = selectors.ledger_section(org.province, MONTH)
    rows = {r.label: r for r in section.rows}
    assert list(rows) == [org.city_a.name, org.city_b.name]
    figures = compliance.compliance(compliance.branches_in(org.province), Span.month(MONTH))
    a1, a2, b1 = (figures[u.pk] for u in (org.a1, org.a2, org.b1))
    city_a, city_b = rows[org.city_a.name], rows[org.city_b.name]
    assert (city_a["branches"], city_b["branches"]) == (2, 1)
    assert city_a["required"] == a1.required + a2.required > 0
    assert city_a["held"] == 1  # the draft theme day does not count
    assert city_b["held"] == 0 and city_b["required"] == b1.required
    assert city_b["rate"] == 0  # a zero, shown as 0.0 %, not "no data"
    assert section.totals["held"] == 1
    assert section.totals["required"] == city_a["required"] + city_b["required"]
    assert city_b["behind"] == 1
    written = tables._ledger(_data(section))
    (table,) = written.tables
    lines = list(table.rows())
    assert [line[0] for line in lines] == [org.city_a.name, org.city_b.name]
    assert docx.format_value(lines[1][4], "rate") == "0.0%"


def test_a_city_bulletin_has_its_own_row_only(org):
    with time_machine.travel(local(2026, 12, 2, 9), tick=False):
        section = selectors.ledger_section(org.city_b, MONTH)
    assert [r.label for r in section.rows] == [org.city_b.name]
    assert section.totals.label == "乙市分公司党委合计"


def _data(section):
    from types import SimpleNamespace

    return SimpleNamespace(ledger=section, month=MONTH)
