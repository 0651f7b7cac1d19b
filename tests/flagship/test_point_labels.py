"""Points are written as people write them ("50", "87.5", "100000"), never in exponent form
("5E+1"), wherever a Decimal becomes text: the scoring form's labels and hints, messages."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from common.formats import points
from flagship.forms import ScoreForm
from flagship.models import ReviewCriterion
from flagship.services import FlagshipError, decision, review

pytestmark = pytest.mark.smoke

#: How SQLite and PostgreSQL hand back a DecimalField(decimal_places=2).
STORED = [Decimal("50.00"), Decimal("87.50"), Decimal("100000.00")]


@pytest.fixture(autouse=True)
def _frozen():
    moment = datetime.datetime(2027, 3, 1, 2, 0, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        yield


@pytest.mark.parametrize(
    "value,text",
    [
        (Decimal("50.00"), "50"),
        (Decimal("5E+1"), "50"),
        (Decimal("87.50"), "87.5"),
        (Decimal("100000.00"), "100000"),
        (Decimal("1E+5"), "100000"),
    ],
)
def test_points_never_writes_an_exponent(value, text):
    assert points(value) == text


def test_the_scoring_form_labels_each_criterion_with_its_plain_points():
    criteria = [
        ReviewCriterion(pk=n, name=f"评分项{n}", max_points=p) for n, p in enumerate(STORED, 1)
    ]
    suggestions = {1: Decimal("46.00"), 2: Decimal("80.50"), 3: None}
    form = ScoreForm(criteria=criteria, suggestions=suggestions)
    assert [form.fields[f"c{n}"].label for n in (1, 2, 3)] == [
        "评分项1（50 分）",
        "评分项2（87.5 分）",
        "评分项3（100000 分）",
    ]
    assert str(form.fields["c1"].help_text) == "参考：按考评得分率折算为 46 分"
    assert str(form.fields["c2"].help_text) == "参考：按考评得分率折算为 80.5 分"


def test_a_score_above_the_maximum_is_refused_in_plain_points(org, in_review):
    _cycle, a1, _b1 = in_review
    criteria = {c.code: c.pk for c in a1.cycle.criteria.all()}
    with pytest.raises(ValidationError) as refused:
        review.submit_score(
            actor=org.users["committee_member"],
            candidacy_pk=a1.pk,
            points={criteria["six-good"]: "51", criteria["five-forces"]: "40"},
        )
    assert "“六好党支部考评结果”的得分须在 0 至 50 之间。" in refused.value.messages


def test_the_committee_page_shows_50_points_not_5e1(client, org, in_review):
    _cycle, a1, _b1 = in_review
    client.force_login(org.users["committee_member"])
    page = client.get(reverse("flagship:review", args=[a1.pk])).content.decode()
    assert "（50 分）" in page and "E+" not in page


def test_the_base_share_cap_is_written_as_a_plain_percentage(org, voting):
    cycle, _a1, _b1 = voting  # 2 units, 30 %: no base allowed
    with pytest.raises(FlagshipError) as refused:
        decision.publish_awards(
            actor=org.users["committee_member"], cycle_pk=cycle.pk, base_count=1
        )
    assert str(refused.value).startswith("示范基地不超过示范单位数的 30%：")
