"""Items the branch's ledger (台账) scores: six-good v2 and 5521 v3 bind ledger rules to their
组织生活 / 制度执行 / 基础工作 / 星级管理 items; the secretary types fewer scores, the form shows
the ledger's figures read-only, the reviewer still adjusts with a reason."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Q
from django.urls import reverse

from evaluation import online
from evaluation.models import Indicator, PeriodKind, TableVersion
from evaluation.selectors.tables import indicators_for
from evaluation.services import assessments as services
from tests.clock import local
from tests.ledger.conftest import Roster
from tests.ledger.world import World, held

from .conftest import full_marks, make_period

pytestmark = pytest.mark.django_db

EARNING = Q(kind__in=("basic", "special"))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(local(2026, 4, 2, 10), tick=False):
        yield


@pytest.fixture
def roster(org):
    return Roster(org)


def latest(code) -> TableVersion:
    return TableVersion.objects.filter(table__code=code, status="published").order_by("-number")[0]


def quarter_period(org, version):
    return make_period(
        org,
        version=version,
        kind=PeriodKind.QUARTERLY,
        starts=datetime.date(2026, 1, 1),
        ends=datetime.date(2026, 3, 31),
        name="2026年第一季度星级考评",
    )


@pytest.fixture
def a1(org):
    return quarter_period(org, latest("star-5521")).assessments.get(unit=org.a1)


def online_scores(assessment) -> dict:
    indicators = indicators_for(assessment.period.table_version_id, assessment.category)
    by_pk = {i.pk: i.code for i in indicators}
    scored = online.scores(indicators, assessment.unit, assessment.period)
    return {by_pk[pk]: result for pk, result in scored.items()}


def test_the_shipped_tables_score_more_items_online_and_ask_fewer_typed_scores():
    def online_items(version):
        return Indicator.objects.filter(dimension__version=version).exclude(online_rule="").count()

    # the party-group table's prefill (groups app, issue #17) is counted in tests/groups
    codes = set(TableVersion.objects.values_list("table__code", flat=True))
    codes.discard("party-group-quarterly")
    # five-force v2 (the brand rules, #18 item 3): counted in tests/brands/test_acceptance.py
    codes.discard("brand-five-forces")
    before = sum(online_items(latest(c)) for c in codes if c not in ("six-good", "star-5521"))
    before += online_items(TableVersion.objects.get(table__code="star-5521", number=2))
    # six-good v3 (作用发挥好 from the groups app, issue #17) is counted in
    # test_online_groups_branch.py; this counts the ledger's versions, six-good v2 and 5521 v3
    six_good_v2 = TableVersion.objects.get(table__code="six-good", number=2)
    after = sum(online_items(latest(c)) for c in codes if c != "six-good")
    after += online_items(six_good_v2)
    assert (before, after) == (2, 14)
    assert latest("star-5521").number == 3

    def typed(version):
        return (
            Indicator.objects.filter(dimension__version=version, online_rule="")
            .filter(EARNING)
            .filter(Q(category="") | Q(category="production"))
            .count()
        )

    old = TableVersion.objects.get(table__code="star-5521", number=2)
    assert (typed(old), typed(latest("star-5521"))) == (11, 5)


def test_older_versions_are_untouched():
    for code, number in (("six-good", 1), ("star-5521", 1)):
        version = TableVersion.objects.get(table__code=code, number=number)
        assert not Indicator.objects.filter(dimension__version=version).exclude(online_rule="")
    v2 = TableVersion.objects.get(table__code="star-5521", number=2)
    assert set(
        Indicator.objects.filter(dimension__version=v2)
        .exclude(online_rule="")
        .values_list("online_rule", flat=True)
    ) == {"brand_status", "brand_media"}


def test_partial_scores_name_the_records(org, roster, a1):
    World(org, roster)
    scores = online_scores(a1)
    assert scores["gl-3"].score == Decimal("3.57")  # 5 of 14 meetings due in the quarter
    assert scores["gl-1"].score == Decimal("2.33")  # 党小组会: 2 of 6 (two groups × 3 months)
    assert scores["gl-2"].score == Decimal("4.00")  # 支委会 2 of 3, 支部党员大会 0 of 1
    assert scores["gl-2"].basis == (
        "系统评分（台账）：本期应开支部党员大会 1 次，已开 0 次；"
        "应开支委会 3 次，已开 2 次（1月8日、1月20日、3月3日）。"
    )
    assert scores["dw-2"].score == Decimal("8.33")  # 6 of 8 present = 75 %, 90 % earns all
    assert "应到 8 人次，实到 6 人次，出席率 75.0%" in scores["dw-2"].basis
    assert scores["fw-1"].score == Decimal("4.29")  # 6 of 7 records complete (one draft)
    assert "草稿未完成 1 条" in scores["fw-1"].basis
    # 组织生活会 / 民主评议 fall due in December: nothing missed in the first quarter.
    assert scores["dw-1"].score == 10 and "没有到期" in scores["dw-1"].basis


def test_nothing_recorded_scores_nothing(org, roster, a1):
    scores = online_scores(a1)
    assert scores["gl-3"].score == scores["gl-2"].score == scores["gl-1"].score == 0
    assert scores["dw-2"].score == scores["fw-1"].score == 0
    assert "没有台账记录" in scores["fw-1"].basis


def test_everything_held_scores_full_points(org, roster):
    period = make_period(
        org,
        version=latest("star-5521"),
        starts=datetime.date(2026, 3, 1),
        ends=datetime.date(2026, 3, 31),
        name="2026年3月考评",
    )
    a1 = period.assessments.get(unit=org.a1)
    user = org.users["secretary"]
    everyone = [(m, "present") for m in (roster.li, roster.wang, roster.zhao)]
    for key in ("committee-meeting", "theme-day", "branch-assembly", "party-lecture"):
        held(org.a1, key, local(2026, 3, 5, 9), user=user, attendance=everyone)
    for group in (roster.g1, roster.g2):
        held(org.a1, "group-meeting", local(2026, 3, 6, 9), user=user, group=group)
    scores = online_scores(a1)
    for code in ("gl-1", "gl-2", "gl-3", "dw-2", "fw-1"):
        maximum = Indicator.objects.get(pk=a1_indicator(a1, code)).max_points
        assert scores[code].score == maximum, code


def a1_indicator(assessment, code) -> int:
    return Indicator.objects.get(dimension__version=assessment.period.table_version, code=code).pk


def test_six_good_v2_reads_the_ledger(org, roster):
    World(org, roster)
    period = quarter_period(org, TableVersion.objects.get(table__code="six-good", number=2))
    scores = online_scores(period.assessments.get(unit=org.a1))
    assert set(scores) == {"dwgl-4", "zzsh-1", "zzsh-2", "zzsh-3", "zdzx-2", "jcgz-1"}
    # 三会一课: 支委会 2/3, 党小组会 2/6, 支部党员大会 0/1, 党课 1/1 → 5 of 11 of 8 points
    assert scores["zzsh-1"].score == Decimal("3.64")
    assert scores["zzsh-2"].score == 0 and "应开主题党日 3 次，已开 0 次" in scores["zzsh-2"].basis


def test_the_ledger_is_read_once_for_all_rules(org, roster, a1, django_assert_num_queries):
    World(org, roster)
    indicators = indicators_for(a1.period.table_version_id, a1.category)
    unit, period = a1.unit, a1.period
    # no brand; the ledger's five: templates, sizes, held, the dates counted, attendance
    with django_assert_num_queries(6):
        scored = online.scores(indicators, unit, period)
    assert len(scored) == 8


def test_the_form_shows_ledger_items_read_only_and_the_reviewer_adjusts(client, org, roster, a1):
    World(org, roster)
    secretary = org.users["secretary"]
    client.force_login(secretary)
    url = reverse("evaluation:fill", args=[a1.pk])
    body = client.get(url).content.decode()
    gl3 = a1_indicator(a1, "gl-3")
    assert 'data-testid="online-gl-3"' in body
    field = re.search(rf'<input[^>]*name="s{gl3}"[^>]*>', body).group(0)
    assert "disabled" in field and 'value="3.57"' in field
    evidence = re.search(rf'<textarea[^>]*name="e{gl3}"[^>]*>([^<]*)<', body)
    assert "disabled" in evidence.group(0) and "应开支委会 3 次，已开 2 次" in evidence.group(1)
    typed = re.findall(r'<input[^>]*data-kind="(?:basic|special)"[^>]*>', body)
    assert len([f for f in typed if "disabled" not in f]) == 5  # 11 on the 5521 v2

    data = {f"s{pk}": str(e["score"]) for pk, e in full_marks(a1).items()}
    data.update({f"s{gl3}": "10", "save": "1"})  # a forged full score
    client.post(url, data)
    assert a1.scores.get(indicator_id=gl3).self_score == Decimal("3.57")

    services.submit_assessment(actor=secretary, pk=a1.pk)
    reviewer = org.users["city_reviewer"]
    with pytest.raises(Exception, match="理由"):
        services.adjust_scores(actor=reviewer, pk=a1.pk, changes={gl3: (Decimal(6), "")})
    services.adjust_scores(
        actor=reviewer, pk=a1.pk, changes={gl3: (Decimal(6), "线下验收：补录的会议纪要已核实")}
    )
    assert a1.scores.get(indicator_id=gl3).reviewed_score == 6


def test_a_province_is_scored_at_once_as_each_branch_alone(
    org, roster, a1, django_assert_num_queries
):
    """`scores_of_units` (a whole period's branches in one go) gives each branch what its own
    form shows, in the same queries for one branch or all; a unit that is not a branch keeps
    no ledger and scores as an empty one."""
    World(org, roster)
    indicators = indicators_for(a1.period.table_version_id, a1.category)
    units = [org.a1, org.a2, org.b1, org.city_a]
    alone = {u.pk: online.scores(indicators, u, a1.period) for u in units}
    with django_assert_num_queries(6):
        together = online.scores_of_units(indicators, units, a1.period)
    assert together == alone
    assert together[org.a1.pk] != together[org.a2.pk]  # A1 keeps a ledger, A2 hardly any
    plain = online.scores_of_units(indicators, units, a1.period, with_dates=False)
    assert {k: v.score for k, v in plain[org.a1.pk].items()} == {
        k: v.score for k, v in alone[org.a1.pk].items()
    }
    assert not any(re.search(r"\d+月\d+日", v.basis) for v in plain[org.a1.pk].values())
