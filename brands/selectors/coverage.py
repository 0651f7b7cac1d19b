"""Reads of brand coverage (创建覆盖率 / 建成率) within a user's scope.

The base is every active branch (党支部) the user may see. A branch counts as *filed* when it
has a brand in `FILED_STATUSES` and as *built* when its brand is `BUILT`. Every breakdown is one
aggregate query grouped in the database, never a Python loop over branches: the branches
left-joined to their one live brand (a branch has at most one brand that is not rejected, a
unique constraint, so the join never repeats a branch) and counted conditionally — one pass
over each table instead of a correlated lookup per branch.

On a province of 100,000 branches each breakdown is still a scan of the scope, and the figures
change only when a brand is first submitted, rejected or built: they are cached per scope
(`brands.cache.COVERAGE`) until such a write or a change of the tree."""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import BranchCategory, OrgUnit, UnitType
from branches.selectors import ALL, committee_key, committee_name, scope_paths, units_visible_to

from .. import cache
from ..models import FILED_STATUSES, BrandApplication, CoverageTarget, Status

ONE_DECIMAL = Decimal("0.1")


def rate(part: int, total: int) -> Decimal:
    """A percentage with one decimal; 0 for an empty base."""
    if not total:
        return Decimal(0)
    return (Decimal(part) * 100 / total).quantize(ONE_DECIMAL)


def _filed_brand():
    return BrandApplication.objects.filter(unit=OuterRef("pk"), status__in=FILED_STATUSES)


def _counts():
    return {
        "total": Count("pk"),
        "filed": Count("pk", filter=Q(live_brand__status__in=FILED_STATUSES)),
        "built": Count("pk", filter=Q(live_brand__status=Status.BUILT)),
    }


def active_branches(user) -> QuerySet[OrgUnit]:
    """The base of every rate: the active branches in the user's scope."""
    return units_visible_to(user).filter(unit_type=UnitType.BRANCH, is_active=True)


def _with_live_brand(user) -> QuerySet[OrgUnit]:
    """The active branches in scope, each joined to its live brand if it has one."""
    return active_branches(user).annotate(
        live_brand=FilteredRelation("brands", condition=~Q(brands__status=Status.REJECTED))
    )


def _cached(name, user, compute):
    return cache.cached(cache.COVERAGE, name, scope_paths(user), compute)


def target_for(year: int) -> tuple[CoverageTarget | None, bool]:
    """The target of `year` and whether it is that year's own. Without one, the most recent
    earlier year's target still applies (after the three-year plan ends); before the plan
    starts, its first year's. One query."""
    targets = list(CoverageTarget.objects.order_by("year"))
    exact = next((t for t in targets if t.year == year), None)
    if exact is not None:
        return exact, True
    earlier = [t for t in targets if t.year < year]
    if earlier:
        return earlier[-1], False
    return (targets[0] if targets else None), False


@dataclass
class CoverageRow:
    label: str
    total: int
    filed: int
    built: int
    unit: OrgUnit | None = None  # the committee, for the drill-down link
    category: str = ""
    filed_below: bool = False
    built_below: bool = False

    @property
    def filed_rate(self) -> Decimal:
        return rate(self.filed, self.total)

    @property
    def built_rate(self) -> Decimal:
        return rate(self.built, self.total)

    @property
    def missing(self) -> int:
        return self.total - self.filed

    @property
    def below(self) -> bool:
        return self.filed_below or self.built_below

    def compare(self, target: CoverageTarget | None):
        if target is not None and self.total:
            self.filed_below = self.filed_rate < target.filed_rate
            self.built_below = self.built_rate < target.built_rate
        return self


def coverage_by_committee(user) -> list[CoverageRow]:
    """One row per city / directly-affiliated committee (branches grouped by the first
    `COMMITTEE_KEY_LENGTH` characters of their path), in tree order. Two queries: the grouped
    counts, then the committees' names (none while cached)."""

    def compute():
        groups = list(
            _with_live_brand(user)
            .annotate(committee_path=committee_key("path"))
            .values("committee_path")
            .annotate(**_counts())
            .order_by("committee_path")
        )
        paths = [g["committee_path"] for g in groups]
        committees = OrgUnit.objects.in_bulk(paths, field_name="path")
        rows = []
        for g in groups:
            unit = committees.get(g["committee_path"])
            rows.append(
                CoverageRow(
                    label=unit.name if unit else g["committee_path"],
                    unit=unit,
                    total=g["total"],
                    filed=g["filed"],
                    built=g["built"],
                )
            )
        return rows

    return [replace(r) for r in _cached("by_committee", user, compute)]


def coverage_by_category(user) -> list[CoverageRow]:
    """One row per branch category, in the order of the "5521" model; one query (none while
    cached)."""

    def compute():
        groups = {
            g["category"]: g
            for g in _with_live_brand(user).values("category").annotate(**_counts()).order_by()
        }
        rows = []
        for value, label in [*BranchCategory.choices, ("", _("未分类"))]:
            g = groups.get(value)
            if g:
                rows.append(
                    CoverageRow(
                        label=str(label),
                        category=value,
                        total=g["total"],
                        filed=g["filed"],
                        built=g["built"],
                    )
                )
        return rows

    return [replace(r) for r in _cached("by_category", user, compute)]


def coverage_totals(user, label="") -> CoverageRow:
    """The scope's totals: one query (none while cached)."""
    totals = _cached("totals", user, lambda: _with_live_brand(user).aggregate(**_counts()))
    return CoverageRow(label=label, **totals)


@dataclass
class Coverage:
    year: int
    target: CoverageTarget | None
    target_is_own_year: bool
    province_wide: bool
    totals: CoverageRow
    by_committee: list[CoverageRow] = field(default_factory=list)
    by_category: list[CoverageRow] = field(default_factory=list)

    def chart_data(self) -> dict:
        """What the bar chart draws (passed to the page with `json_script`)."""
        return {
            "labels": [r.label for r in self.by_committee],
            "filed": [float(r.filed_rate) for r in self.by_committee],
            "built": [float(r.built_rate) for r in self.by_committee],
            "target_filed": float(self.target.filed_rate) if self.target else None,
            "target_built": float(self.target.built_rate) if self.target else None,
            "names": {
                "filed": str(_("创建覆盖率")),
                "built": str(_("建成率")),
                "target_filed": str(_("创建覆盖率目标")),
                "target_built": str(_("建成率目标")),
            },
        }


def coverage(user, year: int | None = None) -> Coverage:
    """The coverage dashboard of `user`'s scope against the year's target: the target, and
    while the figures are not cached, their four queries."""
    year = year or timezone.localdate().year
    target, own_year = target_for(year)
    province_wide = any(p == ALL or len(p) <= OrgUnit.steplen for p in scope_paths(user))
    label = _("全省合计") if province_wide else _("管辖范围合计")
    return Coverage(
        year=year,
        target=target,
        target_is_own_year=own_year,
        province_wide=province_wide,
        totals=coverage_totals(user, label=str(label)).compare(target),
        by_committee=[r.compare(target) for r in coverage_by_committee(user)],
        by_category=[r.compare(target) for r in coverage_by_category(user)],
    )


def missing_count(user, *, city: OrgUnit | None = None, category="") -> int | None:
    """How many branches `branches_missing_brand` lists, when a cached breakdown already
    knows it (no filter, one committee, or one category); None otherwise."""
    if city is None and not category:
        return coverage_totals(user).missing
    if city is not None and not category:
        rows = {r.unit.pk: r for r in coverage_by_committee(user) if r.unit is not None}
        row = rows.get(city.pk)
        # A unit that is not a committee of the scope, or one without branches in it.
        return row.missing if row is not None else None
    if city is None:
        rows = {r.category: r for r in coverage_by_category(user)}
        return rows[category].missing if category in rows else 0
    return None


def branches_missing_brand(user, *, city: OrgUnit | None = None, category="") -> QuerySet:
    """The drill-down: active branches in scope without a filed brand, with their secretary
    and committee, in tree order."""
    qs = (
        active_branches(user)
        .filter(~Exists(_filed_brand()))
        .select_related("secretary", "region")
        .annotate(committee_name=committee_name("path"))
        .order_by("path")
    )
    if city is not None:
        qs = qs.filter(path__startswith=city.path)
    if category:
        qs = qs.filter(category=category)
    return qs
