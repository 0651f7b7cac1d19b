"""The results export as a background job: requested, generated with progress, replaced
atomically, downloaded only by whoever asked for it."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from evaluation import exports, tasks
from evaluation.models import ResultsExport
from evaluation.services import exports as services
from workflow import background
from workflow.models import JobStatus, Notification

from .conftest import publish_all

pytestmark = pytest.mark.django_db


def rows_of(export) -> list[tuple]:
    with export.file.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()), read_only=True)
        return list(book.active.iter_rows(values_only=True))


def test_the_export_is_generated_with_progress_and_the_requester_is_told(
    org, period, run_commit_hooks, monkeypatch
):
    publish_all(org, period)
    seen = []
    original = background.report_progress

    def spy(model, pk, percent):
        seen.append(percent)
        original(model, pk, percent)

    monkeypatch.setattr(exports, "PROGRESS_STEP", 1)
    monkeypatch.setattr(background, "report_progress", spy)
    reviewer = org.users["city_reviewer"]
    export, queued = run_commit_hooks(services.request_export, actor=reviewer, period=period)
    export.refresh_from_db()
    assert queued and export.status == JobStatus.DONE and export.progress == 100
    assert export.rows == 2  # city A's two branches
    assert [r[0] for r in rows_of(export)[1:]] == ["A1", "A2"]
    assert seen == sorted(seen) and seen[0] == 1 and 50 <= seen[-1] < 100
    assert Notification.objects.filter(recipient=reviewer, title__contains="已导出").exists()


def test_exporting_again_replaces_the_file_and_deletes_the_old_one(org, period, run_commit_hooks):
    publish_all(org, period)
    user = org.users["province_reviewer"]
    first, _queued = run_commit_hooks(services.request_export, actor=user, period=period)
    first.refresh_from_db()
    old = first.file.name
    again, queued = run_commit_hooks(services.request_export, actor=user, period=period)
    again.refresh_from_db()
    assert queued and again.pk == first.pk and again.file.name != old
    assert default_storage.exists(again.file.name) and not default_storage.exists(old)
    assert again.rows == 3


def test_a_failed_generation_keeps_the_previous_file(org, period, run_commit_hooks, monkeypatch):
    publish_all(org, period)
    user = org.users["province_reviewer"]
    export, _queued = run_commit_hooks(services.request_export, actor=user, period=period)
    export.refresh_from_db()
    previous = export.file.name

    def broken(*args, **kwargs):
        raise ValueError("磁盘已满")

    monkeypatch.setattr(exports, "results_workbook", broken)
    run_commit_hooks(services.request_export, actor=user, period=period)
    export.refresh_from_db()
    assert export.status == JobStatus.FAILED and "磁盘已满" in export.error
    assert export.file.name == previous and default_storage.exists(previous)


def test_an_export_under_way_is_not_queued_twice(org, period):
    user = org.users["province_reviewer"]
    export, queued = services.request_export(actor=user, period=period)  # no commit: stays queued
    assert queued
    again, queued_again = services.request_export(actor=user, period=period)
    assert again.pk == export.pk and not queued_again


def test_an_unreachable_broker_keeps_the_export_queued_for_the_relay(
    org, period, run_commit_hooks, monkeypatch
):
    from kombu.exceptions import OperationalError

    from workflow import outbox

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(tasks.generate_results_export, "delay", refuse)
        export, _queued = run_commit_hooks(
            services.request_export, actor=org.users["province_reviewer"], period=period
        )
    export.refresh_from_db()
    assert export.status == JobStatus.QUEUED and "已记录" in export.error
    assert outbox.relay() == 1  # the broker is back (eager here): the export is generated
    export.refresh_from_db()
    assert (export.status, export.error) == (JobStatus.DONE, "")


def test_a_redelivered_task_leaves_a_done_export_alone(org, period, run_commit_hooks):
    user = org.users["province_reviewer"]
    export, _queued = run_commit_hooks(services.request_export, actor=user, period=period)
    export.refresh_from_db()
    result = tasks.generate_results_export.apply(args=[export.pk]).get()
    assert result == {"export_id": export.pk, "status": "done", "rows": export.rows}
    assert ResultsExport.objects.get(pk=export.pk).file.name == export.file.name


def test_the_page_polls_while_running_and_offers_the_download_when_done(client, org, period):
    user = org.users["province_reviewer"]
    export = ResultsExport.objects.create(
        period=period, requested_by=user, status=JobStatus.RUNNING, progress=40
    )
    client.force_login(user)
    page = client.get(reverse("evaluation:export", args=[period.pk])).content.decode()
    progress_url = reverse("evaluation:export_progress", args=[period.pk])
    assert f'hx-get="{progress_url}"' in page and 'value="40"' in page
    assert 'data-testid="export-generate" disabled' in page
    assert 'data-testid="export-download"' not in page

    # a file really stored: a done export whose file is missing says "文件已丢失" instead
    name = default_storage.save("exports/x.xlsx", ContentFile(b"PK\x03\x04"))
    ResultsExport.objects.filter(pk=export.pk).update(
        status=JobStatus.DONE, progress=100, file=name, rows=3
    )
    html = client.get(progress_url).content.decode()
    assert (
        "hx-trigger" not in html and 'data-testid="export-download"' in html and "共 3 行" in html
    )


def test_only_the_requester_downloads_their_export(client, org, period, run_commit_hooks):
    publish_all(org, period)
    export, _queued = run_commit_hooks(
        services.request_export, actor=org.users["province_reviewer"], period=period
    )
    url = reverse("evaluation:export_download", args=[period.pk])
    client.force_login(org.users["city_reviewer"])  # may export, has not: nothing to download
    assert client.get(url).status_code == 404
    client.force_login(org.users["province_reviewer"])
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    b"".join(response.streaming_content)


def test_an_abandoned_export_may_be_requested_again(org, period, run_commit_hooks):
    from datetime import timedelta

    from django.utils import timezone

    user = org.users["province_reviewer"]
    stuck = ResultsExport.objects.create(
        period=period, requested_by=user, status=JobStatus.RUNNING, progress=30
    )
    ResultsExport.objects.filter(pk=stuck.pk).update(
        updated_at=timezone.now() - background.STALE_AFTER - timedelta(minutes=1)
    )
    export, queued = run_commit_hooks(services.request_export, actor=user, period=period)
    export.refresh_from_db()
    assert queued and export.pk == stuck.pk and export.status == JobStatus.DONE


def test_exports_finished_long_ago_are_deleted_with_their_files(org, period, run_commit_hooks):
    from datetime import timedelta

    from django.utils import timezone
    from django_celery_beat.models import PeriodicTask

    old_user, new_user = org.users["province_reviewer"], org.users["city_reviewer"]
    old, _queued = run_commit_hooks(services.request_export, actor=old_user, period=period)
    new, _queued = run_commit_hooks(services.request_export, actor=new_user, period=period)
    running = ResultsExport.objects.create(
        period=period, requested_by=org.users["admin"], status=JobStatus.RUNNING
    )
    long_ago = timezone.now() - services.KEEP - timedelta(days=1)
    ResultsExport.objects.filter(pk__in=[old.pk, running.pk]).update(updated_at=long_ago)
    old_file = ResultsExport.objects.get(pk=old.pk).file.name

    assert tasks.purge_results_exports.apply().get() == 1
    assert not ResultsExport.objects.filter(pk=old.pk).exists()
    assert not default_storage.exists(old_file)
    assert ResultsExport.objects.filter(pk__in=[new.pk, running.pk]).count() == 2
    schedule = PeriodicTask.objects.get(task="evaluation.tasks.purge_results_exports")
    assert (schedule.crontab.hour, schedule.crontab.minute) == ("3", "30")


def test_an_export_whose_worker_died_is_failed_and_its_requester_told(
    org, period, run_commit_hooks
):
    import time_machine

    from tests.clock import local
    from workflow import reaper
    from workflow.models import AuditEntry

    user = org.users["province_reviewer"]
    with time_machine.travel(local(2026, 3, 10, 10), tick=False) as clock:
        stuck = ResultsExport.objects.create(
            period=period, requested_by=user, status=JobStatus.RUNNING, progress=40
        )
        clock.shift(background.lease() + background.lease())
        assert run_commit_hooks(reaper.reap_stale_jobs) == 1
    stuck.refresh_from_db()
    assert stuck.status == JobStatus.FAILED and "意外中断" in stuck.error
    assert Notification.objects.get(recipient=user).title.endswith(
        "考评结果导出意外中断，请重新导出。"
    )
    audit = AuditEntry.objects.get(action="reap_job")
    assert (audit.object_id, audit.unit_id) == (period.pk, period.scope_id)
    export, queued = run_commit_hooks(services.request_export, actor=user, period=period)
    export.refresh_from_db()
    assert queued and export.pk == stuck.pk and export.status == JobStatus.DONE
