"""Who may apply for the flagship honour (申报条件), as one rule with its reasons:

* only a unit that may hold a brand (党支部 or 党总支, `brands.rules.may_hold_brand`) whose
  brand is built (建成);
* not a branch vetoed (一票否决) in its latest published six-good or five-force result;
* not a branch that already holds a valid flagship honour (it applies again after expiry);
* the six-good and the five-force scores lead the province (seed 000: 六好、五力 位居前列):
  with the cycle's `standing_top_share` S %, the latest published result in each table places
  within the first ⌈N × S / 100⌉ of the N published results of its period (ties share a
  place, so a tie at the boundary stands). A blank share checks nothing. A table without a
  published result for the unit is not held against it (a 党总支 is not assessed on the
  six-good table; a province may not have run a five-force period): the candidacy shows the
  missing result and the committee's criterion for it scores nothing. A voided result is
  already refused by the veto rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from brands.rules import may_hold_brand
from brands.selectors.applications import (
    built_application_for,
    built_unit_ids,
    live_application_for,
)
from common.formats import points

from .models import Honour, HonourStatus
from .selectors.awards import honoured_unit_ids
from .selectors.results import LatestResults, Result, latest_results, latest_results_for

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
    share = getattr(cycle, "standing_top_share", None)
    result.reasons += standing_reasons(result.results, share)
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


def top_places(share: Decimal, of: int) -> int:
    """How many places of `of` count as the top `share` % (rounded up: at least the first)."""
    if of <= 0:
        return 0
    return max(1, math.ceil(Decimal(of) * Decimal(share) / 100))


def leads(result: Result | None, share: Decimal | None) -> bool:
    """The result places within the top `share` % of its period (no share or no result: no
    check; see the module's docstring)."""
    if share is None or result is None:
        return True
    if result.is_vetoed or result.place is None or not result.of:
        return False
    return result.place <= top_places(share, result.of)


def standing_reasons(results: LatestResults, share: Decimal | None) -> list[str]:
    """Why the results do not lead the province, one reason per table (none when they do)."""
    if share is None:
        return []
    reasons = []
    tables = ((_("六好党支部"), results.six_good), (_("品牌五力"), results.five_forces))
    for table, result in tables:
        if result is not None and not result.is_vetoed and not leads(result, share):
            reasons.append(
                _(
                    "本支部在最近一期%(table)s考评（%(period)s）中位列第 %(place)d 名"
                    "（共 %(of)d 个单位），"
                    "未进入该期结果的前 %(share)s%%（前 %(n)d 名），本周期不能申报。"
                )
                % {
                    "period": result.period,
                    "table": table,
                    "place": result.place or 0,
                    "of": result.of or 0,
                    "share": points(share),
                    "n": top_places(share, result.of or 0),
                }
            )
    return reasons


def _vetoed(results: LatestResults):
    return [r for r in (results.six_good, results.five_forces) if r is not None and r.is_vetoed]


def eligible_unit_ids(units, today=None, *, cycle=None) -> set[int]:
    """The units among `units` that `check_eligibility` would admit in `cycle` (brand holder,
    built brand, no veto in the latest results, standing within the cycle's top share, no
    valid honour), without the reasons: four queries for any number of units (the
    dashboard's "you may apply" hint). The ruling check on filing stays `check_eligibility`."""
    return eligible_by_cycle(units, [cycle], today)[getattr(cycle, "pk", None)]


def eligible_by_cycle(units, cycles, today=None, *, built=None) -> dict:
    """{cycle pk: `eligible_unit_ids(units, today, cycle=cycle)`} for several cycles, in the
    same four queries (only the standing share differs between cycles). `built`: the ids of
    units known to hold a built brand, when the caller read them (the 工作台 reads them with
    the returned applications, `brands.selectors.worklist.own_applications`): a query less.
    Without a standing share, the acceptance scores are read only where one could lift a
    five-force veto (`latest_results_for(vetoes_only=True)`); the honours only of the units
    not vetoed."""
    keys = {getattr(c, "pk", None): getattr(c, "standing_top_share", None) for c in cycles}
    branches = [u.pk for u in units if may_hold_brand(u)]
    if built is not None:
        built = {pk for pk in branches if pk in built}
    else:
        built = built_unit_ids(branches) if branches else set()
    if not built:
        return dict.fromkeys(keys, set())
    # the places are read only by a standing share: without one, neither is counted
    ranked = any(share is not None for share in keys.values())
    # without a share only the vetoes are read of the results (`leads` checks nothing)
    results = latest_results_for(built, ranked=ranked, vetoes_only=not ranked)
    unvetoed = [pk for pk in built if not results[pk].is_vetoed]
    honoured = honoured_unit_ids(unvetoed, today) if unvetoed else set()
    clean = [pk for pk in unvetoed if pk not in honoured]
    return {
        key: {
            pk
            for pk in clean
            if leads(results[pk].six_good, share) and leads(results[pk].five_forces, share)
        }
        for key, share in keys.items()
    }
