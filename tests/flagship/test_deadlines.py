import datetime

import pytest

from flagship import deadlines
from flagship.models import Candidacy, CandidacyStatus, FlagshipCycle, Phase
from flagship.services import candidacy as candidacies
from workflow import jobs
from workflow.models import Notification, ReminderLog

from .conftest import YEAR, accept, advance, new_cycle

pytestmark = pytest.mark.smoke
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(y, m, d, h=10):
    return datetime.datetime(y, m, d, h, tzinfo=SHANGHAI)


def test_the_closer_opens_locks_and_is_idempotent(org, eligible):
    cycle = new_cycle(org)
    assert deadlines.close_flagship_windows(at(YEAR, 2, 1)) == 1  # the window opens
    draft = candidacies.save_candidacy_draft(
        actor=org.users["secretary"], cycle=FlagshipCycle.objects.get(pk=cycle.pk), unit=org.a1
    )
    assert deadlines.close_flagship_windows(at(YEAR, 3, 31, 23)) == 0
    assert deadlines.close_flagship_windows(at(YEAR, 4, 1)) == 1  # the draft is locked
    assert deadlines.close_flagship_windows(at(YEAR, 4, 1)) == 0
    assert Candidacy.objects.get(pk=draft.pk).status == CandidacyStatus.LOCKED
    # nothing accepted: the notice cannot be published by date; the job retries quietly
    assert deadlines.close_flagship_windows(at(YEAR, 4, 21)) == 0
    assert FlagshipCycle.objects.get(pk=cycle.pk).phase == Phase.APPLICATION
    # the shared hourly job walks this closer too
    assert jobs.close_windows(at(YEAR, 4, 22)) >= 0


def test_reminders_before_the_application_and_summary_deadlines_once(org, open_cycle):
    secretary = org.users["secretary"]
    candidacies.save_candidacy_draft(actor=secretary, cycle=open_cycle, unit=org.a1)
    three_days_before = at(YEAR, 3, 29)
    assert jobs.send_deadline_reminders(three_days_before) >= 1
    assert jobs.send_deadline_reminders(three_days_before) == 0  # once per offset
    note = Notification.objects.get(recipient=secretary, title__contains="旗舰品牌申报")
    assert "2027-04-01 00:00" in note.title  # the end of 31 March, local time
    assert not Notification.objects.filter(recipient=org.sec_b1).exists()  # no candidacy

    b1 = accept(org, open_cycle, org.b1)
    advance(org, open_cycle, "publish_notice")
    advance(org, open_cycle, "start_management")
    assert b1.pk
    before_summary = at(YEAR + 1, 9, 28)
    jobs.send_deadline_reminders(before_summary)
    assert (
        Notification.objects.filter(recipient=org.sec_b1, title__startswith="截止提醒").count() == 1
    )
    assert ReminderLog.objects.filter(recipient=org.sec_b1).count() == 1
