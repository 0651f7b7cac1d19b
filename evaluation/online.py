"""Online scoring (线上考核): indicators the portal scores itself from what the branch has
already filed here, so the secretary neither retypes nor estimates it. The reviewer still
checks and may adjust it with a reason (线上考核 + 线下验收, "dual control").

An indicator opts in with `Indicator.online_rule`, one of the rules registered below; the
shipped 5521 star table uses them for its brand index (星级品牌). A rule is a plain function
`(facts, indicator) -> Online`; `scores()` runs the rules of a form's indicators over one
`Facts`, so what several rules read (the branch's brand) is fetched once."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Online:
    score: Decimal
    #: What the score rests on, in words: stored as the item's evidence text.
    basis: str


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    compute: Callable


RULES: dict[str, Rule] = {}


def rule(code: str, label):
    def register(compute):
        RULES[code] = Rule(code, label, compute)
        return compute

    return register


def choices() -> list[tuple[str, str]]:
    return [(r.code, r.label) for r in RULES.values()]


class Facts:
    """What the rules read about one unit in one period, each fetched once, when first asked."""

    def __init__(self, unit, period):
        self.unit, self.period = unit, period

    @cached_property
    def application(self):
        """The branch's live brand application (not rejected), or None."""
        from brands.selectors.applications import live_application_for

        return live_application_for(self.unit)


def scores(indicators, unit, period) -> dict[int, Online]:
    """The online score of each of `indicators` that has a rule, by indicator id."""
    facts = Facts(unit, period)
    return {
        i.pk: RULES[i.online_rule].compute(facts, i) for i in indicators if i.online_rule in RULES
    }


def _share(maximum: Decimal, fraction: Decimal) -> Decimal:
    return (maximum * fraction).quantize(CENT, rounding=ROUND_HALF_UP)


#: The 5521 table's 品牌创建 item: built 8 of 8, in implementation 5 of 8, otherwise nothing.
IMPLEMENTING_SHARE = Decimal(5) / Decimal(8)


@rule("brand_status", _lazy("品牌创建进度（一支部一品牌）"))
def brand_status(facts, indicator) -> Online:
    """Full points for a built brand, 5/8 of them while it is being implemented or in
    acceptance review, none before approval (the brand's status when the score is taken)."""
    from brands.models import Status

    app = facts.application
    if app is None:
        return Online(Decimal(0), _("系统评分：本支部尚未申报品牌。"))
    basis = _("系统评分：品牌“%(name)s”当前状态为“%(status)s”。") % {
        "name": app.name,
        "status": app.get_status_display(),
    }
    if app.status == Status.BUILT:
        return Online(indicator.max_points, basis)
    if app.status in (Status.IMPLEMENTING, Status.ACCEPTANCE):
        return Online(_share(indicator.max_points, IMPLEMENTING_SHARE), basis)
    return Online(Decimal(0), basis)


#: Points per publication about the brand, by the medium's level (闪亮).
MEDIA_POINTS = {"national": Decimal(3), "provincial": Decimal(2), "city": Decimal(1)}
INTERNAL_POINTS = Decimal("0.5")


@rule("brand_media", _lazy("品牌传播（期内媒体发表，按级别计分）"))
def brand_media(facts, indicator) -> Online:
    """Per publication about the branch's brand dated within the period: national 3, provincial
    2, city 1, in-company 0.5 points, up to the item's maximum."""
    from brands.models import MediaPublication

    app, period = facts.application, facts.period
    if app is None:
        return Online(Decimal(0), _("系统评分：本支部尚未申报品牌，期内无品牌传播记录。"))
    levels = list(
        MediaPublication.objects.filter(
            application=app, published_on__range=(period.starts_on, period.ends_on)
        ).values_list("media_level", flat=True)
    )
    earned = sum((MEDIA_POINTS.get(level, INTERNAL_POINTS) for level in levels), Decimal(0))
    return Online(
        min(earned, indicator.max_points).quantize(CENT),
        _("系统评分：期内媒体发表 %(n)d 篇（%(start)s 至 %(end)s）。")
        % {"n": len(levels), "start": period.starts_on, "end": period.ends_on},
    )
