"""Reads of the awards: the published list, one honour with its obligations, and the badge
other pages can show (`honours_for_units`; `honoured_unit_ids` when only who holds one matters)."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from ..models import Honour, HonourKind, HonourStatus


@dataclass(frozen=True)
class HonourBadge:
    """What a badge needs: enough for "旗舰品牌示范基地 · 2027—2028年度 · 有效期至 2030-12-31"."""

    honour_id: int
    kind: str
    label: str
    cycle: str
    valid_until: str

    @property
    def is_base(self) -> bool:
        return self.kind == HonourKind.BASE


def honours_for_units(unit_ids, today=None) -> dict[int, list[HonourBadge]]:
    """{unit id: its valid flagship honours, bases first} in one query, for any list page
    (the brand wall, the branch page). Units without a valid honour are absent."""
    today = today or timezone.localdate()
    badges: dict[int, list[HonourBadge]] = {}
    rows = (
        Honour.objects.filter(
            unit_id__in=list(unit_ids), status=HonourStatus.ACTIVE, valid_until__gte=today
        )
        .select_related("cycle")
        .order_by("unit_id", "kind", "-valid_until")
    )
    for h in rows:
        badges.setdefault(h.unit_id, []).append(
            HonourBadge(
                honour_id=h.pk,
                kind=h.kind,
                label=str(h.get_kind_display()),
                cycle=str(h.cycle),
                valid_until=h.valid_until.isoformat(),
            )
        )
    return badges


def honoured_unit_ids(unit_ids, today=None) -> set[int]:
    """The units among `unit_ids` that hold a valid flagship honour (the keys of
    `honours_for_units`), in one query without building the badges: what eligibility reads."""
    today = today or timezone.localdate()
    return set(
        Honour.objects.filter(
            unit_id__in=list(unit_ids), status=HonourStatus.ACTIVE, valid_until__gte=today
        )
        .order_by()
        .values_list("unit_id", flat=True)
    )


def awards(cycle) -> QuerySet[Honour]:
    """A cycle's published honours: bases first, then units by committee rank."""
    return (
        Honour.objects.filter(cycle=cycle)
        .select_related("unit", "candidacy", "candidacy__brand", "cycle")
        .order_by("kind", "candidacy__unit_rank", "pk")
    )


def all_honours(*, status="", kind="", q="") -> QuerySet[Honour]:
    qs = Honour.objects.select_related("unit", "cycle", "candidacy__brand")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(unit__name__icontains=q)
    return qs.order_by("-cycle__year_start", "kind", "candidacy__unit_rank", "pk")


def obligations_of(honour):
    return honour.obligations.select_related("fulfilled_by").order_by("due_on", "pk")
