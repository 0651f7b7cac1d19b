"""Demo data for evaluation (run by `seed_demo` after the tree, the users and the brands):

- last month's six-good period (六好), closed, with every branch's result published: scores,
  stars, tiers, ranks and radar charts to look at;
- this month's 5521 star period (v2, whose brand index is scored online), open: what every
  demo secretary finds on their to-do list, with the brand items already scored from the
  seeded brands.

Scores are drawn from the seed's `random.Random`, computed by `evaluation.scoring` exactly as
the services do, and bulk-written. A province above DEMO_MAX_BRANCHES gets none of this: the
benchmark (bench/evaluation.py) builds its own 100,000-branch period in SQL."""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from branches.demo import SHOWCASE_SECRETARY
from branches.models import OrgUnit, UnitType

from . import scoring
from .models import Assessment, AssessmentScore, DimensionScore, IndicatorKind, Status, TableVersion
from .selectors.tables import as_items, indicators_for
from .services import periods as period_services
from .services.ranking import refresh_ranks

DEMO_MAX_BRANCHES = 5_000
#: A branch's score on an earning item: this share of its maximum, give or take.
TYPICAL, SPREAD = 0.82, 0.12
DEDUCTION_CHANCE, VETO_CHANCE = 0.08, 0.004
PENALTIES = (IndicatorKind.DEDUCTION, IndicatorKind.VETO)


def seed_evaluation(rng: random.Random) -> dict[str, int]:
    branches = OrgUnit.objects.filter(unit_type=UnitType.BRANCH, is_active=True).count()
    if branches > DEMO_MAX_BRANCHES:
        return {}
    actor = get_user_model().objects.get(username="province")
    province = OrgUnit.objects.get(depth=1)
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    published = _period(
        actor,
        province,
        TableVersion.objects.get(table__code="six-good", number=1),
        name=f"{last_month:%Y-%m} 六好党支部月度评价",
        starts=last_month,
        ends=this_month - timedelta(days=1),
        window=(this_month, today - timedelta(days=1)),
    )
    rows = _publish_results(published, rng)
    _period(
        actor,
        province,
        TableVersion.objects.get(table__code="star-5521", number=2),
        name=f"{this_month:%Y-%m} 星级党支部考评",
        starts=this_month,
        ends=(this_month + timedelta(days=32)).replace(day=1) - timedelta(days=1),
        window=(today - timedelta(days=3), today + timedelta(days=14)),
    )
    return {
        str(Assessment._meta.verbose_name): 2 * branches,
        str(AssessmentScore._meta.verbose_name): rows,
    }


def _period(actor, scope, version, *, name, starts, ends, window):
    return period_services.create_period(
        actor=actor,
        data={
            "name": name,
            "kind": "monthly",
            "table_version": version,
            "scope": scope,
            "starts_on": starts,
            "ends_on": ends,
            "opens_on": window[0],
            "closes_on": max(window[1], window[0]),
            "is_aggregate": False,
        },
    )


def _draw(rng, item) -> Decimal:
    if item.kind == IndicatorKind.VETO:
        return Decimal(1 if rng.random() < VETO_CHANCE else 0)
    if item.kind == IndicatorKind.DEDUCTION:
        return Decimal(1 if rng.random() < DEDUCTION_CHANCE else 0)
    share = min(1.0, max(0.3, rng.gauss(TYPICAL, SPREAD)))
    return (item.max_points * Decimal(str(round(share, 2)))).quantize(Decimal("0.01"))


def _publish_results(period, rng) -> int:
    """Every assessment of the period filled, accepted and published, ranks computed."""
    version = period.table_version
    rules = {"thresholds": version.thresholds, "allow_negative": version.allow_negative}
    items_by_category = {}
    now = timezone.now()
    assessments = list(period.assessments.order_by("pk"))
    clean = set(
        OrgUnit.objects.filter(secretary__username=SHOWCASE_SECRETARY).values_list("pk", flat=True)
    )
    scores, dimensions = [], []
    for a in assessments:
        if a.category not in items_by_category:
            items_by_category[a.category] = as_items(indicators_for(version.pk, a.category))
        items = items_by_category[a.category]
        drawn = {item.id: _draw(rng, item) for item in items}
        if a.unit_id in clean:  # the showcase branch: no veto, no deduction (flagship/demo.py)
            drawn.update({i.id: Decimal(0) for i in items if i.kind in PENALTIES})
        result = scoring.compute(items, drawn, **rules)
        scores += [
            AssessmentScore(
                assessment=a,
                indicator_id=item_id,
                self_score=value,
                reviewed_score=value,
                evidence="台账齐全，记录规范。" if value else "",
            )
            for item_id, value in drawn.items()
        ]
        dimensions += [
            DimensionScore(
                assessment=a, dimension_id=d, score=v, max_points=result.dimension_max[d]
            )
            for d, v in result.dimensions.items()
        ]
        a.status, a.revision = Status.PUBLISHED, 3
        a.self_total = a.gross_total = result.gross_total
        a.total, a.max_total, a.rate = result.total, result.max_total, result.rate
        a.is_vetoed, a.star, a.tier = result.vetoed, result.star, result.tier
        a.veto_reason = "演示数据：否决项目" if result.vetoed else ""
        a.submitted_at = a.published_at = now
    AssessmentScore.objects.bulk_create(scores, batch_size=2000)
    DimensionScore.objects.bulk_create(dimensions, batch_size=2000)
    Assessment.objects.bulk_update(
        assessments,
        [
            "status",
            "revision",
            "self_total",
            "gross_total",
            "total",
            "max_total",
            "rate",
            "is_vetoed",
            "star",
            "tier",
            "veto_reason",
            "submitted_at",
            "published_at",
        ],
        batch_size=1000,
    )
    refresh_ranks(period.pk)
    return len(scores)
