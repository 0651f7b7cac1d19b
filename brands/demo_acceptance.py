"""Demo acceptance scores (验收评审 on the five-force table, brands/acceptance.py) for
`seed_demo`: every built brand (up to `SCORED_MAX`) carries the five-force score its
committee's reviewer gave at acceptance, dated at its 建成, so brand pages show a score card
and flagship's standing has acceptance scores to read. Scores are drawn per item around a
brand's own level, at or above the pass line; totals, rates and stars are
`evaluation.scoring.compute`'s, as the service would have stored them."""

import random
from decimal import Decimal

from branches.access import reviewers_at
from branches.selectors import committee_ids
from evaluation import scoring
from evaluation.selectors.published import FIVE_FORCES
from evaluation.selectors.tables import as_items, latest_published

from .acceptance import PASS_RATE, passes
from .models import AcceptanceItemScore, AcceptanceReview, BrandApplication, Status

#: At most this many built brands get a score (a big province's demo stays quick).
SCORED_MAX = 3000
HALF = Decimal("0.5")


def _item_score(rng, maximum: Decimal, level: float) -> Decimal:
    share = min(1.0, max(float(PASS_RATE) / 100, rng.gauss(level, 0.06)))
    return (Decimal(str(share)) * maximum / HALF).quantize(Decimal(1)) * HALF


def seed_acceptance_scores(rng: random.Random) -> dict[str, int]:
    version, indicators = latest_published(FIVE_FORCES)
    if version is None:
        return {}
    built = list(
        BrandApplication.objects.filter(status=Status.BUILT, built_at__isnull=False)
        .select_related("unit")
        .order_by("pk")[:SCORED_MAX]
    )
    committees = committee_ids([app.unit for app in built])
    reviewer_of = {}
    for committee in set(committees.values()):
        holders = reviewers_at(committee) if committee else []
        reviewer_of[committee] = holders[0].pk if holders else None
    items = as_items(indicators)
    reviews, scores = [], []
    for app in built:
        reviewer = reviewer_of.get(committees[app.unit_id])
        if reviewer is None:
            continue
        level = rng.uniform(0.66, 0.97)
        typed = {item.id: _item_score(rng, Decimal(item.max_points), level) for item in items}
        result = scoring.compute(items, typed, thresholds=version.thresholds)
        reviews.append(
            AcceptanceReview(
                application=app, table_version=version, total=result.total,
                max_total=result.max_total, rate=result.rate, star=result.star,
                is_vetoed=False, pass_rate=PASS_RATE, passed=passes(result),
                comment="品牌六要素齐全，创建成效经现场核实。", reviewed_by_id=reviewer,
                reviewed_at=app.built_at,
            )
        )  # fmt: skip
        scores.append(typed)
    AcceptanceReview.objects.bulk_create(reviews, batch_size=1000)
    AcceptanceItemScore.objects.bulk_create(
        (
            AcceptanceItemScore(review=review, indicator_id=pk, score=score)
            for review, typed in zip(reviews, scores, strict=True)
            for pk, score in typed.items()
        ),
        batch_size=5000,
    )
    if not reviews:
        return {}
    return {str(AcceptanceReview._meta.verbose_name): len(reviews)}
