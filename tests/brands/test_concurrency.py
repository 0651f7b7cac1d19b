"""Two reviewers acting on the same application at the same moment, on real PostgreSQL
connections: exactly one succeeds, the other is told it was already handled."""

import pytest

from brands import services
from brands.models import BrandApplication
from tests.conftest import run_concurrently
from tests.factories import Org, grant
from workflow.models import AuditEntry
from workflow.transitions import AlreadyHandled

from .conftest import CONTENT, png_upload


@pytest.mark.parametrize("second", ["approve", "return"])
def test_two_reviewers_at_once_exactly_one_wins(transactional_db, postgres, second):
    org = Org()
    colleague = grant(org.users["member"], org.general_a, "reviewer")
    app = services.save_application_draft(
        actor=org.users["secretary"], unit=org.a1, data=CONTENT, logo=png_upload()
    )
    app = services.submit_application(actor=org.users["secretary"], pk=app.pk)
    seen = services.WORKFLOW.version_of(app)  # both reviewers opened the same page

    first = lambda: services.approve_application(  # noqa: E731
        actor=org.users["general_branch_reviewer"], pk=app.pk, expected_version=seen
    )
    other = {
        "approve": lambda: services.approve_application(
            actor=colleague, pk=app.pk, expected_version=seen
        ),
        "return": lambda: services.return_application(
            actor=colleague, pk=app.pk, comment="请修改", expected_version=seen
        ),
    }[second]
    results = run_concurrently(first, other)

    winners = [r for r in results if isinstance(r, BrandApplication)]
    losers = [r for r in results if isinstance(r, AlreadyHandled)]
    assert (len(winners), len(losers)) == (1, 1), results
    assert "已被他人处理" in str(losers[0])
    app.refresh_from_db()
    decisions = AuditEntry.objects.filter(object_id=app.pk, action__in=["approve", "return"])
    assert decisions.count() == 1  # nothing half-applied by the loser
