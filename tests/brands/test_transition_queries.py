"""What one approval costs in queries (bench/transitions.py measures the time): the row, its
unit, level and applicant in one locking query, the approval chain from the cache, then the
update, the audit row, the next level's reviewers and the notifications."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brands import services
from brands.models import Status
from workflow.models import Notification

pytestmark = pytest.mark.django_db


def statements(queries) -> list[str]:
    """The SQL of the transition, without the transaction's savepoint bookkeeping."""
    return [
        q["sql"]
        for q in queries
        if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))
    ]


def test_an_approval_reads_its_row_and_foreign_keys_in_one_query(org, submitted):
    general = org.users["general_branch_reviewer"]
    general.role_assignments  # noqa: B018 -- loaded once per request
    services.WORKFLOW.check(general, submitted, "approve")  # the page's own reads, rules warm
    with CaptureQueriesContext(connection) as captured:
        app = services.approve_application(actor=general, pk=submitted.pk, comment="同意")
    sql = statements(captured.captured_queries)
    assert app.status == Status.IN_REVIEW and app.current_level == org.city_a
    selects = [s for s in sql if s.upper().startswith("SELECT")]
    # the locked row (with unit, level, applicant joined) and the city's reviewers
    assert len(selects) == 2, selects
    assert "JOIN" in selects[0].upper() and "branches_orgunit" in selects[0]
    assert len(sql) <= 6, sql  # + update, audit, one insert of notifications per notify
    assert Notification.objects.filter(recipient=org.users["city_reviewer"]).exists()
    assert Notification.objects.filter(recipient=org.users["secretary"]).exists()
