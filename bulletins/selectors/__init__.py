"""Reads behind the monthly bulletin, and the scoped list of bulletins (`access`).

A bulletin covers one scope: the province (every committee) or one city / directly-affiliated
committee (its own subtree). Every section is one set of aggregate queries grouped in the
database by the committee path prefix (`committee_key`: the first 8 characters of a unit's
materialized path), never a loop over units. Per section:

* coverage (`brand_figures`, as the next two) — reuses `brands.selectors.coverage` (grouped
  counts per committee and per category, the year's target). Its API is scoped to a *user*; a
  bulletin is made by a task for a *unit*, so `ScopeReader` stands in as a reader holding a
  role at that unit. (Those figures are cached per scope, as on the coverage dashboard.)
* activity in the month — the audit trail (`AuditEntry`, written by every transition) counted
  per committee: first submissions, resubmissions, final approvals, returns, rejections, built;
  each under the committee the branch belonged to when it happened (`AuditEntry.committee`,
  written with the entry), so a regenerated past month gives the same figures after a branch
  moves to another city.
* returned and overdue items — applications returned for revision and applications in review
  for longer than `BULLETIN_OVERDUE_DAYS`, counted per committee, plus the item list with
  waiting days: per committee the longest waiting (`BULLETIN_ITEMS_PER_COMMITTEE`), streamed
  with `.iterator()` so memory does not grow with the province.
* the ledger (`ledger_figures`): meetings due and held in the month per committee, from
  `ledger.selectors.compliance`.
* assessment ranking highlights and flagship progress (`other_apps`) come from the owning
  apps' selectors (`evaluation.selectors.published`, `flagship.selectors.progress_by_committee`):
  `None` (the bulletin then says 本月无数据) when the month has no such figures.

`collect` gathers every section; the modules below are re-exported here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import OrgUnit

from .access import (
    READER_ROLES,
    bulletin_scopes,
    bulletins_visible_to,
    generating_paths,
    reading_paths,
    scopes_generatable_by,
    scopes_readable_by,
)
from .brand_figures import (
    ACTIVITY,
    BacklogItem,
    BacklogSection,
    CountsSection,
    CoverageSection,
    activity_section,
    backlog_items,
    backlog_section,
    coverage_section,
)
from .common import (
    CountsRow,
    ScopeReader,
    items_per_committee,
    overdue_days,
    total_label,
)
from .ledger_figures import LedgerSection, ledger_section
from .months import first_of_month, month_bounds, next_month, parse_month, previous_month
from .other_apps import FlagshipSection, RankingSection, flagship_section, ranking_section

__all__ = [
    "ACTIVITY",
    "READER_ROLES",
    "BacklogItem",
    "BacklogSection",
    "BulletinData",
    "CountsRow",
    "CountsSection",
    "CoverageSection",
    "FlagshipSection",
    "LedgerSection",
    "RankingSection",
    "ScopeReader",
    "activity_section",
    "backlog_items",
    "backlog_section",
    "bulletin_scopes",
    "bulletins_visible_to",
    "collect",
    "coverage_section",
    "first_of_month",
    "flagship_section",
    "generating_paths",
    "issuer_of",
    "items_per_committee",
    "ledger_section",
    "month_bounds",
    "next_month",
    "overdue_days",
    "parse_month",
    "previous_month",
    "ranking_section",
    "reading_paths",
    "scopes_generatable_by",
    "scopes_readable_by",
    "total_label",
]


@dataclass
class BulletinData:
    scope: OrgUnit
    month: date
    as_of: datetime
    issuer: str
    generated_by: str
    coverage: CoverageSection
    activity: CountsSection
    backlog: BacklogSection
    ranking: RankingSection | None
    flagship: FlagshipSection | None
    ledger: LedgerSection | None = None


def issuer_of(scope: OrgUnit) -> str:
    """The issuing office named on the cover (settings.BULLETIN_ISSUER may fix it)."""
    return settings.BULLETIN_ISSUER or _("%(name)s党建工作部") % {"name": scope.name}


def collect(
    scope: OrgUnit,
    month: date,
    *,
    generated_by=None,
    as_of: datetime | None = None,
    progress: Callable[[int], None] = lambda p: None,
) -> BulletinData:
    """All sections of the bulletin of `scope` for `month`. Status figures (coverage, returned
    and overdue) are as of `as_of` (now); event figures are those of the month."""
    as_of = as_of or timezone.now()
    cov = coverage_section(scope, month)
    progress(20)
    activity = activity_section(scope, month)
    progress(30)
    backlog = backlog_section(scope, as_of)
    progress(40)
    ranking = ranking_section(scope, month)
    progress(50)
    flagship = flagship_section(scope, month)
    ledger = ledger_section(scope, month)
    progress(55)
    return BulletinData(
        scope=scope,
        month=month,
        as_of=as_of,
        issuer=issuer_of(scope),
        generated_by=str(generated_by) if generated_by else _("系统定时生成"),
        coverage=cov,
        activity=activity,
        backlog=backlog,
        ranking=ranking,
        flagship=flagship,
        ledger=ledger,
    )
