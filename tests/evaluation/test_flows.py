"""The self-assessment, review and publication through the pages' forms."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from evaluation.models import Assessment, AssessmentPeriod, Evidence, Status
from evaluation.selectors.tables import indicators_for
from evaluation.services import assessments as services
from workflow.models import AuditEntry

from .conftest import close, fill_and_submit, full_marks


def form_data(assessment, fraction=Decimal(1)):
    data = {"expected_version": services.WORKFLOW.version_of(assessment)}
    for pk, entry in full_marks(assessment, fraction).items():
        data[f"s{pk}"] = str(entry["score"])
        data[f"e{pk}"] = entry["evidence"]
    return data


def png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_fill_page_has_stable_test_ids(client, org, a1):
    client.force_login(org.users["secretary"])
    body = client.get(reverse("evaluation:fill", args=[a1.pk])).content.decode()
    for testid in (
        "score-dw-1",
        "evidence-dw-1",
        "score-yj-output-production",
        "score-yj-v1",
        "save-draft",
        "submit-assessment",
        "running-total",
    ):
        assert f'data-testid="{testid}"' in body, testid
    assert "score-yj-output-market" not in body  # another category's variant
    assert "evaluation-pages.js" in body


def test_save_draft_with_evidence_then_submit(client, org, a1):
    client.force_login(org.users["secretary"])
    url = reverse("evaluation:fill", args=[a1.pk])
    first = indicators_for(a1.period.table_version_id, "production")[0]
    data = form_data(a1, Decimal("0.8"))
    response = client.post(url, {**data, "save": "1", f"f{first.pk}": png()})
    assert response.status_code == 302 and response.url == url
    a = Assessment.objects.get(pk=a1.pk)
    assert a.status == Status.DRAFT and a.self_total == 80
    evidence = Evidence.objects.get(assessment=a)
    # re-encoded as JPEG (no transparency): kept under the name of what it now is
    assert evidence.indicator == first and evidence.original_name == "photo.jpg"
    body = client.get(url).content.decode()
    assert "photo.jpg" in body and 'value="8.00"' in body  # the draft resumes pre-filled
    response = client.post(url, {**form_data(a, Decimal("0.8")), "submit": "1"}, follow=True)
    assert "自评已提交" in response.content.decode()
    assert Assessment.objects.get(pk=a1.pk).status == Status.SUBMITTED


def test_chinese_validation_messages_on_the_form(client, org, a1):
    client.force_login(org.users["secretary"])
    first = indicators_for(a1.period.table_version_id, "production")[0]
    response = client.post(
        reverse("evaluation:fill", args=[a1.pk]),
        {"expected_version": "draft#0", f"s{first.pk}": "11", "save": "1"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "得分不能超过 10 分" in body and "部分指标填写有误" in body
    response = client.post(
        reverse("evaluation:fill", args=[a1.pk]),
        {"expected_version": "draft#0", f"s{first.pk}": "abc", "save": "1"},
    )
    assert "请输入数字" in response.content.decode()


def test_incomplete_submission_keeps_the_draft_and_says_what_is_missing(client, org, a1):
    client.force_login(org.users["secretary"])
    first = indicators_for(a1.period.table_version_id, "production")[0]
    response = client.post(
        reverse("evaluation:fill", args=[a1.pk]),
        {"expected_version": "draft#0", f"s{first.pk}": "5", "submit": "1"},
        follow=True,
    )
    body = response.content.decode()
    assert "请先为以下指标填写自评分" in body and "内容已保存为草稿" in body


def test_after_the_close_date_the_page_says_so_and_posting_is_refused(client, org, a1):
    close(a1.period)
    client.force_login(org.users["secretary"])
    url = reverse("evaluation:fill", args=[a1.pk])
    body = client.get(url).content.decode()
    assert 'data-testid="window-error"' in body and "截止填报" in body and "disabled" in body
    client.post(url, {**form_data(a1), "submit": "1"})
    assert Assessment.objects.get(pk=a1.pk).status == Status.DRAFT


def test_reviewer_adjusts_through_the_page(client, org, a1):
    a = fill_and_submit(a1, org.users["secretary"])
    client.force_login(org.users["city_reviewer"])
    detail = reverse("evaluation:assessment", args=[a.pk])
    body = client.get(detail).content.decode()
    assert 'data-testid="review-score-gl-3"' in body and 'data-testid="save-review"' in body
    item = next(
        i for i in indicators_for(a.period.table_version_id, "production") if i.code == "gl-3"
    )
    version = services.WORKFLOW.version_of(a)
    response = client.post(
        reverse("evaluation:adjust", args=[a.pk]), {"expected_version": version, f"r{item.pk}": "7"}
    )
    assert response.status_code == 400
    assert "调整分数必须填写理由" in response.content.decode()
    response = client.post(
        reverse("evaluation:adjust", args=[a.pk]),
        {"expected_version": version, f"r{item.pk}": "7", f"why{item.pk}": "线下验收核减"},
        follow=True,
    )
    assert "已调整 1 项评分" in response.content.decode()
    assert Assessment.objects.get(pk=a.pk).total == 97
    body = client.get(detail).content.decode()
    assert "调整分数" in body and "线下验收核减" in body  # on the timeline


def test_veto_through_the_page_voids_and_shows_the_reason(client, org, a1):
    a = fill_and_submit(a1, org.users["secretary"])
    veto = next(
        i for i in indicators_for(a.period.table_version_id, "production") if i.code == "yj-v1"
    )
    client.force_login(org.users["general_branch_reviewer"])
    client.post(
        reverse("evaluation:adjust", args=[a.pk]),
        {
            "expected_version": services.WORKFLOW.version_of(a),
            f"r{veto.pk}": "on",
            f"why{veto.pk}": "发生重大安全生产责任事故",
        },
    )
    body = client.get(reverse("evaluation:assessment", args=[a.pk])).content.decode()
    assert 'data-testid="veto"' in body and "发生重大安全生产责任事故" in body
    assert 'data-star=""' in body
    assert AuditEntry.objects.filter(object_id=a.pk, action="veto").exists()


def test_accept_and_return_through_the_action_buttons(client, org, a1):
    a = fill_and_submit(a1, org.users["secretary"])
    client.force_login(org.users["city_reviewer"])
    body = client.get(reverse("evaluation:assessment", args=[a.pk])).content.decode()
    assert 'data-testid="act-accept"' in body and 'data-testid="act-return"' in body
    response = client.post(
        reverse("evaluation:act", args=[a.pk, "return"]),
        {"comment": "", "expected_version": services.WORKFLOW.version_of(a)},
        follow=True,
    )
    assert "必须填写意见" in response.content.decode()
    client.post(
        reverse("evaluation:act", args=[a.pk, "accept"]),
        {"comment": "线下验收通过", "expected_version": services.WORKFLOW.version_of(a)},
    )
    assert Assessment.objects.get(pk=a.pk).status == Status.REVIEWED


def test_a_secretary_cannot_accept_their_own(client, org, a1):
    a = fill_and_submit(a1, org.users["secretary"])
    client.force_login(org.users["secretary"])
    response = client.post(
        reverse("evaluation:act", args=[a.pk, "accept"]),
        {"comment": "", "expected_version": services.WORKFLOW.version_of(a)},
        follow=True,
    )
    assert "您没有权限执行" in response.content.decode()
    assert Assessment.objects.get(pk=a.pk).status == Status.SUBMITTED


def test_publish_through_the_page_then_the_branch_sees_its_result(client, org, period):
    a = fill_and_submit(
        period.assessments.get(unit=org.a1), org.users["secretary"], Decimal("0.75")
    )
    services.accept(actor=org.users["city_reviewer"], pk=a.pk)
    client.force_login(org.users["city_reviewer"])
    url = reverse("evaluation:period", args=[period.pk])
    assert 'data-testid="publish-button"' in client.get(url).content.decode()
    response = client.post(
        reverse("evaluation:period_publish", args=[period.pk]), {"unit": org.city_a.pk}, follow=True
    )
    assert "填报截止" in response.content.decode()  # not before the close date
    close(period)
    response = client.post(
        reverse("evaluation:period_publish", args=[period.pk]), {"unit": org.city_a.pk}, follow=True
    )
    assert "已发布 1 份考评结果" in response.content.decode()
    client.force_login(org.users["secretary"])
    body = client.get(reverse("evaluation:assessment", args=[a.pk])).content.decode()
    assert 'data-testid="result-star" data-star="3"' in body
    assert 'data-testid="rank-category">1<' in body and 'data-testid="radar"' in body
    assert "第二梯队" in body


def test_general_branch_reviewer_is_not_offered_publishing(client, org, period):
    client.force_login(org.users["general_branch_reviewer"])
    body = client.get(reverse("evaluation:period", args=[period.pk])).content.decode()
    assert 'data-testid="publish-button"' not in body


def test_period_form_creates_and_validates_in_chinese(client, org):
    client.force_login(org.users["province_reviewer"])
    today = timezone.localdate()
    from evaluation.models import TableVersion

    version = TableVersion.objects.get(table__code="six-good", number=1)
    data = {
        "name": "六好月度考评",
        "kind": "monthly",
        "table_version": version.pk,
        "scope": org.city_a.pk,
        "starts_on": today.replace(day=1),
        "ends_on": today.replace(day=1) + timedelta(days=27),
        "opens_on": today,
        "closes_on": today - timedelta(days=1),
    }
    response = client.post(reverse("evaluation:period_create"), data)
    assert response.status_code == 200
    assert "填报截止日期不能早于填报开始日期" in response.content.decode()
    data["closes_on"] = today + timedelta(days=7)
    response = client.post(reverse("evaluation:period_create"), data, follow=True)
    assert "共 2 个考评对象" in response.content.decode()  # A1 and A2 in city A
    period = AssessmentPeriod.objects.get(name="六好月度考评")
    response = client.post(reverse("evaluation:period_create"), data)
    assert "已有同一评价表" in response.content.decode()
    # extending the deadline is audited
    response = client.post(
        reverse("evaluation:period_edit", args=[period.pk]),
        {"name": period.name, "opens_on": today, "closes_on": today + timedelta(days=14)},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="reschedule", object_id=period.pk).exists()


def test_index_shows_the_secretarys_to_do_and_an_empty_state_for_members(client, org, period):
    client.force_login(org.users["secretary"])
    body = client.get(reverse("evaluation:index")).content.decode()
    assert body.count('data-testid="own-assessment"') == 1 and "开始自评" in body
    client.force_login(org.users["member"])
    body = client.get(reverse("evaluation:index")).content.decode()
    assert 'data-testid="empty-state"' in body and 'data-testid="period-row"' not in body


def test_confirmation_before_destructive_actions(client, org, period):
    client.force_login(org.users["province_reviewer"])
    body = client.get(reverse("evaluation:period", args=[period.pk])).content.decode()
    assert "data-confirm=" in body  # publish asks first


def test_evidence_written_last_period_starts_this_periods_form(client, org, period, a1):
    """A secretary types a standing fact once: the next period's form starts from the
    evidence of the last one; scores start empty; nothing is saved until they save."""
    from .conftest import make_period

    first = indicators_for(a1.period.table_version_id, "production")[0]
    entries = full_marks(a1)
    entries[first.pk]["evidence"] = "支委会每月召开，记录见台账第3册"
    services.save_draft(actor=org.users["secretary"], pk=a1.pk, entries=entries)
    services.submit_assessment(actor=org.users["secretary"], pk=a1.pk)
    later = make_period(org, starts=period.starts_on + timedelta(days=40), name="次月考评")
    a1_later = later.assessments.get(unit=org.a1)

    client.force_login(org.users["secretary"])
    url = reverse("evaluation:fill", args=[a1_later.pk])
    body = client.get(url).content.decode()
    assert 'data-testid="carried-evidence"' in body and period.name in body
    assert "支委会每月召开，记录见台账第3册" in body
    assert not a1_later.scores.exists()  # shown, not saved

    # once this period has evidence of its own, that is what the form shows
    own = full_marks(a1_later)
    own[first.pk]["evidence"] = "本月支委会记录已上传"
    services.save_draft(actor=org.users["secretary"], pk=a1_later.pk, entries=own)
    body = client.get(url).content.decode()
    assert "本月支委会记录已上传" in body and 'data-testid="carried-evidence"' not in body


def test_a_unit_without_history_starts_empty(client, org, a1):
    client.force_login(org.users["secretary"])
    body = client.get(reverse("evaluation:fill", args=[a1.pk])).content.decode()
    assert 'data-testid="carried-evidence"' not in body


def test_removing_evidence_deletes_its_file_once_committed(org, a1, run_commit_hooks):
    secretary = org.users["secretary"]
    indicator = a1.period.table_version.dimensions.first().indicators.first()
    evidence = services.add_evidence(
        actor=secretary, assessment=a1, indicator=indicator, upload=png()
    )
    storage, name, pk = evidence.file.storage, evidence.file.name, evidence.pk
    with pytest.raises(RuntimeError), transaction.atomic():  # rolled back: row and file stay
        services.remove_evidence(actor=secretary, evidence=Evidence.objects.get(pk=pk))
        raise RuntimeError
    assert storage.exists(name) and Evidence.objects.filter(pk=pk).exists()

    run_commit_hooks(
        services.remove_evidence, actor=secretary, evidence=Evidence.objects.get(pk=pk)
    )
    assert not storage.exists(name) and not Evidence.objects.filter(pk=pk).exists()
