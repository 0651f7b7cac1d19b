"""The committee's scoring table (评分表) edited in the portal: the service's rules (who, what a
table must be, frozen once scored or awarded, one audited all-or-nothing save) and the page."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from flagship.models import CommitteeScore, ReviewCriterion
from flagship.services import FlagshipError, criteria, decision, review
from flagship.services import cycle as cycles
from tests.permissions import assert_permission_matrix
from workflow.models import AuditEntry
from workflow.transitions import AlreadyHandled

from .conftest import new_cycle, score
from .test_views import MANAGERS, redirects, same

pytestmark = pytest.mark.smoke


def table(cycle):
    return [
        (c.code, c.name, c.max_points, c.source)
        for c in ReviewCriterion.objects.filter(cycle=cycle)
    ]


def rows_of(cycle, **changes):
    """The table as the editor shows it, with `changes[code]` applied to a line."""
    return [
        {
            "pk": c.pk,
            "name": c.name,
            "max_points": c.max_points,
            "source": c.source,
            **changes.get(c.code.replace("-", "_"), {}),
        }
        for c in cycle.criteria.all()
    ]


def save(org, cycle, rows, role="province_reviewer", **kwargs):
    return criteria.save_criteria(actor=org.users[role], cycle_pk=cycle.pk, rows=rows, **kwargs)


def audits(cycle):
    return AuditEntry.objects.filter(object_id=cycle.pk, action="update_criteria")


# --- the service -------------------------------------------------------------------------


def test_only_the_province_and_administrators_edit_the_table(org):
    cycle = new_cycle(org)
    before = table(cycle)
    for role in (
        "member",
        "secretary",
        "general_branch_reviewer",
        "city_reviewer",
        "committee_member",
    ):
        with pytest.raises(PermissionDenied):
            save(org, cycle, rows_of(cycle, six_good={"max_points": 60}), role=role)
    assert table(cycle) == before and not audits(cycle).exists()
    save(org, cycle, rows_of(cycle, six_good={"max_points": 60}), role="admin")
    assert table(cycle)[0][2] == Decimal(60)


def test_one_save_updates_adds_and_deletes_and_is_audited(org):
    cycle = new_cycle(org)
    six_good = cycle.criteria.get(code="six-good")
    saved = save(
        org,
        cycle,
        [
            {
                "pk": six_good.pk,
                "name": "六好党支部考评结果",
                "max_points": "40",
                "source": "six_good",
            },
            {"name": "创新实践", "max_points": "10", "source": "manual"},
            {"name": "Party Building Innovation", "max_points": "50", "source": "manual"},
        ],
    )
    assert table(cycle) == [
        ("six-good", "六好党支部考评结果", Decimal(40), "six_good"),  # its code is kept
        ("criterion", "创新实践", Decimal(10), "manual"),  # a Chinese name has no slug
        ("party-building-innovation", "Party Building Innovation", Decimal(50), "manual"),
    ]
    assert [c.sort_order for c in saved] == [1, 2, 3]
    assert ReviewCriterion.objects.filter(pk=six_good.pk).exists()  # updated, not replaced
    entry = audits(cycle).get()
    assert entry.actor == org.users["province_reviewer"]
    assert entry.comment.splitlines() == [
        "修改“六好党支部考评结果”：分值 50 → 40 分",
        "新增：创新实践 10 分",
        "新增：Party Building Innovation 50 分",
        "删除：品牌五力评价 50 分",
    ]  # the total stays 100: no total line


def test_renaming_reordering_and_the_total_are_told_in_the_timeline(org, client):
    cycle = new_cycle(org)
    rows = rows_of(cycle, six_good={"name": "六好支部考评", "max_points": "30"})
    save(org, cycle, list(reversed(rows)))
    assert [c[0] for c in table(cycle)] == ["five-forces", "six-good"]
    assert audits(cycle).get().comment.splitlines() == [
        "修改“六好党支部考评结果”：名称 六好党支部考评结果 → 六好支部考评，分值 50 → 30 分",
        "调整排序：品牌五力评价、六好支部考评",
        "满分合计 100 → 80 分",
    ]
    client.force_login(org.users["province_reviewer"])
    page = client.get(reverse("flagship:cycle", args=[cycle.pk])).content.decode()
    assert "修改评分表" in page and "满分合计 100 → 80 分" in page


def test_saving_the_same_table_records_nothing(org):
    cycle = new_cycle(org)
    save(org, cycle, rows_of(cycle))
    assert not audits(cycle).exists()


def test_every_problem_is_reported_at_once_and_nothing_is_saved(org):
    cycle = new_cycle(org)
    before = table(cycle)
    rows = rows_of(cycle, five_forces={"name": "六好党支部考评结果", "max_points": "0"}) + [
        {"name": "", "max_points": "5"},
        {"name": "创新", "max_points": "1.005"},
        {"name": "亮点", "max_points": "abc", "source": "votes"},
    ]
    with pytest.raises(ValidationError) as exc:
        save(org, cycle, rows)
    assert exc.value.messages == [
        "评分项“六好党支部考评结果”重复，同一评分表中的评分项名称不能相同。",
        "“六好党支部考评结果”的分值须为大于 0 的数字，最多两位小数。",
        "第 3 项：请填写评分项名称。",
        "“创新”的分值须为大于 0 的数字，最多两位小数。",
        "“亮点”的分值须为大于 0 的数字，最多两位小数。",
        "“亮点”的参考来源无效。",
    ]
    assert table(cycle) == before and not audits(cycle).exists()


def test_a_table_keeps_at_least_one_criterion(org):
    cycle = new_cycle(org)
    with pytest.raises(ValidationError, match="评分表至少需要一个评分项"):
        save(org, cycle, [])
    assert len(table(cycle)) == 2


def test_codes_are_kept_generated_or_checked(org):
    cycle = new_cycle(org)
    rows = rows_of(cycle, six_good={"code": "renamed"})  # an existing line keeps its code
    with pytest.raises(ValidationError) as exc:
        save(
            org,
            cycle,
            [
                *rows,
                {"name": "甲", "max_points": 1, "code": "five-forces"},
                {"name": "乙", "max_points": 1, "code": "不是编码"},
            ],
        )
    assert exc.value.messages == [
        "编码“不是编码”只能包含字母、数字、连字符或下划线，且不超过 30 个字符。",
        "编码“five-forces”重复。",
    ]
    save(
        org,
        cycle,
        [
            *rows,
            {"name": "甲", "max_points": 1},
            {"name": "乙", "max_points": 1},
            {"name": "丙", "max_points": 1, "code": "site-visit"},
        ],
    )
    assert [c[0] for c in table(cycle)] == [
        "six-good",
        "five-forces",
        "criterion",
        "criterion-2",
        "site-visit",
    ]
    # a removed line's code is free for a new line in the same save
    rows = rows_of(cycle)
    save(org, cycle, [rows[0], {"name": "品牌五力", "max_points": 50, "code": "five-forces"}])
    assert table(cycle) == [
        ("six-good", "六好党支部考评结果", Decimal(50), "six_good"),
        ("five-forces", "品牌五力", Decimal(50), "manual"),
    ]


def test_a_stale_page_or_a_foreign_line_is_refused(org):
    cycle = new_cycle(org)
    seen = criteria.criteria_version(list(cycle.criteria.all()))
    save(org, cycle, rows_of(cycle, six_good={"max_points": 45}), expected_version=seen)
    with pytest.raises(AlreadyHandled, match="评分表已被他人修改"):
        save(org, cycle, rows_of(cycle, six_good={"max_points": 40}), expected_version=seen)
    other = cycles.create_cycle(actor=org.users["admin"], year_start=2031)
    with pytest.raises(AlreadyHandled, match="评分表已被他人修改"):
        save(org, cycle, rows_of(other))
    assert table(cycle)[0][2] == Decimal(45)


def test_a_failure_while_writing_leaves_the_table_whole(org, monkeypatch):
    cycle = new_cycle(org)
    before = table(cycle)

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ReviewCriterion.objects, "bulk_create", boom)
    rows = rows_of(cycle, six_good={"max_points": 70})[:1] + [{"name": "新项", "max_points": 30}]
    with pytest.raises(RuntimeError):
        save(org, cycle, rows)
    assert table(cycle) == before  # the deletion and the update were rolled back with it


def test_members_score_against_the_edited_table(org, in_review):
    cycle, a1, b1 = in_review
    rows = rows_of(cycle, six_good={"max_points": 40}) + [{"name": "实地考察", "max_points": 20}]
    criteria = {c.name: c.pk for c in save(org, cycle, rows)}
    jury = org.users["committee_member"]
    result = review.submit_score(
        actor=jury,
        candidacy_pk=a1.pk,
        points={
            criteria["六好党支部考评结果"]: 40,
            criteria["品牌五力评价"]: 45,
            criteria["实地考察"]: 18,
        },
    )
    assert result.total == Decimal(103)
    with pytest.raises(ValidationError, match="须在 0 至 40"):
        review.submit_score(
            actor=org.users["committee_member"],
            candidacy_pk=b1.pk,
            points=dict.fromkeys(criteria.values(), 41),
        )


def test_the_table_is_frozen_once_a_member_has_scored(org, in_review):
    cycle, a1, _b1 = in_review
    assert criteria.criteria_frozen_reason(cycle) == ""  # reviewing, nobody has scored yet
    score(org.users["committee_member"], a1, 45, 45)
    before = table(cycle)
    with pytest.raises(FlagshipError, match="评委已开始评分，评分表不能再修改。"):
        save(org, cycle, rows_of(cycle, six_good={"max_points": 60}))
    assert table(cycle) == before and not audits(cycle).exists()


def test_the_table_is_frozen_once_the_awards_are_published(org, voting):
    cycle, _a1, _b1 = voting
    decision.publish_awards(actor=org.users["committee_member"], cycle_pk=cycle.pk, base_count=0)
    cycle.refresh_from_db()
    with pytest.raises(FlagshipError, match="表彰已公布，评分表不能再修改。"):
        save(org, cycle, rows_of(cycle))


def test_the_total_is_a_warning_not_a_refusal(org):
    cycle = new_cycle(org)
    assert criteria.total_warning(criteria.criteria_total(cycle.criteria.all())) == ""
    saved = save(org, cycle, rows_of(cycle, five_forces={"max_points": "42.5"}))
    total = criteria.criteria_total(saved)
    assert total == Decimal("92.5")
    assert "满分合计为 92.5 分，不是通常的 100 分" in criteria.total_warning(total)


# --- the page ----------------------------------------------------------------------------


def form_data(rows, version=None):
    """The formset as the browser posts it: existing lines (with `id`) first, then new ones."""
    data = {
        "criteria-TOTAL_FORMS": len(rows),
        "criteria-INITIAL_FORMS": sum(1 for r in rows if r.get("id")),
        "criteria-MIN_NUM_FORMS": 0,
        "criteria-MAX_NUM_FORMS": 1000,
    }
    if version:
        data["expected_version"] = version
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"criteria-{i}-{key}"] = value
    return data


def page_rows(cycle, **changes):
    return [
        {
            "id": c.pk,
            "name": c.name,
            "max_points": str(c.max_points),
            "source": c.source,
            "ORDER": i,
            **changes.get(c.code.replace("-", "_"), {}),
        }
        for i, c in enumerate(cycle.criteria.all(), 1)
    ]


def test_criteria_page_matrix(client, org):
    cycle = new_cycle(org)
    url = same(reverse("flagship:criteria", args=[cycle.pk]))
    assert_permission_matrix(client, org, url, MANAGERS)
    data = form_data(
        page_rows(cycle, six_good={"max_points": "60"}, five_forces={"max_points": "40"})
    )
    assert_permission_matrix(client, org, url, redirects(MANAGERS), method="post", data=data)
    assert [c[2] for c in table(cycle)] == [Decimal(60), Decimal(40)]
    assert audits(cycle).count() == 1  # the first manager's save; the same table again is no change


def test_only_managers_are_offered_the_editor(client, org):
    cycle = new_cycle(org)
    detail = reverse("flagship:cycle", args=[cycle.pk])
    for role, offered in (
        ("province_reviewer", True),
        ("admin", True),
        ("committee_member", False),
        ("secretary", False),
    ):
        client.force_login(org.users[role])
        page = client.get(detail).content.decode()
        assert ('data-testid="criteria-link"' in page) is offered, role
        assert "品牌五力评价" in page  # everyone sees the table itself


def test_editing_the_table_through_the_page(client, org):
    cycle = new_cycle(org)
    url = reverse("flagship:criteria", args=[cycle.pk])
    client.force_login(org.users["province_reviewer"])
    page = client.get(url).content.decode()
    assert page.count('data-testid="criterion-row"') == 3  # two lines and a blank one
    assert 'value="六好党支部考评结果"' in page and 'data-testid="criteria-total">100<' in page
    version = criteria.criteria_version(list(cycle.criteria.all()))
    rows = page_rows(
        cycle, six_good={"max_points": "60", "ORDER": "2"}, five_forces={"DELETE": "on"}
    )
    rows.append({"name": "创新实践", "max_points": "40", "source": "manual", "ORDER": "1"})
    response = client.post(url, form_data(rows, version), follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert table(cycle) == [
        ("criterion", "创新实践", Decimal(40), "manual"),
        ("six-good", "六好党支部考评结果", Decimal(60), "six_good"),
    ]
    page = response.content.decode()
    assert "评分表已保存。" in page and 'data-testid="total-warning"' not in page


def test_the_page_reads_a_constant_number_of_queries(client, org, django_assert_num_queries):
    """However many lines the table has: no query per criterion."""
    cycle = new_cycle(org)
    url = reverse("flagship:criteria", args=[cycle.pk])
    client.force_login(org.users["province_reviewer"])
    client.get(url)  # warm-up: session, caches
    with CaptureQueriesContext(connection) as two_lines:
        client.get(url)
    rows = rows_of(cycle) + [{"name": f"评分项{n}", "max_points": 5} for n in range(8)]
    save(org, cycle, rows)
    with django_assert_num_queries(len(two_lines.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('data-testid="criterion-row"') == 11  # ten lines and a blank one


def test_bad_input_comes_back_with_the_users_rows(client, org):
    cycle = new_cycle(org)
    url = reverse("flagship:criteria", args=[cycle.pk])
    client.force_login(org.users["province_reviewer"])
    before = table(cycle)
    rows = page_rows(
        cycle, six_good={"max_points": "35"}, five_forces={"name": "六好党支部考评结果"}
    )
    rows.append({"name": "我新加的一项", "max_points": "15", "source": "manual"})
    response = client.post(url, form_data(rows))
    page = response.content.decode()
    assert response.status_code == 200 and table(cycle) == before
    assert 'data-testid="form-errors"' in page and "名称不能相同" in page
    assert 'value="我新加的一项"' in page and 'value="35"' in page  # nothing typed is lost
    # a field left empty is marked on its row, the rest kept too
    rows[-1]["max_points"] = ""
    page = client.post(url, form_data(rows)).content.decode()
    assert "评分表未保存，请按提示修改后重新提交。" in page and "is-invalid" in page
    assert 'value="我新加的一项"' in page and table(cycle) == before


def test_deleting_every_line_is_refused_on_the_page(client, org):
    cycle = new_cycle(org)
    url = reverse("flagship:criteria", args=[cycle.pk])
    client.force_login(org.users["province_reviewer"])
    rows = page_rows(cycle, six_good={"DELETE": "on"}, five_forces={"DELETE": "on"})
    page = client.post(url, form_data(rows)).content.decode()
    assert "评分表至少需要一个评分项。" in page and len(table(cycle)) == 2


def test_a_page_left_open_while_someone_else_saved_is_refused(client, org):
    cycle = new_cycle(org)
    url = reverse("flagship:criteria", args=[cycle.pk])
    seen = criteria.criteria_version(list(cycle.criteria.all()))
    save(org, cycle, rows_of(cycle, six_good={"max_points": 55}), role="admin")
    client.force_login(org.users["province_reviewer"])
    rows = page_rows(cycle, six_good={"max_points": "30"})
    page = client.post(url, form_data(rows, seen)).content.decode()
    assert "评分表已被他人修改，请刷新页面后重试。" in page and 'value="30"' in page
    assert table(cycle)[0][2] == Decimal(55)


def test_an_empty_table_is_explained_and_can_be_filled(client, org):
    cycle = new_cycle(org)
    cycle.criteria.all().delete()
    client.force_login(org.users["province_reviewer"])
    detail = client.get(reverse("flagship:cycle", args=[cycle.pk])).content.decode()
    assert "尚未设置评分项。" in detail
    url = reverse("flagship:criteria", args=[cycle.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="criteria-empty"' in page
    assert page.count('data-testid="criterion-row"') == 1
    client.post(url, form_data([{"name": "综合评价", "max_points": "100", "source": "manual"}]))
    assert table(cycle) == [("criterion", "综合评价", Decimal(100), "manual")]


def test_the_page_warns_when_the_total_is_not_100(client, org):
    cycle = new_cycle(org)
    url = reverse("flagship:criteria", args=[cycle.pk])
    client.force_login(org.users["province_reviewer"])
    response = client.post(
        url, form_data(page_rows(cycle, five_forces={"max_points": "30"})), follow=True
    )
    page = response.content.decode()
    assert "评分表已保存。" in page  # saved all the same
    assert 'data-testid="total-warning"' in page and "满分合计为 80 分" in page


def test_a_scored_table_is_shown_read_only_with_the_reason(client, org, in_review):
    cycle, a1, _b1 = in_review
    score(org.users["committee_member"], a1, 45, 45)
    url = reverse("flagship:criteria", args=[cycle.pk])
    client.force_login(org.users["province_reviewer"])
    page = client.get(url).content.decode()
    assert 'data-testid="criteria-frozen"' in page and "评委已开始评分" in page
    assert 'data-testid="criteria-form"' not in page and "品牌五力评价" in page
    before = table(cycle)
    response = client.post(
        url, form_data(page_rows(cycle, six_good={"max_points": "10"})), follow=True
    )
    assert response.redirect_chain == [(url, 302)]
    assert "评委已开始评分，评分表不能再修改。" in response.content.decode()
    assert table(cycle) == before and CommitteeScore.objects.count() == 1


@pytest.fixture
def english(client):
    """The visitor chose English (the user menu's switch); the request leaves English active
    in this thread, so it is reset for the tests that follow."""
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    yield client
    translation.deactivate()


def test_the_page_reads_in_english(english, org):
    cycle = new_cycle(org)
    english.force_login(org.users["province_reviewer"])
    url = reverse("flagship:criteria", args=[cycle.pk])
    page = english.get(url).content.decode()
    assert "Scoring criteria" in page and "Save scoring criteria" in page
    assert "保存评分表" not in page and "评委开始评分后" not in page
    rows = page_rows(cycle, five_forces={"name": "六好党支部考评结果"})
    page = english.post(url, form_data(rows)).content.decode()
    assert "criterion names must be unique" in page
