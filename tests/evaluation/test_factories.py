"""The evaluation factories build a valid period on the star table and an assessment in it."""

from evaluation.models import Status
from tests.factories import AssessmentFactory, AssessmentPeriodFactory


def test_a_factory_period_and_assessment_are_valid(org):
    period = AssessmentPeriodFactory(scope=org.province)
    period.full_clean()
    assert period.table_version.table.code == "star-5521"
    assert period.opens_on <= period.closes_on <= period.ends_on
    assessment = AssessmentFactory(period=period, unit=org.a1)
    assessment.full_clean()
    assert assessment.status == Status.DRAFT
    assert (assessment.category, assessment.region) == (org.a1.category, org.a1.region)
