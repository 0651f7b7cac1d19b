"""Reads of the brand showcase (品牌展示): the brand wall, one brand's public page and the "1+N"
clusters (a committee's brand with its branches' brands).

The showcase is open to every logged-in user, so these reads are deliberately not scoped to the
viewer's subtree; they only ever return approved brands (`SHOWCASE_STATUSES`)."""

from dataclasses import dataclass, field

from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When, Window
from django.db.models.functions import RowNumber, Substr

from branches.models import OrgUnit, UnitType

from ..models import BrandApplication, Level, Status

#: Approved brands: in implementation, in acceptance review, or built. Drafts, applications in
#: review, returned and rejected ones are never shown.
SHOWCASE_STATUSES = (Status.IMPLEMENTING, Status.ACCEPTANCE, Status.BUILT)

#: City and directly-affiliated committees sit at depth 2 (the province is the root), so the
#: first `COMMITTEE_KEY_LENGTH` characters of any unit's materialized path name its committee.
COMMITTEE_DEPTH = 2
COMMITTEE_KEY_LENGTH = OrgUnit.steplen * COMMITTEE_DEPTH
COMMITTEE_TYPES = (UnitType.CITY, UnitType.DIRECT)

#: How many branch brands a cluster lists before it links to the filtered wall instead.
CLUSTER_SIZE = 12


def committee_key(path_field: str):
    """The committee (city / directly-affiliated) path prefix of a unit path column."""
    return Substr(path_field, 1, COMMITTEE_KEY_LENGTH)


def committee_name(path_field: str):
    """A correlated subquery naming the committee above a unit path column (one join per row,
    no extra query)."""
    return Subquery(
        OrgUnit.objects.filter(path=committee_key(OuterRef(path_field))).values("name")[:1]
    )


def _display_order():
    """Provincial-level brands first, then built ones, then by name."""
    return [
        Case(When(level=Level.PROVINCIAL, then=Value(0)), default=Value(1)).asc(),
        Case(When(status=Status.BUILT, then=Value(0)), default=Value(1)).asc(),
        F("name").asc(),
        F("pk").asc(),
    ]


def showcase_brands() -> QuerySet[BrandApplication]:
    """Every approved brand, in wall order."""
    return (
        BrandApplication.objects.filter(status__in=SHOWCASE_STATUSES)
        .select_related("unit")
        .order_by(*_display_order())
    )


def showcase_committees() -> QuerySet[OrgUnit]:
    """The committees a viewer may filter the wall by (all of them: the wall is province-wide)."""
    return OrgUnit.objects.filter(unit_type__in=COMMITTEE_TYPES, is_active=True).order_by(
        "sort_order", "path"
    )


def filter_showcase(qs, *, q="", city=None, category="", brand_type="", level=""):
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(unit__name__icontains=q))
    if city is not None:
        qs = qs.filter(unit__path__startswith=city.path)
    if category:
        qs = qs.filter(unit__category=category)
    if brand_type:
        qs = qs.filter(brand_type=brand_type)
    if level:
        qs = qs.filter(level=level)
    return qs


def brand_wall(**filters) -> QuerySet[BrandApplication]:
    """The brand wall (品牌矩阵): approved brands, filtered, each with its committee's name."""
    return filter_showcase(showcase_brands(), **filters).annotate(
        committee_name=committee_name("unit__path")
    )


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

    @property
    def more(self) -> int:
        return self.member_count - len(self.members)


def brand_clusters(size: int = CLUSTER_SIZE) -> tuple[list[Cluster], int]:
    """The "1+N" clusters of every committee that has approved brands, in tree order, and the
    number of committees without any. Two queries whatever the size of the province: the
    committees, and the brands numbered within their committee by a window function so that
    only the first `size` per committee are fetched (the committee's own brand first)."""
    committees = list(showcase_committees())
    key = committee_key("unit__path")
    is_lead = Case(When(unit__depth=COMMITTEE_DEPTH, then=Value(0)), default=Value(1))
    brands = (
        BrandApplication.objects.filter(status__in=SHOWCASE_STATUSES, unit__depth__gte=2)
        .select_related("unit")
        .annotate(
            committee_path=key,
            is_lead=is_lead,
            position=Window(
                RowNumber(),
                partition_by=[key],
                order_by=[is_lead.asc(), *_display_order()],
            ),
            in_committee=Window(Count("pk"), partition_by=[key]),
        )
        .filter(position__lte=size + 1)
        .order_by("committee_path", "position")
    )
    by_path = {c.path: Cluster(committee=c) for c in committees}
    for brand in brands:
        cluster = by_path.get(brand.committee_path)
        if cluster is None:
            continue  # a branch directly under the province, or an inactive committee
        if brand.is_lead == 0:
            cluster.lead = brand  # position 1 of its partition, so it comes first
        elif len(cluster.members) < size:
            cluster.members.append(brand)
        cluster.member_count = brand.in_committee - (cluster.lead is not None)
    clusters = [c for c in by_path.values() if c.lead or c.members]
    return clusters, len(committees) - len(clusters)
