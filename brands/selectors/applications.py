"""Reads of brand applications: scoped lists, the review queue, timelines and revision diffs."""

import difflib
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.access import review_levels, unit_ids_with_role
from branches.models import OrgUnit, Role
from branches.selectors import scope_filter, scope_paths

from .. import cache
from ..models import BrandApplication, BrandType, Level, Status
from ..rules import BRAND_FILER_TYPES, BRAND_HOLDER_TYPES, may_hold_brand

FIELD_LABELS = {
    "name": _("品牌名称"),
    "logo": _("品牌标识"),
    "slogan": _("品牌传播语"),
    "brand_type": _("创建类型"),
    "core_idea": _("核心理念"),
    "goal": _("建设目标"),
    "measures": _("创建举措"),
    "results": _("创建成效"),
    "attachments": _("附件"),
}


#: What a list row never shows: the long texts of the six elements (loaded per row for nothing).
LIST_DEFERRED = ("slogan", "core_idea", "goal", "measures", "results")


def _listing(queryset):
    """Rows of the application lists: with their branch and current level, without the texts."""
    return queryset.select_related("unit", "current_level").defer(*LIST_DEFERRED)


def applications_visible_to(user) -> QuerySet[BrandApplication]:
    return _listing(scope_filter(BrandApplication.objects.all(), user))


def application_count(user) -> int:
    """How many applications the user's scope holds (the unfiltered list's page count): a
    count over the scope, cached until an application is created or the tree changes."""
    return cache.cached(
        cache.APPLICATIONS,
        "count",
        scope_paths(user),
        lambda: scope_filter(BrandApplication.objects.all(), user).count(),
    )


def filter_brands(qs, *, q="", city=None, category="", brand_type=""):
    """The filters every list of brands offers (`brands.forms.BrandFilterForm`): a name of the
    brand or its branch, a committee's subtree, the branch's category, the brand's type."""
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(unit__name__icontains=q))
    if city is not None:
        qs = qs.filter(unit__path__startswith=city.path)
    if category:
        qs = qs.filter(unit__category=category)
    if brand_type:
        qs = qs.filter(brand_type=brand_type)
    return qs


def filter_applications(qs, *, status="", min_waiting_days=None, **brand_filters):
    qs = filter_brands(qs, **brand_filters)
    if status:
        qs = qs.filter(status=status)
    if min_waiting_days:
        qs = qs.filter(submitted_at__lte=timezone.now() - timedelta(days=min_waiting_days))
    return qs


def review_queue(user, **filters) -> QuerySet[BrandApplication]:
    """What waits at the levels where this user reviews, within their subtree, longest
    waiting first."""
    qs = applications_visible_to(user).filter(
        status=Status.IN_REVIEW, current_level_id__in=review_levels(user)
    )
    return filter_applications(qs, **filters).order_by("submitted_at", "pk")


#: What a row of the review queue shows (and the version it posts back): the rest of an
#: application, its current level's unit and its texts, stay in the database.
QUEUE_ROW_FIELDS = (
    "name",
    "status",
    "current_level",
    "revision_number",
    "brand_type",
    "submitted_at",
    "unit__name",
    "unit__category",
)


def review_queue_rows(user, **filters) -> QuerySet[BrandApplication]:
    """`review_queue` with only what the queue page shows of each application. Same rows,
    same order."""
    return (
        review_queue(user, **filters)
        .select_related(None)
        .select_related("unit")
        .only(*QUEUE_ROW_FIELDS)
    )


def review_queue_count(user) -> int:
    """How many applications wait at this user's levels (the unfiltered queue's size), read
    off the queue's partial index alone. The subtree check `review_queue` adds is implied: a
    level is taken from the application's approval chain, i.e. one of its branch's ancestors,
    and the user holds a role there. Cached per set of levels until an application enters,
    leaves or moves within the review (`cache.QUEUE`)."""
    levels = sorted(review_levels(user))
    if not levels:
        return 0
    return cache.cached(
        cache.QUEUE,
        "queue",
        [str(level) for level in levels],
        lambda: BrandApplication.objects.filter(
            status=Status.IN_REVIEW, current_level_id__in=levels
        ).count(),
    )


def own_units(user) -> QuerySet[OrgUnit]:
    """The units where the user is secretary that may file a brand (`rules.may_file_brand`:
    党支部, 党总支, and a committee's "1" brand), in tree order: the ones the 品牌创建 page
    offers to file for."""
    return OrgUnit.objects.filter(
        pk__in=unit_ids_with_role(user, Role.SECRETARY), unit_type__in=BRAND_FILER_TYPES
    ).order_by("path")


def live_applications() -> QuerySet[BrandApplication]:
    """Applications that are not rejected: a unit holds at most one (a constraint)."""
    return BrandApplication.objects.exclude(status=Status.REJECTED)


def live_application_for(unit) -> BrandApplication | None:
    return live_applications().filter(unit=unit).first()


def units_with_live_application():
    """The ids of the units that have a live brand application (any but rejected), as a
    subquery for another app's filter (e.g. the tier-1 brand invitation, shown until one is
    filed)."""
    return BrandApplication.objects.exclude(status=Status.REJECTED).values("unit_id")


def built_application_for(unit) -> BrandApplication | None:
    """The unit's built brand (建成), if it has one (flagship eligibility)."""
    return BrandApplication.objects.filter(unit=unit, status=Status.BUILT).first()


def recent_activities(application, *, since=None, limit: int):
    """The brand's latest `limit` activities (newest first), optionally from `since` on."""
    activities = application.activities.all()
    if since is not None:
        activities = activities.filter(date__gte=since)
    return activities.order_by("-date", "-pk")[:limit]


def _segments(old: str, new: str):
    """Character-level diff of two texts as (old segments, new segments) of (text, changed)."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    left, right = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left.append((old[i1:i2], False))
            right.append((new[j1:j2], False))
        else:
            if i2 > i1:
                left.append((old[i1:i2], True))
            if j2 > j1:
                right.append((new[j1:j2], True))
    return left, right


def _as_text(field, value):
    if field in ("measures", "attachments"):
        return "\n".join(f"{i}. {v}" for i, v in enumerate(value or [], 1))
    if field == "brand_type":
        return str(BrandType(value).label) if value in BrandType.values else ""
    if field == "logo":
        return _("（已更换标识）") if value else ""
    return str(value or "")


def revision_diff(old: dict, new: dict) -> list[dict]:
    """Side-by-side comparison of two revision snapshots, one row per element."""
    rows = []
    for field, label in FIELD_LABELS.items():
        a, b = old.get(field), new.get(field)
        changed = a != b
        if field == "logo":
            text_a, text_b = (_("原标识"), _("新标识")) if changed else ("", "")
        else:
            text_a, text_b = _as_text(field, a), _as_text(field, b)
        left, right = (
            _segments(text_a, text_b) if changed else ([(text_a, False)], [(text_b, False)])
        )
        rows.append({"field": field, "label": label, "changed": changed, "old": left, "new": right})
    return rows


def revision_content(snapshot: dict) -> list[tuple[str, str, list[str] | str]]:
    """A submitted revision read back, one (field, label, value) per element: lists
    (measures, attachment names) as lists, the rest as text. The logo is not listed: only
    the current one is kept as a file."""
    rows = []
    for field, label in FIELD_LABELS.items():
        value = snapshot.get(field)
        if field == "logo":
            continue
        if field in ("measures", "attachments"):
            rows.append((field, label, [str(v) for v in value or []]))
        else:
            rows.append((field, label, _as_text(field, value)))
    return rows


def diff_since_return(application, revisions=None) -> tuple[int, int, list[dict]] | None:
    """After a return and resubmission: what changed between the returned revision and the
    current one (the version the reviewer saw versus the version now before them).
    `revisions`: the application's revisions newest first, when the page has read them."""
    if revisions is None:
        revisions = application.revisions.order_by("-number")
    revisions = list(revisions[:2])
    if len(revisions) < 2:
        return None
    new, old = revisions
    return old.number, new.number, revision_diff(old.snapshot, new.snapshot)


def built_unit_ids(unit_ids) -> set[int]:
    """Which of these units have a built brand (建成): one query, for checks over many
    branches at once (flagship eligibility on the dashboard)."""
    return set(
        BrandApplication.objects.filter(
            unit_id__in=list(unit_ids), status=Status.BUILT
        ).values_list("unit_id", flat=True)
    )


def provincial_candidates() -> QuerySet[BrandApplication]:
    """Brands that may be proposed as 省公司级品牌 (selection's round): built (建成), not
    provincial yet, and a 支部品牌 — held by a 党支部 or 党总支 (`rules.may_hold_brand`; seed
    000's "省公司级的24家支部品牌"), so a committee's "1" brand of a 1+N cluster is not one;
    with their unit; the caller restricts them to a committee's subtree."""
    return BrandApplication.objects.filter(
        status=Status.BUILT, level=Level.BRANCH, unit__unit_type__in=BRAND_HOLDER_TYPES
    ).select_related("unit")


def is_provincial_candidate(application) -> bool:
    return (
        application.status == Status.BUILT
        and application.level == Level.BRANCH
        and may_hold_brand(application.unit)
    )
