"""Who may apply for the flagship honour (申报条件), as one rule with its reasons:

* only a unit that may hold a brand (党支部 or 党总支, `brands.rules.may_hold_brand`) whose
  brand is built (建成);
* not a branch vetoed (一票否决) in its latest published six-good or five-force result;
* not a branch that already holds a valid flagship honour (it applies again after expiry).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from brands.rules import may_hold_brand
from brands.selectors.applications import (
    built_application_for,
    built_unit_ids,
    live_application_for,
)

from .models import Honour, HonourStatus
from .selectors.awards import honours_for_units
from .selectors.results import LatestResults, latest_results, latest_results_for

if TYPE_CHECKING:  # annotations only; brands is read through brands.selectors
    from brands.models import BrandApplication


@dataclass
class Eligibility:
    reasons: list[str] = field(default_factory=list)
    brand: BrandApplication | None = None
    results: LatestResults = field(default_factory=LatestResults)
    honour: Honour | None = None

    @property
    def ok(self) -> bool:
        return not self.reasons


def valid_honour(unit, today=None, *, exclude_cycle=None) -> Honour | None:
    today = today or timezone.localdate()
    honours = Honour.objects.filter(
        unit=unit, status=HonourStatus.ACTIVE, valid_until__gte=today
    ).select_related("cycle")
    if exclude_cycle is not None:
        honours = honours.exclude(cycle=exclude_cycle)
    return honours.order_by("-valid_until").first()


def check_eligibility(unit, *, cycle=None, today=None) -> Eligibility:
    result = Eligibility()
    if not may_hold_brand(unit):
        result.reasons.append(_("只有党支部或党总支可以申报旗舰品牌。"))
        return result
    result.brand = built_application_for(unit)
    if result.brand is None:
        live = live_application_for(unit)
        if live is None:
            result.reasons.append(_("本支部尚未创建品牌：只有品牌已建成的党支部可以申报旗舰品牌。"))
        else:
            result.reasons.append(
                _(
                    "本支部品牌“%(brand)s”尚未建成（当前状态：%(status)s），只有品牌已建成的党支部可以申报旗舰品牌。"
                )
                % {"brand": live, "status": live.get_status_display()}
            )
    result.results = latest_results(unit)
    if result.results.is_vetoed:
        result.reasons.append(
            _("本支部在最近一期考评（%(periods)s）中被一票否决，本周期不能申报。")
            % {"periods": _("、").join(r.period for r in _vetoed(result.results))}
        )
    result.honour = valid_honour(unit, today, exclude_cycle=cycle)
    if result.honour is not None:
        result.reasons.append(
            _("本支部已获“%(cycle)s”%(kind)s称号，有效期至 %(until)s，有效期内不能重复申报。")
            % {
                "cycle": result.honour.cycle,
                "kind": result.honour.get_kind_display(),
                "until": result.honour.valid_until.isoformat(),
            }
        )
    return result


def _vetoed(results: LatestResults):
    return [r for r in (results.six_good, results.five_forces) if r is not None and r.is_vetoed]


def eligible_unit_ids(units, today=None) -> set[int]:
    """The units among `units` that `check_eligibility` would admit (brand holder, built brand, no
    veto in the latest results, no valid honour), without the reasons: three queries for any
    number of units (the dashboard's "you may apply" hint). The ruling check on filing stays
    `check_eligibility`."""
    branches = [u.pk for u in units if may_hold_brand(u)]
    if not branches:
        return set()
    built = built_unit_ids(branches)
    if not built:
        return set()
    results = latest_results_for(built)
    honoured = honours_for_units(built, today)
    return {pk for pk in built if not results[pk].is_vetoed and pk not in honoured}
