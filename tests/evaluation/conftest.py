from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from evaluation.models import Assessment, IndicatorKind, PeriodKind, TableVersion
from evaluation.selectors.tables import indicators_for
from evaluation.services import assessments as services
from evaluation.services import periods as period_services


def star_version():
    return TableVersion.objects.get(table__code="star-5521", number=1)


def make_period(
    org,
    *,
    scope=None,
    version=None,
    kind=PeriodKind.MONTHLY,
    days=(-5, 5),
    starts=None,
    name=None,
    **extra,
):
    today = timezone.localdate()
    starts = starts or today.replace(day=1)
    data = {
        "name": name or f"{starts:%Y年%m月}考评",
        "kind": kind,
        "table_version": version or star_version(),
        "scope": scope or org.province,
        "starts_on": starts,
        "ends_on": extra.pop("ends", starts + timedelta(days=27)),
        "opens_on": today + timedelta(days=days[0]),
        "closes_on": today + timedelta(days=days[1]),
        "is_aggregate": extra.pop("is_aggregate", False),
    }
    return period_services.create_period(actor=org.users["province_reviewer"], data=data)


def full_marks(assessment, fraction=Decimal(1)):
    """Entries giving every earning item `fraction` of its points, no deductions/vetoes."""
    entries = {}
    for i in indicators_for(assessment.period.table_version_id, assessment.category):
        if i.kind in (IndicatorKind.BASIC, IndicatorKind.SPECIAL):
            entries[i.pk] = {
                "score": (i.max_points * fraction).quantize(Decimal("0.01")),
                "evidence": "台账齐全",
            }
    return entries


def fill_and_submit(assessment, secretary, fraction=Decimal(1)):
    services.save_draft(actor=secretary, pk=assessment.pk, entries=full_marks(assessment, fraction))
    return services.submit_assessment(actor=secretary, pk=assessment.pk)


@pytest.fixture
def period(org):
    return make_period(org)


@pytest.fixture
def a1(period, org):
    return Assessment.objects.get(period=period, unit=org.a1)


@pytest.fixture
def b1(period, org):
    return Assessment.objects.get(period=period, unit=org.b1)


def close(period):
    from evaluation.models import AssessmentPeriod

    AssessmentPeriod.objects.filter(pk=period.pk).update(
        closes_on=timezone.localdate() - timedelta(days=1)
    )
    period.refresh_from_db()


def publish_all(org, period, fractions=None):
    """Submit, accept and publish A1, A2 and B1 with the given score fractions."""
    fractions = fractions or {"A1": Decimal("0.9"), "A2": Decimal("0.8"), "B1": Decimal("0.7")}
    secretaries = {"A1": org.users["secretary"], "A2": org.users["secretary"], "B1": org.sec_b1}
    from tests.factories import grant

    grant(org.users["secretary"], org.a2, "secretary")
    for code, fraction in fractions.items():
        a = period.assessments.get(unit__code=code)
        fill_and_submit(a, secretaries[code], fraction)
        reviewer = org.rev_b if code == "B1" else org.users["city_reviewer"]
        services.accept(actor=reviewer, pk=a.pk)
    close(period)
    period_services.publish(actor=org.users["province_reviewer"], pk=period.pk, unit=period.scope)
    return period


@pytest.fixture
def published(org, period):
    return publish_all(org, period)
