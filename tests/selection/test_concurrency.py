"""Two province reviewers selecting at the same moment for the round's last place, on real
PostgreSQL connections: exactly one is selected, the other is told the quota is full."""

import time_machine

from selection import services
from selection.audit import Action
from selection.models import ProposalStatus
from tests.conftest import run_concurrently
from tests.factories import Org, grant

from .conftest import CLOSES, DECIDING, IN_WINDOW, OPENS, YEAR, built


def test_two_deciders_cannot_both_take_the_last_place(transactional_db, postgres):
    org = Org()
    colleague = grant(org.users["member"], org.province, "province_reviewer")
    with time_machine.travel(IN_WINDOW, tick=True):
        round_ = services.open_round(
            actor=org.users["province_reviewer"], year=YEAR, title="评选", quota=1,
            opens_on=OPENS, closes_on=CLOSES,
        )  # fmt: skip
        proposals = [
            services.propose(
                actor=actor, round_pk=round_.pk, application_pk=built(unit, sec).pk, reason="x"
            )
            for unit, sec, actor in (
                (org.a1, org.users["secretary"], org.users["city_reviewer"]),
                (org.b1, org.sec_b1, org.rev_b),
            )
        ]
    with time_machine.travel(DECIDING, tick=True):
        outcomes = run_concurrently(
            lambda: services.decide(
                actor=org.users["province_reviewer"], pk=proposals[0].pk, action=Action.SELECT
            ),
            lambda: services.decide(actor=colleague, pk=proposals[1].pk, action=Action.SELECT),
        )
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], services.SelectionError)
    assert "名额已满" in str(errors[0])
    assert round_.proposals.filter(status=ProposalStatus.SELECTED).count() == 1
