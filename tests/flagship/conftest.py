"""Flagship fixtures: built brands, published evaluation results, a cycle walked to any phase.

Evaluation results are written straight into evaluation's tables (a published assessment of
the shipped six-good / five-force tables), so these tests depend only on the columns that
`flagship.selectors.results` reads."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from brands.models import BrandApplication
from brands.models import Status as BrandStatus
from flagship.services import candidacy as candidacies
from flagship.services import cycle as cycles
from flagship.services import decision, review
from tests.clock import local
from tests.factories import UserFactory, grant

YEAR = 2027
#: The flagship tests run in the December before their cycle's first year (the province opens
#: a cycle "before March of year 1"), whatever day the suite runs: a cycle's windows are dates,
#: so a test on a moving clock would find the YEAR cycle's application closed from April 2027.
#: Time keeps ticking from there; tests that need another instant pass `now=` or travel.
BEFORE_THE_CYCLE = local(YEAR - 1, 12, 4, 10)


@pytest.fixture(autouse=True)
def _before_the_cycle():
    with time_machine.travel(BEFORE_THE_CYCLE, tick=True):
        yield


def pdf_upload(name="总结.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


def png_upload(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def build_brand(unit, secretary, *, status=BrandStatus.BUILT, name=None):
    return BrandApplication.objects.create(
        unit=unit,
        applicant=secretary,
        status=status,
        name=name or f"{unit.name}品牌",
        slogan="党建引领，网络护航",
        brand_type="development",
        core_idea="把支部建在网上，把党员放在一线",
        goal="三年内实现网络故障处理时长下降30%",
        measures=["设立党员先锋岗", "开展技术攻关"],
        results="网络质量排名全省第一",
    )


def publish_result(unit, table_code, rate, *, vetoed=False, ends=None, name=None):
    """A published assessment of `unit` on a shipped table, at `rate` % of 100 points."""
    from evaluation.models import Assessment, AssessmentPeriod, ScoringTable, TableVersion

    # The shipped tables come from evaluation's data migration; a transactional test has
    # flushed them, so they are recreated (only the code matters here).
    table, _ = ScoringTable.objects.get_or_create(code=table_code, defaults={"name": table_code})
    version = table.versions.order_by("number").first() or TableVersion.objects.create(
        table=table, number=1, status="published"
    )
    ends = ends or datetime.date(2026, 12, 31)
    period, _ = AssessmentPeriod.objects.get_or_create(
        table_version=version,
        scope=type(unit).objects.get(path=unit.path[: unit.steplen]),
        kind="annual" if ends.month == 12 else "monthly",
        starts_on=ends.replace(month=1, day=1) if ends.month == 12 else ends.replace(day=1),
        defaults={
            "name": name or f"{ends.year}年度{version.table.name}",
            "ends_on": ends,
            "opens_on": ends,
            "closes_on": ends,
        },
    )
    return Assessment.objects.create(
        period=period,
        unit=unit,
        status="published",
        total=Decimal(rate),
        max_total=Decimal(100),
        rate=Decimal(rate),
        is_vetoed=vetoed,
        veto_reason="发生重大安全责任事故" if vetoed else "",
    )


def secretary_of(org, unit):
    return {org.a1.pk: org.users["secretary"], org.b1.pk: org.sec_b1}[unit.pk]


def approvers(org, unit):
    chains = {
        org.a1.pk: ["general_branch_reviewer", "city_reviewer", "province_reviewer"],
        org.b1.pk: [None, "province_reviewer"],
    }
    return [org.rev_b if r is None else org.users[r] for r in chains[unit.pk]]


def new_cycle(org, **data):
    return cycles.create_cycle(actor=org.users["province_reviewer"], year_start=YEAR, data=data)


def advance(org, cycle, name):
    return cycles.advance(actor=org.users["province_reviewer"], pk=cycle.pk, name=name)


def accept(org, cycle, unit):
    """File, submit and approve a candidacy all the way up its chain."""
    secretary = secretary_of(org, unit)
    c = candidacies.save_candidacy_draft(actor=secretary, cycle=cycle, unit=unit)
    c = candidacies.submit_candidacy(actor=secretary, pk=c.pk)
    for reviewer in approvers(org, unit):
        c = candidacies.approve_candidacy(actor=reviewer, pk=c.pk)
    return c


@pytest.fixture
def eligible(org):
    """A1 and B1 have built brands and clean results."""
    for unit in (org.a1, org.b1):
        build_brand(unit, secretary_of(org, unit))
        publish_result(unit, "six-good", 92)
        publish_result(unit, "brand-five-forces", 85)
    return org


@pytest.fixture
def open_cycle(eligible):
    cycle = new_cycle(eligible)
    return advance(eligible, cycle, "open_application")


@pytest.fixture
def second_member(org):
    user = grant(
        UserFactory(username="jury2", full_name="孙评委"), org.province, "flagship_committee"
    )
    return user


@pytest.fixture
def in_review(org, eligible, second_member):
    """A cycle in committee review with A1 and B1 accepted, two committee members."""
    cycle = new_cycle(org)
    cycle = advance(org, cycle, "open_application")
    a1, b1 = accept(org, cycle, org.a1), accept(org, cycle, org.b1)
    for name in ("publish_notice", "start_management", "start_review"):
        cycle = advance(org, cycle, name)
    return cycle, a1, b1


def score(user, candidacy, six, five, comment=""):
    criteria = {c.code: c.pk for c in candidacy.cycle.criteria.all()}
    return review.submit_score(
        actor=user,
        candidacy_pk=candidacy.pk,
        points={criteria["six-good"]: six, criteria["five-forces"]: five},
        comment=comment,
    )


@pytest.fixture
def voting(org, in_review, second_member):
    """A1 and B1 scored by both members and named units by the chair: the vote is open."""
    cycle, a1, b1 = in_review
    jury = org.users["committee_member"]
    for member in (jury, second_member):
        score(member, a1, 45, 45)
        score(member, b1, 40, 40)
    cycle = decision.decide_units(actor=jury, cycle_pk=cycle.pk, candidacy_ids=[a1.pk, b1.pk])
    return cycle, a1, b1
