"""Ledger journey in Chromium (issue #16, Done when): on a phone, A1's secretary records the
month's meetings — 支委会 and 主题党日 — on the template-driven form (attendance from the roster
with one member on leave, two photos through the file input); the 5521 self-assessment of that
month shows the management items scored from those records with their basis and links the
支委会 record behind its item; the city reviewer follows the compliance drill-down from the
city to A1 and adjusts one online score with a reason.

The clock is frozen (ticking) at 20 March 2026 and every date is derived from it: the period is
March 2026, the meetings are held on the 5th and the 12th (an open month)."""

import io
import re
from decimal import Decimal

import pytest
import time_machine
from PIL import Image
from playwright.sync_api import expect

from evaluation.models import Assessment, Indicator, TableVersion
from evaluation.services import assessments as assessment_services
from ledger.models import MeetingRecord, RecordStatus
from tests.clock import local
from tests.e2e.conftest import assert_no_horizontal_scroll, login
from tests.evaluation.conftest import full_marks, make_period
from tests.ledger.conftest import Roster

NOW = local(2026, 3, 20, 10, 0)
REASON = "线下核查：3月支委会纪要缺少表决情况"
MEETINGS = {
    # template name → what the secretary types
    "支委会": {
        "held_at": NOW.replace(day=5, hour=14, minute=30),
        "place": "三楼党员活动室",
        "topic": "研究一季度党员发展工作",
        "minutes": "传达上级党委会议精神，讨论一季度党员发展计划。",
        "resolutions": "同意将王芳列为发展对象考察人选。",
        "photos": 0,
    },
    "主题党日": {
        "held_at": NOW.replace(day=12, hour=9, minute=0),
        "place": "网络运维中心",
        "topic": "学雷锋志愿服务",
        "minutes": "集中学习后到社区开展网络安全宣传志愿服务。",
        "resolutions": "",
        "photos": 2,
    },
}


def _photos(tmp_path, n) -> list:
    paths = []
    for i in range(n):
        buffer = io.BytesIO()
        Image.new("RGB", (1280, 960), (180, 40 + 60 * i, 40)).save(buffer, "JPEG")
        path = tmp_path / f"现场照片{i + 1}.jpg"
        path.write_bytes(buffer.getvalue())
        paths.append(path)
    return paths


def star_5521():
    return TableVersion.objects.filter(table__code="star-5521", status="published").order_by(
        "-number"
    )[0]


def record_meeting(page, name, meeting, roster, tmp_path):
    """The secretary's phone: new record → pick the template → fill the form → record it."""
    page.get_by_test_id("record-new").click()
    page.get_by_test_id("template-pick").get_by_role("link", name=re.compile(f"^{name}")).click()
    form = page.get_by_test_id("record-form")
    expect(form).to_be_visible()
    assert_no_horizontal_scroll(page)
    form.locator("[name=held_at]").fill(f"{meeting['held_at']:%Y-%m-%dT%H:%M}")
    form.locator("[name=place]").fill(meeting["place"])
    form.locator("[name=topic]").fill(meeting["topic"])
    form.locator("[name=host]").select_option(label=roster.li.name)
    if form.locator("[name=recorder]").count():
        form.locator("[name=recorder]").select_option(label=roster.wang.name)
    for box in form.locator("[name=steps_done]").all():  # every step of the template done
        box.check()
    # attendance comes from the roster, everyone present: only the exception is typed
    attendance = form.get_by_test_id("attendance")
    for member in (roster.li, roster.wang, roster.zhao):
        expect(attendance).to_contain_text(member.name)
    expect(attendance.locator(f"#att-{roster.li.pk}-present")).to_be_checked()
    attendance.locator(f"label[for=att-{roster.zhao.pk}-leave]").click()
    attendance.locator(f"[name=reason-{roster.zhao.pk}]").fill("外出培训")
    form.locator("[name=minutes]").fill(meeting["minutes"])
    form.locator("[name=resolutions]").fill(meeting["resolutions"])
    if meeting["photos"]:
        photos = form.locator("input[name=photos]")
        assert photos.get_attribute("capture") == "environment"  # the phone's camera
        photos.set_input_files(_photos(tmp_path, meeting["photos"]))
    page.get_by_test_id("record-submit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.locator("main")).to_contain_text("已记录")
    assert_no_horizontal_scroll(page)
    page.locator(".breadcrumb").get_by_role("link", name=re.compile("台账")).click()


@pytest.mark.django_db(transaction=True)
def test_a_month_recorded_on_the_phone_scores_the_5521_items_and_the_reviewer_adjusts(
    page, live_server, org, settings, tmp_path, screen
):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(NOW, tick=True):
        roster = Roster(org)
        period = make_period(
            org,
            version=star_5521(),
            starts=NOW.date().replace(day=1),
            ends=NOW.date().replace(day=31),
            name="2026年3月星级考评",
        )
        a1 = Assessment.objects.get(period=period, unit=org.a1)
        secretary, reviewer = org.users["secretary"], org.users["city_reviewer"]

        # 1. The secretary records the month's meetings on the phone.
        page.set_viewport_size({"width": 390, "height": 844})
        login(page, live_server, secretary.username)
        page.goto(f"{live_server.url}/ledger/branch/{org.a1.pk}/records/")
        for name, meeting in MEETINGS.items():
            record_meeting(page, name, meeting, roster, tmp_path)
        listed = page.get_by_test_id("records")
        expect(listed.get_by_role("link")).to_have_count(2)
        expect(listed).to_contain_text("照片 2 张")
        assert_no_horizontal_scroll(page)
        recorded = MeetingRecord.objects.filter(branch=org.a1, status=RecordStatus.RECORDED)
        assert recorded.count() == 2
        assert recorded.get(template__name="主题党日").photos.count() == 2
        leave = recorded.get(template__name="支委会").attendance.get(member=roster.zhao)
        assert (leave.status, leave.reason) == ("leave", "外出培训")

        # 2. The 5521 self-assessment scores the management items from those records.
        if screen == "desktop":
            page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(f"{live_server.url}/evaluation/assessments/{a1.pk}/fill/")
        for code in ("gl-2", "gl-3", "dw-2", "fw-1"):
            expect(page.get_by_test_id(f"online-{code}")).to_be_visible()
            expect(page.get_by_test_id(f"score-{code}")).to_be_disabled()
        # 支委会 held on the 5th; 支部党员大会 (quarterly, due in March) not held: half points
        gl2 = Indicator.objects.get(dimension__version=period.table_version, code="gl-2")
        expect(page.get_by_test_id("evidence-gl-2")).to_have_value(
            re.compile(r"应开支委会 1 次，已开 1 次（3月5日）")
        )
        expect(page.get_by_test_id("score-gl-2")).to_have_value(f"{gl2.max_points / 2:.2f}")
        expect(page.get_by_test_id("evidence-gl-3")).to_have_value(
            re.compile(r"应开主题党日 1 次，已开 1 次（3月12日）")
        )
        # two meetings, two present of three listed each: 66.7 %; both records complete
        expect(page.get_by_test_id("evidence-dw-2")).to_have_value(
            re.compile(r"应到 6 人次，实到 4 人次，出席率 66.7%")
        )
        expect(page.get_by_test_id("evidence-fw-1")).to_have_value(
            re.compile(r"本期台账 2 条，已完整记录 2 条")
        )
        assert_no_horizontal_scroll(page)
        # the 支委会 item links the record it counted, which opens from there (no re-upload)
        linked = page.get_by_test_id("records-gl-2").get_by_test_id("record-link")
        expect(linked).to_have_count(1)
        expect(linked).to_have_text(f"{MEETINGS['支委会']['held_at']:%Y-%m-%d} 支委会")
        linked.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("支委会")
        expect(page.locator("main")).to_contain_text(MEETINGS["支委会"]["topic"])
        page.go_back()
        # The typed items are filled and the assessment submitted off screen (the evaluation
        # journey covers that form).
        assessment_services.save_draft(actor=secretary, pk=a1.pk, entries=full_marks(a1))
        assessment_services.submit_assessment(actor=secretary, pk=a1.pk)
        online_gl3 = a1.scores.get(indicator__code="gl-3").self_score

        # 3. The city reviewer drills down from the city to A1, then adjusts one online score.
        page.context.clear_cookies()
        login(page, live_server, reviewer.username)
        page.goto(f"{live_server.url}/ledger/compliance/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(org.city_a.name)
        page.get_by_test_id(f"area-{org.general_a.code}").get_by_role("link").first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(org.general_a.name)
        page.get_by_test_id(f"area-{org.a1.code}").get_by_role("link", name=org.a1.name).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(org.a1.name)
        month = page.get_by_test_id("compliance-month")
        expect(month.get_by_test_id("row-committee-meeting")).to_contain_text("1")
        expect(month.get_by_test_id("row-theme-day")).to_contain_text("1")
        assert_no_horizontal_scroll(page)

        page.goto(f"{live_server.url}/evaluation/assessments/{a1.pk}/")
        expect(page.get_by_test_id("records-gl-2").get_by_test_id("record-link")).to_have_count(1)
        adjusted = (online_gl3 - Decimal(1)).quantize(Decimal("0.01"))
        page.get_by_test_id("review-score-gl-3").fill(str(adjusted))
        page.get_by_test_id("review-reason-gl-3").fill(REASON)
        page.get_by_test_id("save-review").click()
        expect(page.get_by_test_id("timeline")).to_contain_text(REASON)
        assert_no_horizontal_scroll(page)
        score = a1.scores.get(indicator__code="gl-3")
        assert (score.self_score, score.reviewed_score) == (online_gl3, adjusted)


@pytest.mark.django_db(transaction=True)
def test_the_secretary_prints_the_quarter_on_the_phone(page, live_server, org, settings, tmp_path):
    """The printed ledger from the phone: ask for the quarter, watch it finish, download the
    Word file (Celery runs eagerly here, so the job is done when the page comes back)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(NOW, tick=True):
        Roster(org)
        page.set_viewport_size({"width": 390, "height": 844})
        login(page, live_server, org.users["secretary"].username)
        page.goto(f"{live_server.url}/ledger/branch/{org.a1.pk}/records/")
        page.get_by_test_id("print-link").click()
        form = page.get_by_test_id("print-form")
        form.locator("[name=period]").select_option("quarter")
        form.locator("[name=quarter]").select_option("1")
        assert_no_horizontal_scroll(page)
        page.get_by_test_id("print-submit").click()
        progress = page.get_by_test_id("print-progress")
        expect(progress).to_have_attribute("data-status", "done")
        expect(page.get_by_role("heading", level=1)).to_contain_text("2026年第1季度台账")
        assert_no_horizontal_scroll(page)
        with page.expect_download() as download:
            progress.get_by_test_id("print-download").click()
        assert download.value.suggested_filename.endswith("2026年第1季度台账.docx")
