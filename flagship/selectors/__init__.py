"""Reads of the flagship cycle, one module per concept. The names other apps may use are
re-exported here:

* `latest_results(unit)` / `latest_results_for(unit_ids)` — the latest published six-good and
  five-force results (total, rate, veto): the only reader of evaluation, in `results.py`;
* `honours_for_units(unit_ids)` — the valid flagship honours of units, for badges;
* `progress_by_committee(scope_path, year)` — the cycle's candidacies per committee, by status
  and honour (the monthly bulletin), in `progress.py`.
"""

from .awards import HonourBadge, honours_for_units
from .progress import CycleProgress, progress_by_committee
from .results import LatestResults, latest_results, latest_results_for

__all__ = [
    "CycleProgress",
    "HonourBadge",
    "LatestResults",
    "honours_for_units",
    "latest_results",
    "latest_results_for",
    "progress_by_committee",
]
