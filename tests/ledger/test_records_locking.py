"""The lock rule (`ledger.locking`) at its boundary instants, Asia/Shanghai wall clock: a
month's records stay open through the 10th of the next month and lock at 00:00:00 on the 11th;
a write into a locked month is a correction with a reason, audited."""

import pytest
import time_machine
from django.core.exceptions import ValidationError

from ledger import services
from ledger.locking import is_locked, locks_at
from tests.clock import local
from workflow.models import AuditEntry

from .conftest import present

JANUARY_MEETING = local(2026, 1, 31, 23, 59, 59)


@pytest.mark.parametrize(
    "now, locked",
    [
        (local(2026, 2, 10, 23, 59, 59), False),
        (local(2026, 2, 11, 0, 0, 0), True),
        (local(2026, 1, 31, 23, 59, 59), False),  # the month itself
    ],
)
def test_a_month_locks_at_midnight_after_the_tenth_of_the_next(now, locked):
    with time_machine.travel(now, tick=False):
        assert is_locked(JANUARY_MEETING) is locked
        assert is_locked(local(2026, 2, 1, 0, 0, 0)) is False  # February is a later month


def test_the_meetings_month_is_its_local_month():
    # 1 February 00:00 in Shanghai is still 31 January in UTC: it belongs to February.
    assert locks_at(local(2026, 2, 1, 0, 0, 0)) == local(2026, 3, 11)
    assert locks_at(local(2026, 1, 31, 23, 59, 59)) == local(2026, 2, 11)
    assert locks_at(local(2025, 12, 31, 20, 0, 0)) == local(2026, 1, 11)


def test_the_number_of_days_is_a_setting(settings):
    settings.LEDGER_LOCK_AFTER_DAYS = 0
    assert locks_at(JANUARY_MEETING) == local(2026, 2, 1)
    with time_machine.travel(local(2026, 1, 31, 23, 59, 59), tick=False):
        assert not is_locked(JANUARY_MEETING)
    with time_machine.travel(local(2026, 2, 1, 0, 0, 0), tick=False):
        assert is_locked(JANUARY_MEETING)


def _new(org, tpl, reason=""):
    return services.save_draft(
        actor=org.users["secretary"],
        branch=org.a1,
        template=tpl,
        data={"held_at": JANUARY_MEETING, "topic": "补录"},
        reason=reason,
    )


@pytest.mark.django_db
def test_a_meeting_in_a_locked_month_is_refused_without_a_reason(org, roster, tpl):
    with time_machine.travel(local(2026, 2, 10, 23, 59, 59), tick=False):
        _new(org, tpl).delete()
    with time_machine.travel(local(2026, 2, 11, 0, 0, 0), tick=False):
        with pytest.raises(ValidationError) as exc:
            _new(org, tpl)
        assert exc.value.message_dict["reason"] == ["该月台账已锁定，如需补录请说明原因"]
        record = _new(org, tpl, reason="会议当月系统故障，补录")
    entry = AuditEntry.objects.get(object_id=record.pk, action="record_correct")
    assert entry.comment == "会议当月系统故障，补录"


@pytest.mark.django_db
def test_a_locked_record_is_corrected_with_a_reason_only(org, roster, tpl):
    with time_machine.travel(local(2026, 2, 3, 9, 0, 0), tick=False):
        record = _new(org, tpl)
        services.save_draft(
            actor=org.users["secretary"],
            record=record,
            data={"place": "会议室"},
            attendance=present(roster.li),
        )
    with time_machine.travel(local(2026, 2, 11, 0, 0, 0), tick=False):
        with pytest.raises(ValidationError, match="该月台账已锁定"):
            services.save_draft(actor=org.users["secretary"], record=record, data={"place": "X"})
        # moving a record out of a locked month is a correction too
        with pytest.raises(ValidationError, match="该月台账已锁定"):
            services.save_draft(
                actor=org.users["secretary"],
                record=record,
                data={"held_at": local(2026, 2, 5, 9, 0, 0)},
            )
        services.save_draft(
            actor=org.users["secretary"], record=record, data={"place": "X"}, reason="地点写错"
        )
    entry = AuditEntry.objects.filter(object_id=record.pk, action="record_correct").get()
    assert entry.comment == "会议地点；地点写错" and entry.actor == org.users["secretary"]
