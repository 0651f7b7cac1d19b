"""Online rules fed by the groups app (issue #17), registered in `online.RULES` when
`evaluation.online` is imported. The groups app counts; these rules only turn its numbers
into points, and evaluation never reads a group model.

* The party groups' own quarterly table (党小组动态考评, `group_…`, `GROUP_RULES`): prefilled by
  the groups app from `GroupFacts`; evaluation's own periods skip them.
* The branch's tables (item 8): what its members do below it — pioneer posts (党员先锋示范岗、
  责任区、先锋队) and the 五个一 drive — scores six-good v3's 作用发挥好 (`groups_…`), from
  `groups.selectors.scoring` (three queries for any number of branches, read once per batch
  as `Facts.groups`); each min(item's maximum, a formula stated in the basis and in the item's
  method text)."""

from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.utils.translation import gettext_lazy as _lazy

from .online import CENT, RULES, Online, _, _dates, _share, rule

# --- party groups (党小组动态考评, run by the branch in the groups app) ---------------------------


@dataclass(frozen=True)
class GroupFacts:
    """What the party-group rules read of one group in one quarter: plain numbers the groups
    app gathers (ledger group meetings, 五个一 items, pioneer-post reviews). Evaluation reads
    no group data itself; these rules only turn the numbers into points."""

    meetings_required: int = 0
    meetings_held: int = 0
    meeting_dates: tuple = ()
    items_filed: int = 0
    items_selected: int = 0
    reviews: int = 0
    reviews_led: int = 0


#: 五个一: points per item a group's members filed in the quarter, and more for each the branch
#: selected or recommended; capped at the item's maximum.
ITEM_FILED_POINTS = Decimal(2)
ITEM_SELECTED_POINTS = Decimal(3)
GROUP_RULES = ("group_meetings", "group_innovation", "group_posts")


def group_scores(indicators, facts: GroupFacts) -> dict[int, Online | None]:
    """The prefilled score of each of `indicators` bound to a party-group rule, by indicator id;
    None where the portal holds nothing to score it on (the branch types it)."""
    return {
        i.pk: RULES[i.online_rule].compute(facts, i)
        for i in indicators
        if i.online_rule in GROUP_RULES
    }


@rule("group_meetings", _lazy("党小组：党小组会按期召开（台账）"))
def group_meetings(facts, indicator) -> Online:
    """The held share of the group meetings due in the quarter; full points when none fell due."""
    if not isinstance(facts, GroupFacts) or not facts.meetings_required:
        basis = _("系统评分（台账）：本期没有到期应开的党小组会，不扣分。")
        return Online(indicator.max_points, basis)
    basis = _("系统评分（台账）：本季度应开党小组会 %(required)d 次，已开 %(held)d 次") % {
        "required": facts.meetings_required,
        "held": facts.meetings_held,
    }
    if facts.meeting_dates:
        basis += _("（%(dates)s）") % {"dates": _dates(facts.meeting_dates)}
    share = Decimal(facts.meetings_held) / Decimal(facts.meetings_required)
    return Online(_share(indicator.max_points, share), basis + _("。"))


@rule("group_innovation", _lazy("党小组：“五个一”项目申报与评选"))
def group_innovation(facts, indicator) -> Online:
    """Each 五个一 item the group's members filed in the quarter earns ITEM_FILED_POINTS, each of
    them the branch selected ITEM_SELECTED_POINTS more, up to the item's maximum."""
    filed = getattr(facts, "items_filed", 0)
    selected = getattr(facts, "items_selected", 0)
    points = min(filed * ITEM_FILED_POINTS + selected * ITEM_SELECTED_POINTS, indicator.max_points)
    basis = _(
        "系统评分（五个一）：本季度小组党员申报 %(filed)d 项，支部评选 %(selected)d 项"
        "（每项申报 %(per)s 分，评选再加 %(more)s 分，最高 %(max)s 分）。"
    ) % {
        "filed": filed,
        "selected": selected,
        "per": ITEM_FILED_POINTS,
        "more": ITEM_SELECTED_POINTS,
        "max": indicator.max_points,
    }
    return Online(points.quantize(CENT), basis)


@rule("group_posts", _lazy("党小组：党员先锋岗评估（发挥作用的比例）"))
def group_posts(facts, indicator) -> Online | None:
    """The share of the quarter's pioneer-post reviews of the group's members that found the
    member led by example; None (the branch scores it) when no review fell in the quarter."""
    reviews = getattr(facts, "reviews", 0)
    if not reviews:
        return None
    basis = _(
        "系统评分（先锋岗）：本季度小组党员先锋岗评估 %(n)d 次，发挥先锋模范作用 %(led)d 次。"
    ) % {"n": reviews, "led": facts.reviews_led}
    share = Decimal(facts.reviews_led) / Decimal(reviews)
    return Online(_share(indicator.max_points, share), basis)


# --- the branch's tables (six-good v3: 作用发挥好) ---------------------------------------------

#: 先锋岗: each post in force during the period earns POST_POINTS, each review within the period
#: that found the member led by example LED_POINTS more.
POST_POINTS = Decimal(1)
LED_POINTS = Decimal(2)
#: 五个一: each item filed within the period earns ITEM_POINTS, SELECTED_POINTS more when the
#: branch selected it, RECOMMENDED_POINTS more again when it was recommended upward.
ITEM_POINTS = Decimal(1)
SELECTED_POINTS = Decimal(1)
RECOMMENDED_POINTS = Decimal(1)


def _capped(points: Decimal, maximum: Decimal) -> Decimal:
    return min(points, maximum).quantize(CENT)


@rule("groups_posts", _lazy("党员先锋岗：期内在岗数与半年评估（发挥先锋模范作用）"))
def groups_posts(facts, indicator) -> Online:
    """min(max, posts in force × POST_POINTS + reviews led by example × LED_POINTS): a post
    counts when it is not withdrawn and its term overlaps the period; a review when it was
    recorded within the period. No post and no review: 0, and the basis says so."""
    figures = facts.groups
    if not figures.posts_in_force and not figures.reviews:
        return Online(
            Decimal(0), _("系统评分（先锋岗）：本期没有在岗的党员先锋岗、责任区或先锋队。")
        )
    points = figures.posts_in_force * POST_POINTS + figures.reviews_led * LED_POINTS
    return Online(
        _capped(points, indicator.max_points), partial(_posts_basis, figures, indicator.max_points)
    )


def _posts_basis(figures, maximum) -> str:
    return _(
        "系统评分（先锋岗）：本期在岗党员先锋岗（含责任区、先锋队）%(posts)d 个，"
        "期内半年评估 %(reviews)d 次，其中发挥先锋模范作用 %(led)d 次"
        "（每岗 %(per)s 分，每次发挥作用再加 %(more)s 分，最高 %(max)s 分）。"
    ) % {
        "posts": figures.posts_in_force,
        "reviews": figures.reviews,
        "led": figures.reviews_led,
        "per": POST_POINTS,
        "more": LED_POINTS,
        "max": maximum,
    }


@rule("groups_innovation", _lazy("“五个一”：期内申报、支部评选与向上推荐"))
def groups_innovation(facts, indicator) -> Online:
    """min(max, filed × ITEM_POINTS + selected × SELECTED_POINTS + recommended ×
    RECOMMENDED_POINTS) over the 五个一 items filed within the period (selected includes the
    recommended ones; the outcome is the item's when the score is taken). None filed: 0."""
    figures = facts.groups
    if not figures.items_filed:
        return Online(Decimal(0), _("系统评分（五个一）：本期本支部党员没有申报“五个一”项目。"))
    points = (
        figures.items_filed * ITEM_POINTS
        + figures.items_selected * SELECTED_POINTS
        + figures.items_recommended * RECOMMENDED_POINTS
    )
    return Online(
        _capped(points, indicator.max_points),
        partial(_innovation_basis, figures, indicator.max_points),
    )


def _innovation_basis(figures, maximum) -> str:
    return _(
        "系统评分（五个一）：本期党员申报 %(filed)d 项，支部评选 %(selected)d 项，"
        "其中向上推荐 %(up)d 项（每项申报 %(per)s 分，评选再加 %(more)s 分，"
        "推荐再加 %(up_more)s 分，最高 %(max)s 分）。"
    ) % {
        "filed": figures.items_filed,
        "selected": figures.items_selected,
        "up": figures.items_recommended,
        "per": ITEM_POINTS,
        "more": SELECTED_POINTS,
        "up_more": RECOMMENDED_POINTS,
        "max": maximum,
    }
