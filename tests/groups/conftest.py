import datetime

import pytest
import time_machine

from groups import services
from groups.models import PostKind
from tests.clock import local
from tests.ledger.conftest import Roster

#: The posts run in autumn 2026: the first half year is reviewable until the second ends.
NOW = local(2026, 9, 15, 10, 0, 0)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def roster(org):
    return Roster(org)


@pytest.fixture
def post(org, roster):
    """Li's 党员先锋示范岗 at A1 for the first half of 2026 (the term the review renews)."""
    return services.name_post(
        actor=org.users["secretary"],
        branch=org.a1,
        member=roster.li,
        kind=PostKind.POST,
        title="网络抢修先锋岗",
        commitment="故障两小时内到场",
        term_start=datetime.date(2026, 1, 1),
        term_end=datetime.date(2026, 12, 31),
    )
