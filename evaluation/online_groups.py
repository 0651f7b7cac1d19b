"""Online rules fed by the groups app (issue #17 item 8): what a branch's members do below it
— pioneer posts (党员先锋示范岗、责任区、先锋队) and the 五个一 drive — scores the branch's own
tables (six-good v3: 作用发挥好). The groups app counts (`groups.selectors.scoring`, three
queries for any number of branches, read once per batch as `Facts.groups`); these rules only
turn its numbers into points, each min(item's maximum, a formula stated in the basis and in
the item's method text). Registered in `online.RULES` when `evaluation.online` is imported."""

from decimal import Decimal
from functools import partial

from django.utils.translation import gettext_lazy as _lazy

from .online import CENT, Online, _, rule

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
