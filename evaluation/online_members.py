"""Online rules fed by the branch's member assessments (issue #17 item 8: 队伍管理好 from the
党员考评 the branch runs in the groups app), registered in `online.RULES` when
`evaluation.online` is imported. The groups app counts (`groups.selectors.scoring.
member_figures`: two queries for any number of branches, read once per batch as
`Facts.members`); this rule only turns the numbers into points and never reads a member or
a result — the branch's tables see counts, not any member's score (domain brief: restraint)."""

from decimal import Decimal
from functools import partial

from django.utils.translation import gettext_lazy as _lazy

from .online import CENT, Online, _, _share, rule

#: The rules that read the member figures are named members_… (`online.MEMBERS_PREFIX`).
#: Coverage (members with a published 双百 result / members on the roster) and quality
#: (qualified results / published results) weigh half the item each.
COVERAGE_WEIGHT = Decimal("0.5")
QUALITY_WEIGHT = Decimal("0.5")


@rule("members_assessment", _lazy("党员“双百”考核：参评率与合格率（党员考评）"))
def members_assessment(facts, indicator) -> Online:
    """max × (½ × min(1, assessed / on the roster) + ½ × qualified / assessed), over the newest
    published 双百 member results of the period's year or the year before; a result is
    qualified from 60 % of the table's maximum, unless vetoed. None published: 0."""
    figures = facts.members
    if not figures.assessed:
        return Online(
            Decimal(0),
            _("系统评分（党员考评）：本年度和上一年度没有已公布的党员“双百”考核结果。"),
        )
    coverage = min(Decimal(1), Decimal(figures.assessed) / Decimal(max(figures.active, 1)))
    quality = Decimal(figures.qualified) / Decimal(figures.assessed)
    share = COVERAGE_WEIGHT * coverage + QUALITY_WEIGHT * quality
    return Online(
        min(_share(indicator.max_points, share), indicator.max_points).quantize(CENT),
        partial(_basis, figures, indicator.max_points),
    )


def _basis(figures, maximum) -> str:
    return _(
        "系统评分（党员考评）：%(year)d 年度党员“双百”考核已公布 %(assessed)d 人"
        "（在册党员 %(active)d 人），其中合格（得分率 60%% 及以上）%(qualified)d 人"
        "（参评率、合格率各占一半，满分 %(max)s 分）。"
    ) % {
        "year": figures.year,
        "assessed": figures.assessed,
        "active": figures.active,
        "qualified": figures.qualified,
        "max": maximum,
    }
