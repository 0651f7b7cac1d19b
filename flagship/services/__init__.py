"""Writes of the flagship cycle, one module per concept:

* `cycle`     — creating and configuring a cycle, its committee, the phase workflow
* `candidacy` — eligibility, filing with pre-filled content, review up the tree, management
* `notice`    — objections during the public notice
* `review`    — committee scores, site visits, veto checks
* `decision`  — the chair's units, the public vote, the bases, honours and obligations
"""

from .common import SCHEDULER, FlagshipError

__all__ = ["SCHEDULER", "FlagshipError"]
