"""验收评审 scored on the five-force table (#18 item 3): the committee's reviewer fills the items
of the shipped table; total, rate and star are evaluation.scoring's; the brand passes at
`PASS_RATE` (60 %) or above; the scores stay on the brand, shown on its page, audited."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from brands.acceptance import PASS_RATE, passes, score_acceptance, sheet_for
from brands.audit import Action
from brands.models import AcceptanceReview, BrandApplication, Status
from brands.selectors.acceptance import acceptance_results_for, current_review
from evaluation import scoring
from evaluation.selectors.published import FIVE_FORCES
from evaluation.selectors.tables import latest_published
from tests.factories.brands import BrandApplicationFactory
from tests.permissions import assert_permission_matrix
from workflow.models import AuditEntry
from workflow.transitions import AlreadyHandled, TransitionError

pytestmark = pytest.mark.django_db


def five_force_scores(each) -> dict:
    """Every item of the shipped five-force table scored `each` (its ten items weigh 10)."""
    _version, indicators = latest_published(FIVE_FORCES)
    return {i.pk: Decimal(each) for i in indicators}


def in_acceptance(org, unit=None, secretary=None):
    unit = unit or org.a1
    return BrandApplicationFactory(
        unit=unit,
        applicant=secretary or org.users["secretary"],
        status=Status.ACCEPTANCE,
        approved_at=timezone.now(),
    )


def test_the_shipped_table_is_scored_and_a_high_rate_builds_the_brand(org):
    app = in_acceptance(org)
    review = score_acceptance(
        actor=org.users["city_reviewer"], pk=app.pk, scores=five_force_scores(9), comment="成效显著"
    )
    app.refresh_from_db()
    assert app.status == Status.BUILT and app.built_at
    version, _ = latest_published(FIVE_FORCES)
    assert (review.total, review.max_total, review.rate) == (Decimal(90), Decimal(100), Decimal(90))
    assert review.star == scoring.star_for(Decimal(90), version.thresholds) == 5
    assert review.passed and review.current and review.pass_rate == PASS_RATE
    assert review.table_version == version and review.items.count() == 10
    entry = AuditEntry.objects.filter(action=Action.PASS_ACCEPTANCE).get()
    assert "90 / 100" in entry.comment and "成效显著" in entry.comment
    assert entry.from_state == Status.ACCEPTANCE and entry.to_state == Status.BUILT


@pytest.mark.parametrize(("each", "passed"), [("6", True), ("5.99", False)])
def test_the_pass_line_is_sixty_percent(org, each, passed):
    app = in_acceptance(org)
    review = score_acceptance(
        actor=org.users["city_reviewer"], pk=app.pk, scores=five_force_scores(each), comment="意见"
    )
    assert review.passed is passed
    app.refresh_from_db()
    assert app.status == (Status.BUILT if passed else Status.IMPLEMENTING)


def test_a_veto_fails_whatever_the_rate():
    result = scoring.Result(
        total=Decimal(0), gross_total=Decimal(95), max_total=Decimal(100), rate=Decimal(0),
        vetoed=True, star=None, tier=3,
    )  # fmt: skip
    assert not passes(result)


def test_a_failing_score_needs_the_reviewers_comment(org):
    app = in_acceptance(org)
    with pytest.raises(ValidationError) as refused:
        score_acceptance(actor=org.users["city_reviewer"], pk=app.pk, scores=five_force_scores(4))
    assert "comment" in refused.value.message_dict
    app.refresh_from_db()
    assert app.status == Status.ACCEPTANCE and not AcceptanceReview.objects.exists()
    review = score_acceptance(
        actor=org.users["city_reviewer"],
        pk=app.pk,
        scores=five_force_scores(4),
        comment="传播力不足",
    )
    assert not review.passed and review.star == 1
    assert AuditEntry.objects.filter(action=Action.FAIL_ACCEPTANCE).exists()


def test_scores_are_refused_at_their_field(org):
    app = in_acceptance(org)
    scores = five_force_scores(8)
    first, second, third = list(scores)[:3]
    scores[first], scores[second], scores[third] = Decimal(11), "", "abc"
    with pytest.raises(ValidationError) as refused:
        score_acceptance(actor=org.users["city_reviewer"], pk=app.pk, scores=scores)
    errors = refused.value.message_dict
    assert errors[f"score_{first}"] == ["得分不能超过该项分值 10 分。"]
    assert errors[f"score_{second}"] == ["请为该项评分。"]
    assert errors[f"score_{third}"] == ["请填写数字。"]


def test_only_the_acceptance_level_scores_and_only_in_acceptance(org):
    app = in_acceptance(org)
    for actor in (org.users["general_branch_reviewer"], org.rev_b, org.users["secretary"]):
        with pytest.raises(TransitionError):
            score_acceptance(actor=actor, pk=app.pk, scores=five_force_scores(9))
    score_acceptance(actor=org.users["province_reviewer"], pk=app.pk, scores=five_force_scores(9))
    with pytest.raises(AlreadyHandled):  # built now: no second judgement
        score_acceptance(actor=org.users["city_reviewer"], pk=app.pk, scores=five_force_scores(9))


def test_a_stale_page_is_refused(org):
    from brands.services import WORKFLOW

    app = in_acceptance(org)
    seen = WORKFLOW.version_of(app)
    BrandApplication.objects.filter(pk=app.pk).update(status=Status.IMPLEMENTING)
    with pytest.raises(AlreadyHandled):
        score_acceptance(
            actor=org.users["city_reviewer"],
            pk=app.pk,
            scores=five_force_scores(9),
            expected_version=seen,
        )


def test_a_second_acceptance_keeps_the_first_and_starts_from_its_scores(org):
    from brands import services

    app = in_acceptance(org)
    first = score_acceptance(
        actor=org.users["city_reviewer"], pk=app.pk, scores=five_force_scores(5), comment="不足"
    )
    services.request_acceptance(actor=org.users["secretary"], pk=app.pk)
    app.refresh_from_db()
    sheet = sheet_for(app)  # the items the portal scores start from today's facts instead
    assert {sheet.initial[i.pk] for i in sheet.indicators if not i.online_rule} == {Decimal(5)}
    second = score_acceptance(
        actor=org.users["city_reviewer"], pk=app.pk, scores=five_force_scores("7.5")
    )
    first.refresh_from_db()
    assert not first.current and second.current and second.passed
    assert current_review(app) == second
    assert AcceptanceReview.objects.filter(application=app).count() == 2


def test_the_items_the_portal_knows_are_prefilled_with_their_basis(org):
    """Five-force v2 (evaluation 0019) binds 品牌要素完整, 宣传推广, 示范带动 and 媒体报道 to
    what the portal knows since the brand's approval; the reviewer's score is what is kept,
    with the rule's basis."""
    from brands.models import MediaPublication, Pairing

    version, indicators = latest_published(FIVE_FORCES)
    bound = {i.code: i for i in indicators if i.online_rule}
    assert set(bound) == {"cbl-1", "cbl-2", "yxl-1", "yxl-2"} and version.number == 2
    app = in_acceptance(org)  # no logo: one of the six elements missing
    today = timezone.localdate()
    for level in ("city", "internal"):
        MediaPublication.objects.create(
            application=app, outlet="报", media_level=level, title="t", published_on=today,
            created_by=org.users["secretary"],
        )  # fmt: skip
    Pairing.objects.create(
        application=app, partner=org.a2, started_on=today, created_by=org.users["secretary"]
    )
    sheet = sheet_for(app)
    assert {code: sheet.initial[i.pk] for code, i in bound.items()} == {
        "cbl-1": Decimal(8),  # the logo is missing: 2 off
        "cbl-2": Decimal(4),  # two publications, 2 each
        "yxl-1": Decimal(10),  # a pairing
        "yxl-2": Decimal(6),  # the best is a city medium
    }
    assert "品牌标识" in sheet.bases[bound["cbl-1"].pk]
    city = org.users["city_reviewer"]
    review = score_acceptance(actor=city, pk=app.pk, scores=five_force_scores(9))
    kept = review.items.get(indicator=bound["yxl-2"])
    assert kept.score == Decimal(9) and "市级" in kept.basis


def test_the_standing_among_brands_is_by_rate(org):
    a1 = in_acceptance(org)
    b1 = in_acceptance(org, org.b1, org.sec_b1)
    a2 = in_acceptance(org, org.a2)
    score_acceptance(actor=org.users["city_reviewer"], pk=a1.pk, scores=five_force_scores(8))
    score_acceptance(actor=org.rev_b, pk=b1.pk, scores=five_force_scores(9))
    score_acceptance(
        actor=org.users["city_reviewer"], pk=a2.pk, scores=five_force_scores(3), comment="x"
    )
    found = acceptance_results_for([org.a1.pk, org.b1.pk, org.a2.pk])
    assert set(found) == {org.a1.pk, org.b1.pk}  # a failed acceptance does not stand
    assert (found[org.a1.pk].place, found[org.a1.pk].of) == (2, 2)
    assert (found[org.b1.pk].place, found[org.b1.pk].rate) == (1, Decimal(90))


# --- pages ---------------------------------------------------------------------------------


def test_the_reviewer_scores_on_the_page_and_the_brand_page_shows_it(client, org):
    app = in_acceptance(org)
    client.force_login(org.users["city_reviewer"])
    detail = client.get(reverse("brands:detail", args=[app.pk])).content.decode()
    assert 'data-testid="score-acceptance"' in detail and "act-pass_acceptance" not in detail
    url = reverse("brands:score_acceptance", args=[app.pk])
    form = client.get(url)
    assert form.status_code == 200 and "领导力" in form.content.decode()
    data = {f"score_{pk}": "8" for pk in five_force_scores(8)}
    first = next(iter(five_force_scores(8)))
    data[f"score_{first}"] = "12"
    data["expected_version"] = form.context["form"]["expected_version"].value()
    refused = client.post(url, data)
    assert refused.status_code == 200 and "12" in refused.content.decode()  # kept as typed
    assert refused.context["form"].errors[f"score_{first}"]
    data[f"score_{first}"] = "8"
    done = client.post(url, data)
    assert done.status_code == 302
    page = client.get(reverse("brands:detail", args=[app.pk])).content.decode()
    assert 'data-testid="acceptance-total">80<' in page and "已建成" in page


def test_a_failing_score_without_comment_says_so_at_the_field(client, org):
    app = in_acceptance(org)
    client.force_login(org.users["city_reviewer"])
    url = reverse("brands:score_acceptance", args=[app.pk])
    version = client.get(url).context["form"]["expected_version"].value()
    data = {f"score_{pk}": "2" for pk in five_force_scores(2)}
    response = client.post(url, {**data, "expected_version": version})
    assert response.status_code == 200
    assert response.context["form"].errors["comment"] == [
        "验收未通过，请填写验收意见（需改进之处）。"
    ]


def test_score_page_permission_matrix(client, org):
    brands = {org.a1.pk: in_acceptance(org), org.b1.pk: in_acceptance(org, org.b1, org.sec_b1)}
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("brands:score_acceptance", args=[brands[unit.pk].pk]),
        {
            "anonymous": 302,
            "member": 403,
            "secretary": (403, 403),
            "general_branch_reviewer": (403, 403),
            "city_reviewer": (200, 403),
            "province_reviewer": 200,
            "committee_member": 403,
            "admin": 403,
        },
    )
