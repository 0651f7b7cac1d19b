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


def name_post(org, member, *, branch=None, actor=None, **overrides):
    """Name `member` to a post through the service: by A1's secretary for A1, a 党员先锋示范岗
    for 2026 unless `overrides` say otherwise."""
    data = {
        "kind": PostKind.POST,
        "title": "先锋岗",
        "commitment": "承诺",
        "term_start": datetime.date(2026, 1, 1),
        "term_end": datetime.date(2026, 12, 31),
    }
    return services.name_post(
        actor=actor or org.users["secretary"],
        branch=branch or org.a1,
        member=member,
        **{**data, **overrides},
    )


@pytest.fixture
def post(org, roster):
    """Li's 党员先锋示范岗 at A1 for the first half of 2026 (the term the review renews)."""
    return name_post(org, roster.li, title="网络抢修先锋岗", commitment="故障两小时内到场")
