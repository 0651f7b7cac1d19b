"""The demo's party-group assessment: the showcase secretary's branch has its groups' last
closed quarter scored and published, made only through the services, so the demo `member`
(leader of one of its groups) finds a result on their own page and the secretary a year table;
the current quarter is opened as drafts once its last month has begun."""

import random
from decimal import Decimal

from branches.access import secretaries_at
from branches.demo import SHOWCASE_SECRETARY
from branches.models import OrgUnit, Role, UnitType
from workflow.windows import local_today

from . import services
from .models import GroupAssessment
from .quarters import Quarter, open_quarters


def _showcase_branch():
    return (
        OrgUnit.objects.filter(
            unit_type=UnitType.BRANCH,
            role_assignments__role=Role.SECRETARY,
            role_assignments__user__username=SHOWCASE_SECRETARY,
        )
        .distinct()
        .first()
    )


def _typed(rng, assessment) -> dict:
    """A secretary's plausible scores: 70–100 % of each item the portal does not prefill."""
    values = {}
    for score in assessment.scores.select_related("indicator"):
        indicator = score.indicator
        if indicator.kind == "veto" or score.system_points is not None:
            continue
        share = Decimal(rng.randint(70, 100)) / 100
        values[f"score_{indicator.pk}"] = (indicator.max_points * share).quantize(Decimal("0.5"))
    return values


def seed_groups(rng: random.Random) -> dict[str, int]:
    branch = _showcase_branch()
    if branch is None:
        return {}
    secretary = secretaries_at(branch)[0]
    today = local_today()
    closed = Quarter.of(today).previous
    services.start_quarter(actor=secretary, branch=branch, quarter=closed)
    published = 0
    for assessment in GroupAssessment.objects.filter(
        branch=branch, year=closed.year, quarter=closed.number
    ):
        services.submit_scores(
            actor=secretary, assessment_id=assessment.pk, values=_typed(rng, assessment)
        )
        published += 1
    current = Quarter.of(today)
    if current in open_quarters(today):
        services.start_quarter(actor=secretary, branch=branch, quarter=current)
    return {"党小组季度考评（已公布）": published}
