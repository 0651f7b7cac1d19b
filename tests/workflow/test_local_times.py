"""Instants formatted in Python (not by a template's `|date`) are in Shanghai time."""

import datetime

import pytest
import time_machine
from django.core import mail

from common.formats import local_datetime
from workflow import jobs, services

pytestmark = pytest.mark.smoke

#: 17:06 on 11 December in UTC is 01:06 on 12 December in Shanghai.
LATE_UTC = datetime.datetime(2026, 12, 11, 17, 6, tzinfo=datetime.UTC)


def test_local_datetime_crosses_the_date_line():
    assert local_datetime(LATE_UTC) == "2026-12-12 01:06"
    assert local_datetime(LATE_UTC, "%m-%d %H:%M") == "12-12 01:06"
    assert local_datetime(LATE_UTC, "%Y-%m-%d") == "2026-12-12"


def test_an_audit_entry_reads_in_local_time(org):
    with time_machine.travel(LATE_UTC, tick=False):
        entry = services.record_audit(actor=org.users["secretary"], obj=org.a1, action="create")
    assert str(entry).startswith("2026-12-12 01:06 ")


def test_the_daily_digest_lists_local_times(org):
    reviewer = org.users["city_reviewer"]
    with time_machine.travel(LATE_UTC, tick=False):
        services.notify([reviewer], title="品牌申报待审核")
    with time_machine.travel(LATE_UTC + datetime.timedelta(hours=1), tick=False):
        assert jobs.send_daily_digests() == 1
    assert "· 12-12 01:06 品牌申报待审核" in mail.outbox[-1].body


def test_the_bulletins_files_write_local_times():
    """Files too (issue #14, item 2): the XLSX cell holds the Shanghai wall clock (Excel has no
    time zones) and the DOCX cell the Shanghai date — 12 December, not the UTC 11th."""
    from bulletins.exports import docx, xlsx

    assert xlsx._plain(LATE_UTC) == datetime.datetime(2026, 12, 12, 1, 6)
    assert docx.format_value(LATE_UTC, "datetime") == "2026-12-12"
