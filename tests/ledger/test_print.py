"""The printed ledger (纸质台账): what the Word file holds (cover, masked roster, each recorded
meeting with its attendance and photos), who may ask for it and download it (a matrix), the
audit of each download, the period rules, the job's progress and file replacement, and the
query counts of the page and of the generation."""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from docx import Document

from ledger import services
from ledger.models import LedgerPrint, PrintPeriod
from ledger.printing import content
from ledger.printing import services as printing
from tests.permissions import assert_permission_matrix
from workflow import reaper
from workflow.models import AuditEntry, JobStatus, Notification

from .conftest import HELD, NOW, READERS, jpeg_upload, present

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

COMPLETE = {
    "held_at": HELD,
    "place": "三楼会议室",
    "topic": "学习党章",
    "steps_done": ["确定主题", "开展活动"],
}


def recorded(org, roster, tpl, **data):
    """A complete, recorded meeting of branch A1: Li present, Wang on leave, Zhao absent."""
    record = services.save_draft(
        actor=org.users["secretary"],
        branch=org.a1,
        template=tpl,
        data=dict(COMPLETE, host=roster.li, recorder=roster.wang, **data),
        attendance=present(
            roster.li,
            exceptions={roster.wang: ("leave", "出差"), roster.zhao: ("absent", "")},
        ),
        photos=[jpeg_upload("a.jpg", size=(1600, 1200)), jpeg_upload("b.jpg")],
    )
    return services.finalise(actor=org.users["secretary"], record=record) or record


def generated(actor, branch, capture, period=PrintPeriod.YEAR, day=None):
    with capture(execute=True):
        job, queued = printing.request_print(
            actor=actor, branch=branch, period=period, day=day or NOW.date()
        )
    assert queued
    job.refresh_from_db()
    return job


def opened(job) -> Document:
    with default_storage.open(job.docx.name, "rb") as fh:
        return Document(io.BytesIO(fh.read()))


def rows_of(doc) -> dict[str, str]:
    return {
        row.cells[0].text: row.cells[1].text
        for table in doc.tables
        if len(table.columns) == 2
        for row in table.rows
    }


def test_the_file_holds_cover_roster_and_each_record_with_attendance_and_photos(
    org, roster, tpl, django_capture_on_commit_callbacks
):
    recorded(org, roster, tpl)
    services.save_draft(  # a draft is not part of the ledger
        actor=org.users["secretary"],
        branch=org.a1,
        template=tpl,
        data={"held_at": HELD.replace(day=6), "topic": "草稿不打印"},
    )
    services.save_draft(  # nor is another branch's meeting
        actor=org.sec_b1, branch=org.b1, template=tpl, data={"held_at": HELD, "topic": "乙市"}
    )
    job = generated(org.users["secretary"], org.a1, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE and job.progress == 100
    assert job.docx.name.startswith("ledger/prints/2026/") and job.docx.name.endswith(".docx")
    assert (job.record_count, job.photo_count) == (1, 2)

    doc = opened(job)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert org.a1.name in text and "2026年工作台账" in text
    assert str(org.users["secretary"]) in text  # the cover names the branch's secretary
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["党员名册", "会议记录", "1. 主题党日（测试）（2026-03-05）"]

    roster_table = doc.tables[0]
    assert [c.text for c in roster_table.rows[0].cells][:3] == ["序号", "姓名", "性别"]
    names = [row.cells[1].text for row in roster_table.rows[1:]]
    assert sorted(names) == sorted(["李明", "王芳", "赵强"])
    xml = doc.element.xml
    assert "138****1234" in xml and "13812341234" not in xml  # phones masked for everyone

    row = rows_of(doc)
    assert row["出席情况"] == "应到 3 人，实到 1 人，请假 1 人，缺席 1 人"
    assert (row["出席人员"], row["请假人员"], row["缺席人员"]) == ("李明", "王芳（出差）", "赵强")
    assert (row["会议地点"], row["会议议题"], row["主持人"], row["记录人"]) == (
        "三楼会议室",
        "学习党章",
        "李明",
        "王芳",
    )
    assert row["会议时间"] == "2026-03-05 14:30"
    assert "草稿不打印" not in xml and "乙市" not in xml
    assert len(doc.inline_shapes) == 2
    # photos are downsized for print: the 1600 px one comes out at PRINT_PHOTO_SIDE
    blobs = [p.blob for p in doc.part.package.image_parts]
    from PIL import Image

    assert max(Image.open(io.BytesIO(b)).size[0] for b in blobs) == 800


def test_a_quarter_prints_only_its_meetings(org, roster, tpl, django_capture_on_commit_callbacks):
    recorded(org, roster, tpl)  # 5 March: Q1
    job = generated(
        org.users["secretary"],
        org.a1,
        django_capture_on_commit_callbacks,
        period=PrintPeriod.QUARTER,
        day=NOW.date().replace(month=1, day=1),
    )
    assert (job.start.isoformat(), job.end.isoformat(), job.record_count) == (
        "2026-01-01",
        "2026-03-31",
        1,
    )
    text = "\n".join(p.text for p in opened(job).paragraphs)
    assert "2026年第1季度工作台账" in text


def test_an_empty_period_says_so(org, roster, django_capture_on_commit_callbacks):
    job = generated(
        org.users["secretary"],
        org.a1,
        django_capture_on_commit_callbacks,
        day=NOW.date().replace(year=2025),
    )
    assert job.status == JobStatus.DONE and job.record_count == 0
    assert "本期没有已记录的会议。" in [p.text for p in opened(job).paragraphs]


def test_a_period_not_begun_is_refused_in_chinese(org, roster):
    with pytest.raises(printing.PrintError, match="不能打印尚未开始的期间的台账"):
        printing.request_print(
            actor=org.users["secretary"],
            branch=org.a1,
            period=PrintPeriod.QUARTER,
            day=NOW.date().replace(month=4, day=1),
        )
    assert not LedgerPrint.objects.exists()


def test_regenerating_replaces_the_file_and_deletes_the_old_one(
    org, roster, tpl, django_capture_on_commit_callbacks
):
    first = generated(org.users["secretary"], org.a1, django_capture_on_commit_callbacks)
    old = first.docx.name
    recorded(org, roster, tpl)
    second = generated(org.users["secretary"], org.a1, django_capture_on_commit_callbacks)
    assert second.pk == first.pk and second.docx.name != old
    assert second.record_count == 1
    assert not default_storage.exists(old) and default_storage.exists(second.docx.name)


def test_a_failed_generation_says_why_and_keeps_no_file(
    org, roster, tpl, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(printing.document, "write_ledger", broken)
    with django_capture_on_commit_callbacks(execute=True):  # the page goes on: no 500
        printing.request_print(
            actor=org.users["secretary"], branch=org.a1, period=PrintPeriod.YEAR, day=NOW.date()
        )
    job = LedgerPrint.objects.get()
    assert job.status == JobStatus.FAILED and "磁盘已满" in job.error and not job.docx.name
    assert Notification.objects.filter(
        recipient=org.users["secretary"], title__contains="生成失败"
    ).exists()


def test_the_request_and_each_download_are_audited(
    client, org, roster, tpl, django_capture_on_commit_callbacks
):
    recorded(org, roster, tpl)
    job = generated(org.users["secretary"], org.a1, django_capture_on_commit_callbacks)
    request = AuditEntry.objects.get(action="ledger_print_request")
    assert request.actor == org.users["secretary"] and request.unit == org.a1
    reviewer = org.users["city_reviewer"]
    client.force_login(reviewer)
    response = client.get(reverse("ledger:print_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(response.streaming_content)[:2] == b"PK"
    entry = AuditEntry.objects.get(action="ledger_print_download")
    assert (entry.actor, entry.unit, entry.object_id) == (reviewer, org.a1, org.a1.pk)
    assert "1 条会议记录" in entry.comment and "手机号码已隐去中间四位" in entry.comment
    assert "13812341234" not in entry.comment


@pytest.fixture
def jobs(org, roster, django_capture_on_commit_callbacks):
    """One finished print in branch A1 and one in the sibling city's branch B1."""
    own = generated(org.users["admin"], org.a1, django_capture_on_commit_callbacks)
    other = generated(org.users["admin"], org.b1, django_capture_on_commit_callbacks)
    return own, other


def test_print_page_matrix(client, org, roster):
    assert_permission_matrix(
        client, org, lambda unit: reverse("ledger:prints", args=[unit.pk]), READERS
    )


@pytest.mark.parametrize(
    "name", ["ledger:print_detail", "ledger:print_progress", "ledger:print_download"]
)
def test_print_job_pages_matrix(client, org, jobs, name):
    own, other = jobs
    assert_permission_matrix(
        client,
        org,
        lambda job: reverse(name, args=[job.pk]),
        READERS,
        own=own,
        other=other,
    )


def test_asking_for_a_print_matrix(client, org, roster):
    """POST: readers are sent to the job's page (302), the others refused; nothing is queued
    for a refused role."""
    asked = READERS | {
        "secretary": (302, 403),
        "general_branch_reviewer": (302, 403),
        "city_reviewer": (302, 403),
        "province_reviewer": 302,
        "admin": 302,
    }
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("ledger:prints", args=[unit.pk]),
        asked,
        method="post",
        data={"period": "year", "year": NOW.year},
    )
    assert LedgerPrint.objects.filter(branch=org.a1).count() == 1
    assert LedgerPrint.objects.filter(branch=org.b1).count() == 1
    # the first request of each branch is still queued (its task runs on commit), so the
    # later readers' requests join it instead of queueing a second generation
    assert AuditEntry.objects.filter(action="ledger_print_request").count() == 2


def test_unknown_prints_are_404(client, org):
    client.force_login(org.users["admin"])
    assert client.get(reverse("ledger:print_detail", args=[999999])).status_code == 404
    assert client.get(reverse("ledger:print_download", args=[999999])).status_code == 404


def test_the_form_wants_a_quarter_for_a_quarter(client, org, roster):
    client.force_login(org.users["secretary"])
    url = reverse("ledger:prints", args=[org.a1.pk])
    response = client.post(url, {"period": "quarter", "year": NOW.year})
    assert response.status_code == 200
    assert "请选择季度。" in response.content.decode()
    response = client.post(url, {"period": "quarter", "year": NOW.year, "quarter": 2})
    assert "不能打印尚未开始的期间的台账" in response.content.decode()
    assert not LedgerPrint.objects.exists()


@pytest.mark.parametrize("n", [2, 8])
def test_the_print_page_costs_the_same_for_2_and_8_prints(
    client, org, roster, n, django_assert_num_queries
):
    for year in range(NOW.year - n + 1, NOW.year + 1):
        LedgerPrint.objects.create(
            branch=org.a1,
            period=PrintPeriod.YEAR,
            start=NOW.date().replace(year=year, month=1, day=1),
            end=NOW.date().replace(year=year, month=12, day=31),
            status=JobStatus.DONE,
            requested_by=org.users["secretary"],
        )
    client.force_login(org.users["secretary"])
    with django_assert_num_queries(6):
        response = client.get(reverse("ledger:prints", args=[org.a1.pk]))
    assert response.status_code == 200 and response.content.decode().count("print-progress-") == n


@pytest.mark.parametrize("n", [3, 20])
def test_reading_the_records_costs_the_same_for_3_and_20(
    org, roster, tpl, n, django_assert_num_queries
):
    for day in range(1, n + 1):
        recorded(org, roster, tpl, held_at=HELD.replace(day=1 + day % 15, hour=8 + day // 15))
    with django_assert_num_queries(3):
        pages = list(content.record_pages(org.a1, NOW.date().replace(month=1, day=1), NOW.date()))
    assert len(pages) == n and all(len(p.photos) == 2 for p in pages)


def test_the_reaper_knows_printed_ledgers():
    assert LedgerPrint in [kind.model for kind in reaper.kinds()]
