"""The one rank story: which ranks of a published result a reader is shown. Every page and
file that shows a rank asks `rank_views` (or `rank_view`) and renders
`evaluation/_rank.html`, so a branch reads the same words everywhere.

The rule (domain brief, "rankings are for reviewers' insight, shown to branches with
restraint"):

* A reader with insight over the unit (an insight role held at the unit or above it:
  reviewer, province reviewer, flagship committee, administrator; or a superuser) sees every
  rank the period computed: within category, within region and province-wide.
* Anyone else who may read the result (the branch's secretary, its members) sees one figure:
  the branch's place among the published results of its own category, with the size of that
  category ("61/106"), like compared with like. Never the province or region rank, never
  another branch's place, and none for a voided result (一票否决: the result does not count,
  a last place would only add pressure).
"""

from dataclasses import dataclass

from django.db.models import Count

from branches.access import INSIGHT_ROLES, holds_role_over

from ..cache import cached_category_sizes
from ..models import Assessment, Status


@dataclass(frozen=True)
class RankView:
    """The ranks one reader is shown for one result. `full` readers get every rank; for the
    others `region` and `province` are always None."""

    category: int
    category_size: int
    category_label: str
    region: int | None = None
    province: int | None = None
    full: bool = False

    @property
    def text(self) -> str:
        """The figure as a branch reads it, the same on every page: "61/106"."""
        return f"{self.category}/{self.category_size}"


def sees_all_ranks(user, unit) -> bool:
    """The reader has insight over `unit` (see the module docstring). No query."""
    return bool(getattr(user, "is_superuser", False)) or holds_role_over(user, unit, *INSIGHT_ROLES)


def _category_sizes(assessments) -> dict[tuple[int, str], int]:
    """{(period id, category): published results} for the periods among `assessments`: from
    the cache (`evaluation.cache.cached_category_sizes`), else one aggregate query for the
    periods missing (none when no result is published)."""
    periods = {a.period_id for a in assessments if a.status == Status.PUBLISHED}
    if not periods:
        return {}

    def count(period_ids):
        rows = (
            Assessment.objects.filter(status=Status.PUBLISHED, period_id__in=period_ids)
            .values("period_id", "category")
            .annotate(n=Count("pk"))
            .order_by()
        )
        sizes = {}
        for r in rows:
            sizes.setdefault(r["period_id"], {})[r["category"]] = r["n"]
        return sizes

    by_period = cached_category_sizes(sorted(periods), count)
    return {
        (period_id, category): n
        for period_id, sizes in by_period.items()
        for category, n in sizes.items()
    }


def rank_views(user, assessments) -> dict[int, RankView]:
    """{assessment id: RankView} for the results `user` is shown a rank of, among
    `assessments` (each with its `unit` loaded); results without one are absent. One query
    for any number of results."""
    assessments = [a for a in assessments if a.status == Status.PUBLISHED and a.rank_category]
    sizes = _category_sizes(assessments)
    views = {}
    for a in assessments:
        full = sees_all_ranks(user, a.unit)
        if a.is_vetoed and not full:
            continue
        views[a.pk] = RankView(
            category=a.rank_category,
            category_size=sizes.get((a.period_id, a.category), 0),
            category_label=str(a.get_category_display() or ""),
            region=a.rank_region if full else None,
            province=a.rank_province if full else None,
            full=full,
        )
    return views


def rank_view(user, assessment) -> RankView | None:
    """The RankView of one result for `user`, or None when no rank is shown."""
    return rank_views(user, [assessment]).get(assessment.pk)
