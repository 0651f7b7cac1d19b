"""Reads of periods and of the assessments in them, always within the reader's subtree."""

from django.db.models import Count, Q, QuerySet

from branches.access import REVIEWER_ROLES, assignments, reviewing_subtrees
from branches.models import COMMITTEE_TYPES, OrgUnit, Role, UnitType
from branches.selectors import (
    ALL,
    COMMITTEE_DEPTH,
    scope_filter,
    scope_paths,
    units_visible_to,
)

from .. import cache
from ..models import Assessment, AssessmentPeriod, PeriodPublication, Status
from ..windows import fill_not_closed

STEP = OrgUnit.steplen
BY_COMMITTEE = {"committee_field": "committee"}  # see Assessment.committee


def _ancestor_paths(path: str) -> list[str]:
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


def periods_visible_to(user) -> QuerySet[AssessmentPeriod]:
    """Periods whose scope overlaps the user's subtrees: periods of units below them, and
    periods of the units above them (a province-wide period concerns every branch)."""
    qs = AssessmentPeriod.objects.select_related("table_version__table", "scope")
    paths = scope_paths(user)
    if ALL in paths:
        return qs
    if not paths:
        return qs.none()
    condition = Q(pk__in=[])
    for p in paths:
        condition |= Q(scope__path__startswith=p) | Q(scope__path__in=_ancestor_paths(p))
    return qs.filter(condition)


def filter_periods(qs, *, kind="", year=None, table=None, q=""):
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(starts_on__year=year)
    if table is not None:
        qs = qs.filter(table_version__table=table)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


def progress_by_period(user, periods) -> dict[int, dict[str, int]]:
    """Per period, how many assessments in the user's subtree are in each status, plus
    "total" and "handed_in": cached per period and scope (`evaluation.cache`), the periods not
    cached counted in one aggregate query."""
    ids = [p if isinstance(p, int) else p.pk for p in periods]
    return cache.cached_progress(ids, scope_paths(user), lambda missing: _count(user, missing))


def published_count(user, period) -> int:
    """How many published results of the period lie in the user's subtree (cached)."""
    return progress_by_period(user, [period.pk]).get(period.pk, {}).get(Status.PUBLISHED, 0)


def _count(user, period_ids) -> dict[int, dict[str, int]]:
    rows = (
        scope_filter(Assessment.objects.filter(period__in=period_ids), user, **BY_COMMITTEE)
        .values("period_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        result.setdefault(row["period_id"], {})[row["status"]] = row["n"]
    handed_in = (Status.SUBMITTED, Status.REVIEWED, Status.PUBLISHED)
    for counts in result.values():
        counts["total"] = sum(counts.values())
        counts["handed_in"] = sum(counts.get(s, 0) for s in handed_in)
    return result


def scoped(user, period, queryset) -> QuerySet[Assessment]:
    """`queryset` (the period's assessments) within the user's subtree, with no join with the
    org tree for the readers who matter most, so the rank order and the paging read off the
    assessment indexes alone: a reader who sees the whole province (a role at the root) needs
    no filter, a committee's reader filters on the assessments' own `committee` column."""
    paths = scope_paths(user)
    if any(p == ALL or (len(p) == STEP and period.scope.path.startswith(p)) for p in paths):
        return queryset
    return scope_filter(queryset, user, **BY_COMMITTEE)


def assessments_in(user, period) -> QuerySet[Assessment]:
    return scoped(user, period, period.assessments.all()).select_related("unit", "region")


def filter_assessments(qs, *, q="", status="", category="", region=None, committee=None):
    if q:
        qs = qs.filter(Q(unit__name__icontains=q) | Q(unit__code__iexact=q))
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if region is not None:
        qs = qs.filter(region=region)
    if committee is not None:
        qs = qs.filter(committee=committee)
    return qs


def review_queue(user) -> QuerySet[Assessment]:
    """Submitted assessments within the subtrees where the user reviews, longest waiting
    first."""
    units = reviewing_subtrees(user)
    if not units:
        return Assessment.objects.none()
    condition = Q(pk__in=[])
    for unit in units:
        condition |= Q(unit__path__startswith=unit.path)
    return (
        Assessment.objects.filter(condition, status=Status.SUBMITTED)
        .select_related("unit", "period", "period__table_version__table")
        .order_by("submitted_at", "pk")
    )


def own_assessments(user) -> QuerySet[Assessment]:
    """What the secretary's units have to fill: editable, in periods whose window has not
    closed, soonest deadline first."""
    paths = [ra.unit.path for ra in assignments(user, Role.SECRETARY)]
    if not paths:
        return Assessment.objects.none()
    condition = Q(pk__in=[])
    for p in paths:
        condition |= Q(unit__path__startswith=p)
    return (
        Assessment.objects.filter(
            condition,
            fill_not_closed(prefix="period__"),
            status__in=[Status.DRAFT, Status.RETURNED, Status.SUBMITTED],
            period__is_aggregate=False,
        )
        .select_related("unit", "period", "period__table_version__table")
        .order_by("period__closes_on", "unit__path")
    )


def publishing_units(user, period) -> list[OrgUnit]:
    """The units for which this user may publish results of this period: the committees
    where they review (city/direct), or the period's scope for the province reviewer."""
    scope = period.scope.path
    committees = (UnitType.CITY, UnitType.DIRECT)
    units = []
    for ra in assignments(user, *REVIEWER_ROLES):
        path = ra.unit.path
        overlaps = path.startswith(scope) or scope.startswith(path)
        publishes = ra.role == Role.PROVINCE_REVIEWER or (
            ra.role == Role.REVIEWER and ra.unit.unit_type in committees
        )
        if not (publishes and overlaps):
            continue
        # the province publishes the whole period; a committee its own subtree
        whole = ra.role == Role.PROVINCE_REVIEWER and scope.startswith(path)
        units.append(period.scope if whole else ra.unit)
    return list({u.pk: u for u in units}.values())


def publications(period) -> QuerySet[PeriodPublication]:
    return period.publications.select_related("unit", "published_by")


def committees_visible_to(user) -> QuerySet[OrgUnit]:
    """The committees (at the depth `Assessment.committee` records) the user can filter by."""
    return units_visible_to(user).filter(
        unit_type__in=[UnitType.CITY, UnitType.DIRECT], depth=COMMITTEE_DEPTH
    )


#: The units a period can be scoped to: the province and its committees. Evaluation is run by
#: them; a general branch or a branch is a unit assessed, not a campaign of its own.
PERIOD_SCOPE_TYPES = COMMITTEE_TYPES


def period_scopes(user) -> QuerySet[OrgUnit]:
    """The choices of a period's 考评范围 (scope): the active province and committees within
    the user's subtrees, in tree order."""
    return (
        units_visible_to(user)
        .filter(unit_type__in=PERIOD_SCOPE_TYPES, is_active=True)
        .order_by("path")
    )
