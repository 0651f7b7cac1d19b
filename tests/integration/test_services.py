"""Run against the real PostgreSQL and Redis (CI sets DATABASE_URL and CELERY_BROKER_URL)."""

from django.db import connection

from branches import selectors


def test_healthz_and_readyz_with_the_real_broker(client, db, postgres, redis_broker):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
    assert client.get("/readyz").json()["checks"]["broker"]["status"] == "ok"


def test_subtree_scope_uses_the_path_index(org, postgres):
    """The scope query is a prefix match on the indexed path: no tree walk, no sequential scan."""
    sql, params = selectors.units_visible_to(org.users["city_reviewer"]).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index" in plan, plan
    assert "path" in plan, plan


def test_readyz_is_ok_with_the_real_broker_a_worker_and_beat(client, db, postgres, redis_broker):
    from django.utils import timezone
    from django_celery_beat.models import PeriodicTask

    from workflow import reaper

    reaper.reap_stale_jobs()  # what a worker does every minute
    PeriodicTask.objects.filter(task="workflow.tasks.reap_stale_jobs").update(
        last_run_at=timezone.now()  # what beat saves when it sends it
    )
    response = client.get("/readyz")
    body = response.json()
    assert (response.status_code, body["degraded"]) == (200, []), body
    assert body["checks"]["broker"]["detail"] == "ok"
