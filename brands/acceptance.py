"""验收评审 scored on the five-force table (品牌五力): the committee's reviewer fills the items
of the shipped table's latest published version; the total, rate and star are
`evaluation.scoring.compute`'s; the brand passes when `passes(result)` says so — the one
place the threshold is declared (`PASS_RATE`). The judgement is the workflow's
`pass_acceptance` / `fail_acceptance` transition (locked, checked against the version the
reviewer saw, audited with the score), and the scores are kept as an `AcceptanceReview` on
the brand, its latest the `current` one that flagship's standing reads
(`brands.selectors.acceptance.acceptance_results_for`)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.formats import points
from evaluation import online, scoring
from evaluation.selectors.published import FIVE_FORCES
from evaluation.selectors.tables import as_items, grouped, latest_published, weights_for
from workflow.services import notify
from workflow.windows import local_today

from .audit import Action
from .models import AcceptanceItemScore, AcceptanceReview, BrandApplication
from .services import WORKFLOW, BrandError

#: The acceptance passes at this score rate (% of the table's maximum) or above, unless a veto
#: item voided it. The seeds name no threshold for 验收评审; 60 % is the lowest rate the shipped
#: tables still give a second star. Kept on each judgement (`AcceptanceReview.pass_rate`).
PASS_RATE = Decimal(60)


def passes(result: scoring.Result) -> bool:
    """Whether a five-force result passes acceptance: not voided, rate ≥ `PASS_RATE`."""
    return not result.vetoed and result.rate >= PASS_RATE


def field_name(indicator) -> str:
    """The form field of an item's score (errors come back keyed by it)."""
    return f"score_{indicator.pk}"


@dataclass(frozen=True)
class Span:
    """The stretch of time the online rules read for a brand's acceptance: from its approval
    (立项) to the day of the review (an `evaluation` period's `starts_on`/`ends_on`)."""

    starts_on: object
    ends_on: object


@dataclass
class AcceptanceSheet:
    """What the acceptance form shows: the table version, its items (in table order, with
    their dimension), each item's pre-filled score and its basis."""

    version: object
    indicators: list
    initial: dict = field(default_factory=dict)
    bases: dict = field(default_factory=dict)

    @property
    def grouped(self):
        return grouped(self.indicators)


def sheet_for(application) -> AcceptanceSheet:
    """The five-force table's latest published version with the application's items, each
    pre-filled: by the item's online rule where one is bound (what the portal knows since the
    brand's approval), else by the brand's previous acceptance score (a re-review after a
    failed one), else blank. `BrandError` when no five-force version is published."""
    version, indicators = latest_published(FIVE_FORCES)
    if version is None:
        raise BrandError(_("品牌五力评价表尚未发布，暂不能进行验收评分，请联系系统管理员。"))
    category = application.unit.category
    indicators = [i for i in indicators if not i.category or i.category == category]
    sheet = AcceptanceSheet(version, indicators)
    previous = (
        AcceptanceReview.objects.filter(application=application, current=True)
        .prefetch_related("items")
        .first()
    )
    if previous is not None:
        sheet.initial = {item.indicator_id: item.score for item in previous.items.all()}
    if any(i.online_rule for i in indicators):
        approved = application.approved_at
        start = timezone.localdate(approved) if approved else local_today()
        found = online.scores(indicators, application.unit, Span(start, local_today()))
        for pk, result in found.items():
            sheet.initial[pk] = result.score
            sheet.bases[pk] = result.basis
    return sheet


def _checked_scores(sheet: AcceptanceSheet, scores: Mapping) -> dict[int, object]:
    """The typed scores by item id, refused (a ValidationError keyed by each form field) when
    one is not a number, negative, above the item's maximum, or an earning item is blank."""
    items = as_items(sheet.indicators)
    messages = {
        "not_number": _("请填写数字。"),
        "negative": _("得分不能为负数。"),
    }
    errors = {}
    for pk, problem in scoring.problems(items, scores).items():
        indicator = next(i for i in sheet.indicators if i.pk == pk)
        errors[field_name(indicator)] = messages.get(problem) or _(
            "得分不能超过该项分值 %(max)s 分。"
        ) % {"max": points(indicator.max_points)}
    for indicator in sheet.indicators:
        blank = scores.get(indicator.pk) in (None, "")
        if blank and indicator.kind in scoring.EARNING_KINDS:
            errors.setdefault(field_name(indicator), _("请为该项评分。"))
    if errors:
        raise ValidationError(errors)
    return {pk: value for pk, value in scores.items() if value not in (None, "")}


def score_acceptance(
    *, actor, pk, scores: Mapping, comment="", expected_version=None
) -> AcceptanceReview:
    """验收评审 on the five-force table: `scores` (item id → score as typed; a veto item 1 when
    triggered) are checked against the items, computed by `evaluation.scoring.compute`, and
    the brand passes (→ 建成) or fails (→ back to 实施推进) as `passes` says. A failing
    judgement needs the reviewer's comment. Only the acceptance's judges (perm
    `brands.judge_acceptance`), only while in 验收评审, at the version the reviewer saw; the
    scores and the result are kept on the brand (`AcceptanceReview`, the previous one no
    longer current), the transition audited with the score."""
    application = BrandApplication.objects.select_related("unit").get(pk=pk)
    sheet = sheet_for(application)
    typed = _checked_scores(sheet, scores)
    version = sheet.version
    result = scoring.compute(
        as_items(sheet.indicators),
        typed,
        thresholds=version.thresholds,
        allow_negative=version.allow_negative,
        weights=weights_for(version.pk, application.unit.category),
    )
    passed = passes(result)
    comment = (comment or "").strip()
    if not passed and not comment:
        raise ValidationError({"comment": _("验收未通过，请填写验收意见（需改进之处）。")})
    line = score_line(result, passed)
    review = {}

    def before_save(app, _t):
        if passed:
            app.built_at = timezone.now()

    def after_save(app, _t, _from):
        AcceptanceReview.objects.filter(application=app, current=True).update(current=False)
        review["saved"] = saved = AcceptanceReview.objects.create(
            application=app,
            table_version=version,
            total=result.total,
            max_total=result.max_total,
            rate=result.rate,
            star=result.star,
            is_vetoed=result.vetoed,
            pass_rate=PASS_RATE,
            passed=passed,
            comment=comment,
            reviewed_by=actor,
            reviewed_at=timezone.now(),
        )
        AcceptanceItemScore.objects.bulk_create(
            AcceptanceItemScore(
                review=saved,
                indicator=indicator,
                score=scoring.clamp(item, typed.get(item.id)),
                basis=sheet.bases.get(indicator.pk, ""),
            )
            for indicator, item in zip(sheet.indicators, as_items(sheet.indicators), strict=True)
        )
        title = _("品牌“%(name)s”已通过验收，正式建成") if passed else _("品牌“%(name)s”验收未通过")
        notify(
            [app.applicant],
            title=title % {"name": app},
            body=f"{line}\n{comment}".strip(),
            url=reverse("brands:detail", args=[app.pk]),
        )

    WORKFLOW.apply(
        pk,
        Action.PASS_ACCEPTANCE if passed else Action.FAIL_ACCEPTANCE,
        actor=actor,
        comment=f"{line}\n{comment}".strip(),
        expected_version=expected_version,
        before_save=before_save,
        after_save=after_save,
    )
    return review["saved"]


def score_line(result: scoring.Result, passed: bool) -> str:
    """The judgement in one line, as the timeline and the notification say it."""
    values = {
        "total": points(result.total),
        "max": points(result.max_total),
        "rate": points(result.rate),
        "star": result.star or 0,
        "pass": points(PASS_RATE),
    }
    if result.vetoed:
        return _("品牌五力验收评分：一票否决（通过线 %(pass)s%%）。") % values
    text = _(
        "品牌五力验收评分 %(total)s / %(max)s 分"
        "（得分率 %(rate)s%%，%(star)d 星；通过线 %(pass)s%%）。"
    )
    return text % values
