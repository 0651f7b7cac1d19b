"""What one approval costs in queries (bench/transitions.py measures the time): the row, its
unit, level and applicant in one locking query, the approval chain from the cache, then the
update (of the changed columns only), the audit row, the next level's reviewers and one insert
of the notifications (the next level's and the applicant's)."""

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
    assert len(sql) == 5, sql  # + update, audit, one insert of all notifications
    inserts = [s for s in sql if s.startswith('INSERT INTO "workflow_notification"')]
    assert len(inserts) == 1, sql
    assert Notification.objects.filter(recipient=org.users["city_reviewer"]).exists()
    assert Notification.objects.filter(recipient=org.users["secretary"]).exists()


def test_an_approval_updates_only_the_columns_it_changes(org, submitted):
    general = org.users["general_branch_reviewer"]
    with CaptureQueriesContext(connection) as captured:
        services.approve_application(actor=general, pk=submitted.pk, comment="同意")
    (update,) = [s for s in statements(captured.captured_queries) if s.startswith("UPDATE")]
    assigned = update.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
    assert '"current_level_id" =' in assigned and '"updated_at" =' in assigned
    for untouched in ("name", "measures", "logo", "status", "applicant_id", "unit_id"):
        assert f'"{untouched}" =' not in assigned, update


def test_a_json_value_changed_in_place_is_written(org, submitted):
    """`before_save` may change a list in place: it still counts as changed."""

    def add_measure(app, _t):
        app.measures.append("新增举措")

    services.WORKFLOW.apply(
        submitted.pk,
        "approve",
        actor=org.users["general_branch_reviewer"],
        before_save=add_measure,
    )
    submitted.refresh_from_db()
    assert submitted.measures[-1] == "新增举措"


def test_a_file_renamed_in_place_is_written(org, submitted):
    """`FieldFile.save(…, save=False)` renames the very object loaded with the row."""

    def rename_logo(app, _t):
        app.logo.name = "brands/logos/renamed.png"

    services.WORKFLOW.apply(
        submitted.pk,
        "approve",
        actor=org.users["general_branch_reviewer"],
        before_save=rename_logo,
    )
    submitted.refresh_from_db()
    assert submitted.logo.name == "brands/logos/renamed.png"


def test_the_audit_row_takes_the_committee_of_the_unit_loaded_with_the_row(org, submitted):
    from workflow.models import AuditEntry

    services.approve_application(
        actor=org.users["general_branch_reviewer"], pk=submitted.pk, comment="同意"
    )
    entry = AuditEntry.objects.filter(object_id=submitted.pk, action="approve").get()
    assert (entry.unit_id, entry.committee_id) == (org.a1.pk, org.city_a.pk)
