"""Generating, regenerating and scheduling bulletins; the tasks with no broker (eager)."""

import sys
from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from openpyxl import load_workbook

from bulletins import selectors, services, tasks
from bulletins.exports import chart, docx, xlsx
from bulletins.models import Bulletin, BulletinStatus
from config.celery import app as celery_app
from workflow import background
from workflow.models import Notification

pytestmark = pytest.mark.smoke


def stored_files():
    """Every file under MEDIA_ROOT/bulletins (what the storage holds, whatever the rows say)."""
    found = []
    months, _files = (
        default_storage.listdir("bulletins") if default_storage.exists("bulletins") else ([], [])
    )
    for month in months:
        found += [
            f"bulletins/{month}/{name}" for name in default_storage.listdir(f"bulletins/{month}")[1]
        ]
    return sorted(found)


def test_regenerating_a_month_replaces_both_files_atomically(org, run_commit_hooks, monkeypatch):
    month = selectors.previous_month()
    first, queued = run_commit_hooks(
        services.request_bulletin, scope=org.province, month=month, actor=org.users["admin"]
    )
    assert queued
    first.refresh_from_db()
    assert first.status == BulletinStatus.DONE and first.progress == 100
    old = [first.xlsx.name, first.docx.name]
    assert stored_files() == sorted(old)

    seen_mid_way = {}
    real_write_docx = docx.write_docx

    def write_docx_and_look(*args, **kwargs):
        # Half-way through the regeneration a reader still gets the old, complete files.
        row = Bulletin.objects.get(pk=first.pk)
        seen_mid_way["names"] = [row.xlsx.name, row.docx.name]
        with row.xlsx.open("rb") as fh:
            seen_mid_way["sheets"] = load_workbook(fh, read_only=True).sheetnames
        return real_write_docx(*args, **kwargs)

    monkeypatch.setattr(docx, "write_docx", write_docx_and_look)
    again, queued = run_commit_hooks(
        services.request_bulletin, scope=org.province, month=month, actor=org.users["admin"]
    )
    assert queued and again.pk == first.pk
    again.refresh_from_db()

    assert seen_mid_way["names"] == old
    assert "覆盖率" in seen_mid_way["sheets"]
    new = [again.xlsx.name, again.docx.name]
    assert again.status == BulletinStatus.DONE and again.progress == 100
    assert set(new).isdisjoint(old)
    assert stored_files() == sorted(new)  # the old pair is gone, the new pair is there
    assert Bulletin.objects.filter(month=month, scope=org.province).count() == 1


def test_a_failed_generation_keeps_the_previous_files(org, run_commit_hooks, monkeypatch):
    month = selectors.previous_month()
    bulletin, _queued = run_commit_hooks(services.request_bulletin, scope=org.province, month=month)
    bulletin.refresh_from_db()
    old = [bulletin.xlsx.name, bulletin.docx.name]

    def broken(*args, **kwargs):
        raise RuntimeError("模板损坏")

    monkeypatch.setattr(docx, "write_docx", broken)
    run_commit_hooks(services.request_bulletin, scope=org.province, month=month)
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.FAILED
    assert "模板损坏" in bulletin.error
    assert [bulletin.xlsx.name, bulletin.docx.name] == old
    assert stored_files() == sorted(old)  # nothing half-made left behind


def test_a_transient_error_leaves_the_bulletin_queued_for_the_retry(org, monkeypatch):
    bulletin = Bulletin.objects.create(month=selectors.previous_month(), scope=org.province)

    def flaky(*args, **kwargs):
        raise OSError("磁盘暂时不可用")

    monkeypatch.setattr(xlsx, "write_xlsx", flaky)
    with pytest.raises(OSError):
        services.generate(bulletin.pk, final_attempt=False, transient=(OSError,))
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.QUEUED
    assert "重试" in bulletin.error
    with pytest.raises(OSError):
        services.generate(bulletin.pk, final_attempt=True, transient=(OSError,))
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.FAILED
    assert stored_files() == []


def test_eager_mode_without_a_broker_generates_within_the_request(
    org, client, settings, django_capture_on_commit_callbacks
):
    """No CELERY_BROKER_URL: the task runs in-process and the admin gets the files at once."""
    settings.CELERY_BROKER_URL = ""
    assert celery_app.conf.task_always_eager
    month = selectors.previous_month()
    client.force_login(org.users["admin"])
    url = reverse("bulletins:generate", args=[org.province.pk, month.year, month.month])
    assert "确认立即生成" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("bulletins:detail", args=[bulletin.pk])
    assert bulletin.status == BulletinStatus.DONE and bulletin.progress == 100
    assert bulletin.task_id
    assert bulletin.generated_by == org.users["admin"]
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="done"' in page and "hx-trigger" not in page
    download = client.get(reverse("bulletins:download", args=[bulletin.pk, "xlsx"]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content)[:2] == b"PK"  # a zip: a real xlsx


def test_the_task_runs_eagerly_and_takes_an_id(org):
    bulletin = Bulletin.objects.create(month=selectors.previous_month(), scope=org.city_a)
    result = tasks.generate_bulletin.delay(bulletin.pk).get()
    assert result == {"bulletin_id": bulletin.pk, "status": "done", "progress": 100}
    # Delivered twice (acks_late after a crash): the second run leaves the done bulletin alone.
    names = Bulletin.objects.values_list("xlsx", "docx").get()
    tasks.generate_bulletin.delay(bulletin.pk).get()
    assert Bulletin.objects.values_list("xlsx", "docx").get() == names


def test_task_options(org):
    for task in (tasks.generate_bulletin, tasks.generate_monthly_bulletins):
        assert task.acks_late is True
        assert task.autoretry_for and task.retry_backoff
        assert task.time_limit and task.soft_time_limit


def test_monthly_job_makes_the_province_and_each_committee_bulletin_once(world, run_commit_hooks):
    org = world.org
    queued = run_commit_hooks(tasks.generate_monthly_bulletins.delay).get()
    scopes = {org.province, org.city_a, org.city_b, world.units["d"]}
    assert queued == len(scopes)
    bulletins = Bulletin.objects.filter(month=selectors.previous_month())
    assert {b.scope for b in bulletins} == scopes
    assert all(b.status == BulletinStatus.DONE and b.generated_by is None for b in bulletins)
    # Run again (beat fired twice, or a retry): nothing more is made.
    assert run_commit_hooks(tasks.generate_monthly_bulletins.delay).get() == 0
    assert Bulletin.objects.count() == len(scopes)


def test_an_overlapping_monthly_run_leaves_a_bulletin_done_meanwhile(world, run_commit_hooks):
    """The second of two overlapping runs read "not done yet" before the first finished: the
    row lock's second look keeps it from generating (and announcing) the bulletin again."""
    scope, month = world.org.city_a, selectors.previous_month()
    first, queued = run_commit_hooks(services.request_bulletin, scope=scope, month=month)
    assert queued and Bulletin.objects.get(pk=first.pk).status == BulletinStatus.DONE
    again, queued = services.request_bulletin(scope=scope, month=month, keep_done=True)
    assert (again.pk, queued) == (first.pk, False)
    assert Bulletin.objects.get(pk=first.pk).status == BulletinStatus.DONE


def test_monthly_job_for_a_given_month(org, run_commit_hooks):
    assert run_commit_hooks(tasks.generate_monthly_bulletins.delay, "2025-03").get() == 3
    assert set(Bulletin.objects.values_list("month", flat=True)) == {date(2025, 3, 1)}


def test_the_monthly_schedule_is_shipped(db):
    task = PeriodicTask.objects.get(task="bulletins.tasks.generate_monthly_bulletins")
    cron = task.crontab
    assert (cron.minute, cron.hour, cron.day_of_month, cron.month_of_year) == ("0", "8", "1", "*")
    assert str(cron.timezone) == "Asia/Shanghai"
    assert task.enabled
    assert "bulletins.tasks.generate_monthly_bulletins" in celery_app.tasks


def test_a_generation_under_way_is_not_queued_twice(org, run_commit_hooks):
    month = selectors.previous_month()
    running = Bulletin.objects.create(
        month=month, scope=org.city_a, status=BulletinStatus.RUNNING, progress=40
    )
    bulletin, queued = run_commit_hooks(services.request_bulletin, scope=org.city_a, month=month)
    assert not queued and bulletin.pk == running.pk
    assert Bulletin.objects.get().progress == 40
    # …unless it was abandoned (its worker died): then it is queued again.
    Bulletin.objects.filter(pk=running.pk).update(
        updated_at=timezone.now() - background.STALE_AFTER - timedelta(minutes=1)
    )
    _bulletin, queued = run_commit_hooks(services.request_bulletin, scope=org.city_a, month=month)
    assert queued
    assert Bulletin.objects.get().status == BulletinStatus.DONE


def test_a_month_not_yet_begun_is_refused(org):
    next_month = selectors.next_month(timezone.localdate().replace(day=1))
    with pytest.raises(services.BulletinError):
        services.request_bulletin(scope=org.province, month=next_month)


def test_an_unreachable_broker_keeps_the_bulletin_queued_for_the_relay(
    org, run_commit_hooks, monkeypatch
):
    from kombu.exceptions import OperationalError

    from workflow import outbox

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(tasks.generate_bulletin, "delay", refuse)
        bulletin, _queued = run_commit_hooks(
            services.request_bulletin, scope=org.province, month=selectors.previous_month()
        )
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.QUEUED
    assert "已记录" in bulletin.error
    assert outbox.relay() == 1  # the broker is back (eager here): the bulletin is generated
    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.error) == (BulletinStatus.DONE, "")


def test_progress_fragment_polls_while_running_and_stops_when_done(org, client):
    bulletin = Bulletin.objects.create(
        month=selectors.previous_month(),
        scope=org.province,
        status=BulletinStatus.RUNNING,
        progress=55,
    )
    client.force_login(org.users["admin"])
    url = reverse("bulletins:progress", args=[bulletin.pk])
    html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 1s"' in html
    assert '<progress class="flex-grow-1" max="100" value="55"' in html
    assert "<script" not in html and "style=" not in html  # CSP: no inline script or style

    Bulletin.objects.filter(pk=bulletin.pk).update(status=BulletinStatus.DONE, progress=100)
    html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in html and 'data-progress="100"' in html


def test_chart_falls_back_when_the_noto_font_is_missing(settings):
    settings.BULLETIN_CJK_FONT = "/nonexistent/NotoSansCJK-Regular.ttc"
    png = chart.coverage_chart_png(["甲市", "乙市"], [75.0, 60.0], [25.0, 0.0], target_filed=70)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_matplotlib_the_word_file_says_the_chart_is_in_excel(
    world, monkeypatch, files, run_commit_hooks
):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)  # import fails
    assert chart.coverage_chart_png(["甲市"], [1.0], [1.0]) is None
    bulletin, _queued = run_commit_hooks(
        services.request_bulletin, scope=world.org.province, month=world.month
    )
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DONE
    doc = files(bulletin).doc
    assert len(doc.inline_shapes) == 0
    assert any("图表未能生成" in p.text for p in doc.paragraphs)


def test_the_requester_hears_when_the_bulletin_is_ready(org, run_commit_hooks):
    admin = org.users["admin"]
    bulletin, _queued = run_commit_hooks(
        services.request_bulletin, scope=org.city_a, month=selectors.previous_month(), actor=admin
    )
    note = Notification.objects.get()
    assert note.recipient == admin
    assert "已生成" in note.title and org.city_a.name in note.title
    assert note.url == reverse("bulletins:detail", args=[bulletin.pk])


def test_the_monthly_run_tells_the_committee_reviewers_and_admins(org, run_commit_hooks):
    run_commit_hooks(tasks.generate_monthly_bulletins.delay)
    told = {
        (n.recipient.username, n.title.split("（")[1].split("）")[0])
        for n in Notification.objects.all()
    }
    assert ("rev_a", "甲市分公司党委") in told
    assert ("rev_b", "乙市分公司党委") in told
    assert ("admin_p", "省公司党委") in told and ("rev_p", "省公司党委") in told
    assert not {u for u, _scope in told} & {"sec_a1", "rev_ga", "member"}


def test_a_failure_is_reported_to_the_requester(org, run_commit_hooks, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(xlsx, "write_xlsx", broken)
    run_commit_hooks(
        services.request_bulletin,
        scope=org.province,
        month=selectors.previous_month(),
        actor=org.users["admin"],
    )
    assert "生成失败" in Notification.objects.get(recipient=org.users["admin"]).title


def test_the_activity_columns_are_in_the_language_of_the_bulletin():
    from django.utils import translation

    from bulletins.exports.tables import ACTIVITY_LABELS

    with translation.override("en"):
        english = str(ACTIVITY_LABELS["returned"])
    with translation.override("zh-hans"):
        chinese = str(ACTIVITY_LABELS["returned"])
    assert (english, chinese) == ("Returned for revision", "退回修改")
