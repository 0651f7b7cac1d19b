"""Bonus items (加分项, #18 item 2): the upper level records points with a reason, within the
version's cap, until the result is published; the total, the star, the result card and the
export include them; every record and withdrawal is audited."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from evaluation import exports
from evaluation.models import Assessment, BonusItem, TableVersion
from evaluation.services import assessments as services
from evaluation.services import bonus
from evaluation.services import periods as period_services
from evaluation.services.assessments import WORKFLOW, EvaluationError
from workflow.models import AuditEntry

from .conftest import close, fill_and_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def capped(period):
    TableVersion.objects.filter(pk=period.table_version_id).update(bonus_cap=Decimal(10))
    period.table_version.refresh_from_db()
    return period


@pytest.fixture
def submitted(org, capped, a1):
    return fill_and_submit(a1, org.users["secretary"], Decimal("0.8"))


def test_a_bonus_enters_the_total_the_rate_and_the_audit(org, submitted):
    before = Assessment.objects.get(pk=submitted.pk)
    item = bonus.record_bonus(
        actor=org.users["city_reviewer"],
        pk=submitted.pk,
        points_value=Decimal("5"),
        reason="抗洪保供表现突出",
    )
    after = Assessment.objects.get(pk=submitted.pk)
    assert item.points == Decimal(5)
    assert after.bonus == Decimal(5)
    assert after.total == before.total + 5
    assert after.gross_total == before.gross_total + 5
    assert after.max_total == before.max_total  # a bonus does not raise the maximum
    assert after.rate > before.rate
    assert after.self_total == before.self_total  # the branch's own figure stays its own
    entry = AuditEntry.objects.get(object_id=submitted.pk, action="bonus")
    assert entry.actor == org.users["city_reviewer"]
    assert (entry.from_state, entry.to_state) == ("0", "5")
    assert "抗洪保供表现突出" in entry.comment


def test_the_cap_bounds_the_sum_and_says_what_is_left(org, submitted):
    reviewer = org.users["city_reviewer"]
    bonus.record_bonus(actor=reviewer, pk=submitted.pk, points_value="7", reason="获省级表彰")
    with pytest.raises(ValidationError) as exc:
        bonus.record_bonus(actor=reviewer, pk=submitted.pk, points_value="3.01", reason="再加")
    assert "加分合计不能超过 10 分（已加 7 分，还可加 3 分）" in exc.value.message_dict["points"][0]
    bonus.record_bonus(actor=reviewer, pk=submitted.pk, points_value="3", reason="再加")
    assert Assessment.objects.get(pk=submitted.pk).bonus == Decimal(10)  # exactly the cap


@pytest.mark.parametrize(
    ("value", "reason", "field", "message"),
    [
        ("", "理由", "points", "请填写加分分值"),
        ("0", "理由", "points", "加分须大于 0"),
        ("-1", "理由", "points", "加分须大于 0"),
        ("1.005", "理由", "points", "最多保留两位小数"),
        ("2", "  ", "reason", "请填写加分理由"),
    ],
)
def test_bad_input_is_refused_at_the_field(org, submitted, value, reason, field, message):
    with pytest.raises(ValidationError) as exc:
        bonus.record_bonus(
            actor=org.users["city_reviewer"], pk=submitted.pk, points_value=value, reason=reason
        )
    assert message in exc.value.message_dict[field][0]
    assert not BonusItem.objects.exists()


def test_withdrawing_recomputes_and_is_audited(org, submitted):
    reviewer = org.users["city_reviewer"]
    total = Assessment.objects.get(pk=submitted.pk).total
    item = bonus.record_bonus(actor=reviewer, pk=submitted.pk, points_value="4", reason="先进")
    with pytest.raises(ValidationError):
        bonus.withdraw_bonus(actor=reviewer, item_pk=item.pk, reason="")
    assert bonus.withdraw_bonus(actor=reviewer, item_pk=item.pk, reason="重复记录") == 0
    assert Assessment.objects.get(pk=submitted.pk).total == total
    assert AuditEntry.objects.filter(object_id=submitted.pk, action="withdraw_bonus").exists()
    # the same withdrawal again (a second click, another reviewer's page): told, not a 500
    with pytest.raises(EvaluationError, match="已被撤销"):
        bonus.withdraw_bonus(actor=reviewer, item_pk=item.pk, reason="重复记录")


def test_a_bonus_recorded_on_a_draft_counts_once_submitted(org, capped, a1):
    bonus.record_bonus(actor=org.users["city_reviewer"], pk=a1.pk, points_value="2", reason="好")
    plain = Assessment.objects.get(pk=a1.pk)
    assert plain.total is None and plain.bonus == Decimal(2)
    done = fill_and_submit(a1, org.users["secretary"], Decimal("0.5"))
    done.refresh_from_db()
    assert done.total == done.self_total + 2


def test_a_bonus_past_the_step_to_five_stars_changes_star_and_tier(org, submitted):
    before = Assessment.objects.get(pk=submitted.pk)  # 80 % → 4 stars
    assert before.star == 4
    reviewer = org.users["city_reviewer"]
    bonus.record_bonus(actor=reviewer, pk=submitted.pk, points_value="10", reason="好")
    after = Assessment.objects.get(pk=submitted.pk)
    assert after.rate == Decimal(90) and (after.star, after.tier) == (5, 1)


def test_a_veto_voids_the_bonus_too(org, submitted):
    reviewer = org.users["city_reviewer"]
    bonus.record_bonus(actor=reviewer, pk=submitted.pk, points_value="5", reason="好")
    rows = submitted.scores.select_related("indicator")
    veto = next(s for s in rows if s.indicator.kind == "veto")
    changes = {veto.indicator_id: ("1", "违纪")}
    services.adjust_scores(actor=reviewer, pk=submitted.pk, changes=changes)
    after = Assessment.objects.get(pk=submitted.pk)
    assert after.is_vetoed and after.total == 0 and after.star is None


def test_refused_once_published(org, submitted):
    reviewer = org.users["city_reviewer"]
    services.accept(actor=reviewer, pk=submitted.pk)
    item = bonus.record_bonus(actor=reviewer, pk=submitted.pk, points_value="1", reason="好")
    period = submitted.period
    close(period)
    period_services.publish(actor=org.users["province_reviewer"], pk=period.pk, unit=period.scope)
    with pytest.raises(EvaluationError, match="考评结果已发布"):
        bonus.record_bonus(actor=reviewer, pk=submitted.pk, points_value="1", reason="再加")
    with pytest.raises(EvaluationError, match="考评结果已发布"):
        bonus.withdraw_bonus(actor=reviewer, item_pk=item.pk, reason="撤")


def test_a_version_without_a_cap_has_no_bonus(org, period, a1):
    fill_and_submit(a1, org.users["secretary"])
    with pytest.raises(EvaluationError, match="未设加分项"):
        bonus.record_bonus(actor=org.users["city_reviewer"], pk=a1.pk, points_value=1, reason="好")


# --- who may: role × own / other subtree ------------------------------------------------------


def _user(org, who):
    return {"rev_b": org.rev_b, "sec_b1": org.sec_b1}.get(who) or org.users[who]


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("general_branch_reviewer", True),  # 党总支 above A1
        ("city_reviewer", True),  # own committee
        ("province_reviewer", True),
        ("rev_b", False),  # reviewer of the sibling city
        ("secretary", False),  # the branch itself
        ("sec_b1", False),
        ("member", False),
        ("committee_member", False),
        ("admin", False),
    ],
)
def test_permission_matrix_on_the_service_and_the_page(client, org, submitted, who, allowed):
    user = _user(org, who)
    assert user.has_perm("evaluation.record_bonus", submitted) is allowed
    client.force_login(user)
    response = client.post(
        reverse("evaluation:bonus", args=[submitted.pk]),
        {"points": "1", "reason": "好", "expected_version": WORKFLOW.version_of(submitted)},
    )
    assert response.status_code == (302 if allowed else 403)
    assert BonusItem.objects.filter(assessment=submitted).exists() is allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            bonus.record_bonus(actor=user, pk=submitted.pk, points_value="1", reason="好")


def test_the_form_answers_400_in_chinese_and_keeps_what_was_typed(client, org, submitted):
    client.force_login(org.users["city_reviewer"])
    version = services.WORKFLOW.version_of(submitted)
    response = client.post(
        reverse("evaluation:bonus", args=[submitted.pk]),
        {"points": "12", "reason": "获得集团表彰", "expected_version": version},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "加分合计不能超过 10 分" in page and "获得集团表彰" in page


def test_the_result_card_and_the_export_show_the_bonus(client, org, submitted):
    reviewer = org.users["city_reviewer"]
    bonus.record_bonus(actor=reviewer, pk=submitted.pk, points_value="3.5", reason="攻坚任务")
    client.force_login(reviewer)
    page = client.get(reverse("evaluation:assessment", args=[submitted.pk])).content.decode()
    assert 'data-testid="result-bonus">+3.5<' in page and "攻坚任务" in page
    with exports.results_workbook(org.users["province_reviewer"], submitted.period) as out:
        rows = list(load_workbook(out, read_only=True).active.iter_rows(values_only=True))
    column = rows[0].index("上级加分")
    assert rows[0][column + 1] == "最终得分"
    a1_row = next(r for r in rows if r[0] == "A1")
    assert a1_row[column] == 3.5
    assert a1_row[column + 1] == float(Assessment.objects.get(pk=submitted.pk).total)


def test_the_branch_sees_no_form_and_reviewers_no_form_once_published(client, org, submitted):
    client.force_login(org.users["secretary"])
    page = client.get(reverse("evaluation:assessment", args=[submitted.pk])).content.decode()
    assert 'data-testid="bonus-form"' not in page


def test_the_page_lists_the_items_until_the_last_is_withdrawn_and_then_asks_for_none(
    client, org, submitted
):
    """The items card reads the items only when the sum (`Assessment.bonus`) says there are
    some: a withdrawn last item leaves neither the card nor a query for it."""
    reviewer = org.users["city_reviewer"]
    item = bonus.record_bonus(actor=reviewer, pk=submitted.pk, points_value="2", reason="抢修")
    client.force_login(reviewer)
    url = reverse("evaluation:assessment", args=[submitted.pk])
    page = client.get(url).content.decode()
    assert page.count('data-testid="bonus-item"') == 1 and "抢修" in page
    bonus.withdraw_bonus(actor=reviewer, item_pk=item.pk, reason="重复记录")
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    assert 'data-testid="bonus-item"' not in page and "抢修" not in page.split("办理记录")[0]
    assert not [q for q in captured.captured_queries if "evaluation_bonusitem" in q["sql"]]
