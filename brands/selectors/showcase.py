"""Reads of the brand showcase (品牌展示): the brand wall, one brand's public page and the "1+N"
clusters (a committee's brand with its branches' brands).

The showcase is open to every logged-in user, so these reads are deliberately not scoped to the
viewer's subtree; they only ever return approved brands (`SHOWCASE_STATUSES`).

Scale: the wall's pages are read off an index in display order (`brand_wall_order`), never by
sorting every approved brand; a cluster fetches its first brands the same way, per committee;
the number of approved brands per committee (a scan) is cached until a brand enters or leaves
the showcase (`brands.cache.SHOWCASE`). A committee whose own "1" brand has gathered its
cluster (brands/clusters.py) shows the gathered brands as its "N"."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber

from branches.models import CITY_COMMITTEE_TYPES, OrgUnit
from branches.selectors import COMMITTEE_DEPTH, COMMITTEE_PATH_LEN, committee_key, committee_name

from .. import cache
from ..clusters import clusters_for_showcase
from ..models import SHOWCASE_STATUSES, BrandApplication, Level, Status, showcase_order
from .applications import filter_brands

#: City and directly-affiliated committees sit at depth 2 (the province is the root), so the
#: first `COMMITTEE_KEY_LENGTH` characters of any unit's materialized path name its committee
#: (`committee_key`, `committee_name`: the tree's, in branches.selectors).
COMMITTEE_KEY_LENGTH = COMMITTEE_PATH_LEN

#: How many branch brands a cluster lists before it links to the filtered wall instead.
CLUSTER_SIZE = 12


def _display_order():
    """Provincial-level brands first, then built ones, then by name (the index's order)."""
    return [expression.asc() for expression in showcase_order()]


def showcase_brands() -> QuerySet[BrandApplication]:
    """Every approved brand, in wall order."""
    return (
        BrandApplication.objects.filter(status__in=SHOWCASE_STATUSES)
        .select_related("unit")
        .order_by(*_display_order())
    )


def showcase_committees() -> QuerySet[OrgUnit]:
    """The committees a viewer may filter the wall by (all of them: the wall is province-wide)."""
    return OrgUnit.objects.filter(unit_type__in=CITY_COMMITTEE_TYPES, is_active=True).order_by(
        "sort_order", "path"
    )


def filter_showcase(qs, *, level="", **brand_filters):
    qs = filter_brands(qs, **brand_filters)
    if level:
        qs = qs.filter(level=level)
    return qs


def brand_wall(**filters) -> QuerySet[BrandApplication]:
    """The brand wall (品牌矩阵): approved brands, filtered, each with its committee's name."""
    return filter_showcase(showcase_brands(), **filters).annotate(
        committee_name=committee_name("unit__path")
    )


def showcase_counts() -> dict[str, int]:
    """Approved brands per committee path prefix (brands of units above the committees under
    their own shorter path): one grouped count, cached until the showcase or the tree
    changes."""

    def compute():
        rows = (
            BrandApplication.objects.filter(status__in=SHOWCASE_STATUSES)
            .values(committee_path=committee_key("unit__path"))
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {r["committee_path"]: r["n"] for r in rows}

    return cache.cached(cache.SHOWCASE, "counts", [], compute)


def brand_wall_count(**filters) -> int | None:
    """The wall's size when the cached counts know it (unfiltered, or one committee); None
    when it has to be counted."""
    city = filters.pop("city", None)
    if any(filters.values()):
        return None
    counts = showcase_counts()
    if city is None:
        return sum(counts.values())
    if len(city.path) == COMMITTEE_KEY_LENGTH:
        return counts.get(city.path, 0)
    return None


def showcase_brand(pk) -> BrandApplication | None:
    """One approved brand for its public page, or None if it is not (or no longer) shown."""
    return (
        showcase_brands()
        .select_related("unit__region")
        .annotate(committee_name=committee_name("unit__path"))
        .filter(pk=pk)
        .first()
    )


def brand_activities(application):
    return application.activities.select_related("created_by").prefetch_related("photos")


def brand_publications(application):
    return application.publications.all()


@dataclass
class Cluster:
    """A "1+N" brand cluster: the committee's own brand (the "1", if it has one) and the
    brands of the branches under it (the "N")."""

    committee: OrgUnit
    lead: BrandApplication | None = None
    members: list[BrandApplication] = field(default_factory=list)
    member_count: int = 0
    #: The lead gathered its "N" itself (brands/clusters.py): the members are those, not
    #: every approved brand under the committee.
    gathered: bool = False

    @property
    def more(self) -> int:
        return self.member_count - len(self.members)


def brand_clusters(size: int = CLUSTER_SIZE) -> tuple[list[Cluster], int]:
    """The "1+N" clusters of every committee that has approved brands, in tree order, and the
    number of committees without any. Two queries whatever the size of the province: the
    committees, and the brands (each committee's own and the first `size` of its branches');
    the brands per committee come from the cached counts (a third query while not cached)."""
    committees = list(showcase_committees())
    counts = showcase_counts()
    by_path = {c.path: Cluster(committee=c) for c in committees if counts.get(c.path)}
    shown = [cluster.committee for cluster in by_path.values()]
    for brand in _cluster_brands(shown, size) if shown else []:
        cluster = by_path.get(brand.unit.path[:COMMITTEE_KEY_LENGTH])
        if cluster is None:
            continue
        if brand.unit.depth == COMMITTEE_DEPTH:
            cluster.lead = brand
        elif len(cluster.members) < size:
            cluster.members.append(brand)
    clusters = []
    for path, cluster in by_path.items():
        cluster.members.sort(key=_wall_position)  # a UNION's rows come in no set order
        cluster.member_count = counts[path] - (cluster.lead is not None)
        if cluster.lead or cluster.members:
            clusters.append(cluster)
    _use_gathered([c for c in clusters if c.lead], size)
    return clusters, len(committees) - len(clusters)


def _use_gathered(led: list[Cluster], size: int):
    """A committee whose "1" brand has gathered its cluster (brands/clusters.py) shows the
    gathered brands instead of every brand under it: one query, only when a committee has a
    brand of its own."""
    if not led:
        return
    gathered = clusters_for_showcase([c.lead for c in led])
    for cluster in led:
        members = gathered.get(cluster.lead.pk)
        if members:
            cluster.members = members[:size]
            cluster.member_count = len(members)
            cluster.gathered = True


def _cluster_brands(committees: list[OrgUnit], size: int):
    """The committees' own brands and the first `size` brands under each, in one query.

    Where the database allows LIMIT in the parts of a UNION (PostgreSQL), one part per
    committee reads its first `size` brands off the wall's index: a few hundred index entries
    at most, whatever the size of the province. Elsewhere (the embedded SQLite of development)
    a window function numbers every approved brand within its committee instead — a pass over
    all of them, fine at the sizes SQLite serves."""
    if connection.features.supports_slicing_ordering_in_compound:
        brands = showcase_brands()
        members = brands.filter(unit__depth__gt=COMMITTEE_DEPTH)
        parts = [members.filter(unit__path__startswith=c.path)[:size] for c in committees]
        return brands.filter(unit__in=committees).union(*parts, all=True)
    key = committee_key("unit__path")
    is_lead = Case(When(unit__depth=COMMITTEE_DEPTH, then=Value(0)), default=Value(1))
    return (
        showcase_brands()
        .filter(unit__depth__gte=COMMITTEE_DEPTH)
        .alias(
            position=Window(
                RowNumber(), partition_by=[key], order_by=[is_lead.asc(), *_display_order()]
            )
        )
        .filter(position__lte=size + 1)
    )


def _wall_position(brand):
    """`showcase_order` in Python, for brands already fetched."""
    return (brand.level != Level.PROVINCIAL, brand.status != Status.BUILT, brand.name, brand.pk)
