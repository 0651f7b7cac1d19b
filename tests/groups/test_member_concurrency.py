"""Races on real PostgreSQL connections (threads): the branch publishing a member period while
the same member's score is saved again and again as a draft (which unsettles it). The database
decides: the period is either published with every member settled, or refused; a score never
lands in a published period."""

from groups import services
from groups.models import MemberAssessment, MemberPeriod, MemberTable, PeriodStatus
from tests.factories import Org
from tests.flagship.test_concurrency import race
from tests.groups.test_member_services import scores, settle_all
from tests.ledger.conftest import Roster

SAVES = 30


def test_publishing_racing_draft_saves_never_publishes_an_unsettled_member(
    transactional_db, postgres
):
    org = Org()
    roster = Roster(org)
    secretary = org.users["secretary"]
    period = services.open_period(
        actor=secretary, branch=org.a1, table=MemberTable.DOUBLE_HUNDRED, year=2026
    )
    settle_all(period, secretary)
    li = period.assessments.get(member=roster.li)
    values = scores(li)

    def unsettle():
        return services.score_member(actor=secretary, assessment_id=li.pk, values=values)

    def publish():
        return services.publish_period(actor=secretary, period_id=period.pk)

    calls = [unsettle] * (SAVES // 2) + [publish] + [unsettle] * (SAVES // 2)
    results = race(calls)
    unexpected = [
        r
        for r in results
        if isinstance(r, Exception) and not isinstance(r, services.MemberAssessmentError)
    ]
    assert not unexpected, unexpected[:3]
    period = MemberPeriod.objects.get(pk=period.pk)
    if period.status == PeriodStatus.PUBLISHED:
        assert all(MemberAssessment.objects.filter(period=period).values_list("scored", flat=True))
    else:
        assert not MemberAssessment.objects.get(pk=li.pk).scored
