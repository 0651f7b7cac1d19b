"""The flagship cycle's dates at their boundary instants (Asia/Shanghai): the application
window (opens 1 February, closes 31 March of year 1), the summary deadline (30 September of
year 2) and an honour's validity (until 31 December, two years after the decision). Each date
holds until 23:59:59 local and has passed at 00:00:00 local the next day — which is still the
same date in UTC (16:00 UTC), the instant where a UTC comparison would go wrong."""

import datetime
from datetime import UTC

import pytest

from flagship.models import Candidacy, CandidacyStatus, FlagshipCycle, Honour, Phase
from flagship.services import candidacy as services
from flagship.services import cycle as cycles
from flagship.services import decision
from flagship.services.common import FlagshipError

from ..clock import local
from .conftest import YEAR, accept, advance, new_cycle, pdf_upload

pytestmark = pytest.mark.smoke


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def test_the_application_phase_opens_at_local_midnight_on_1_february(org, eligible):
    cycle = new_cycle(org)
    assert cycle.application_opens_on == datetime.date(YEAR, 2, 1)
    assert cycles.advance_by_date(local(YEAR, 1, 31, 23, 59, 59)) == 0
    assert cycles.advance_by_date(local(YEAR, 2, 1, 0, 0, 0)) == 1
    assert FlagshipCycle.objects.get(pk=cycle.pk).phase == Phase.APPLICATION


def test_the_utc_date_does_not_open_the_phase_early(org, eligible):
    new_cycle(org)
    # 15:59:59 UTC on 31 January is 23:59:59 in Shanghai: not yet; 16:00 UTC is 1 February.
    assert cycles.advance_by_date(utc(YEAR, 1, 31, 15, 59, 59)) == 0
    assert cycles.advance_by_date(utc(YEAR, 1, 31, 16, 0, 0)) == 1


@pytest.mark.parametrize(
    ("instant", "accepted"),
    [
        (local(YEAR, 3, 31, 23, 59, 59), True),
        (utc(YEAR, 3, 31, 15, 59, 59), True),  # the same instant, written in UTC
        (local(YEAR, 4, 1, 0, 0, 0), False),
        (utc(YEAR, 3, 31, 16, 30, 0), False),  # still 31 March in UTC, 1 April in Shanghai
    ],
)
def test_a_first_submission_until_the_last_second_of_31_march(org, open_cycle, instant, accepted):
    secretary = org.users["secretary"]
    draft = services.save_candidacy_draft(actor=secretary, cycle=open_cycle, unit=org.a1)
    if accepted:
        assert (
            services.submit_candidacy(actor=secretary, pk=draft.pk, now=instant).status
            == "in_review"
        )
    else:
        with pytest.raises(FlagshipError, match=f"申报已于 {YEAR}年3月31日 截止"):
            services.submit_candidacy(actor=secretary, pk=draft.pk, now=instant)


def test_drafts_are_locked_from_local_midnight_after_the_closing_date(org, open_cycle):
    draft = services.save_candidacy_draft(
        actor=org.users["secretary"], cycle=open_cycle, unit=org.a1
    )
    assert services.lock_late_candidacies(local(YEAR, 3, 31, 23, 59, 59)) == 0
    assert services.lock_late_candidacies(utc(YEAR, 3, 31, 16, 0, 0)) == 1
    assert Candidacy.objects.get(pk=draft.pk).status == CandidacyStatus.LOCKED


def test_the_summary_is_accepted_until_the_last_second_of_30_september(org, open_cycle):
    candidacy = accept(org, open_cycle, org.a1)
    advance(org, open_cycle, "publish_notice")
    advance(org, open_cycle, "start_management")
    secretary = org.users["secretary"]
    last_second = local(YEAR + 1, 9, 30, 23, 59, 59)
    services.upload_summary(actor=secretary, pk=candidacy.pk, upload=pdf_upload(), now=last_second)
    for late in (local(YEAR + 1, 10, 1, 0, 0, 0), utc(YEAR + 1, 9, 30, 16, 0, 0)):
        with pytest.raises(FlagshipError, match=f"总结材料已于 {YEAR + 1}年9月30日 截止提交"):
            services.upload_summary(actor=secretary, pk=candidacy.pk, upload=pdf_upload(), now=late)


def test_an_honour_is_valid_through_31_december_and_expires_at_local_midnight(org, open_cycle):
    candidacy = accept(org, open_cycle, org.a1)
    valid_until = open_cycle.honour_expires_on
    assert (valid_until.month, valid_until.day) == (12, 31)
    honour = Honour.objects.create(
        cycle=open_cycle,
        candidacy=candidacy,
        unit=org.a1,
        kind="unit",
        certificate_no="QJ-boundary-1",
        awarded_on=open_cycle.decision_deadline,
        valid_until=valid_until,
    )
    y = valid_until.year
    assert decision.expire_honours(local(y, 12, 31, 23, 59, 59)) == 0
    assert decision.expire_honours(utc(y, 12, 31, 15, 59, 59)) == 0
    assert decision.expire_honours(utc(y, 12, 31, 16, 0, 0)) == 1  # 1 January, 00:00 local
    honour.refresh_from_db()
    assert honour.status == "expired"


@pytest.mark.parametrize(
    ("today", "year_start"),
    [
        (datetime.date(2028, 2, 29), 2028),  # applications open in February: this year's cycle
        (datetime.date(2028, 3, 1), 2029),
        (datetime.date(2027, 12, 31), 2028),
        (datetime.date(2028, 1, 1), 2028),
    ],
)
def test_the_cycle_a_province_opens_turns_with_march(today, year_start):
    assert cycles.default_year_start(today) == year_start
