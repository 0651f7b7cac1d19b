"""The unit a ledger page is about, looked up and permission-checked in one place: a branch's
pages (roster, records, work list; the party groups' pioneer posts too) and the overviews
that start from the highest unit where the reader holds a reading role."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from branches.access import assignments
from branches.models import OrgUnit, UnitType

from ..rules import ROSTER_READERS


def unit_or_404(request, pk, perm, **filters) -> OrgUnit:
    """The unit `pk` (404 if none matches `filters`); 403 unless the user holds `perm` on it."""
    unit = get_object_or_404(OrgUnit, pk=pk, **filters)
    if not request.user.has_perm(perm, unit):
        raise PermissionDenied
    return unit


def branch_or_404(request, pk, perm="ledger.view_roster") -> OrgUnit:
    return unit_or_404(request, pk, perm, unit_type=UnitType.BRANCH)


def area_unit_or_404(request, pk, perm) -> OrgUnit:
    """The unit an overview is about: `pk`, or without one the highest unit where the reader
    holds a reading role (403 if none); 403 unless the user holds `perm` on it."""
    if pk is None:
        held = sorted(
            (ra.unit for ra in assignments(request.user, *ROSTER_READERS)), key=lambda u: u.depth
        )
        if not held:
            raise PermissionDenied
        pk = held[0].pk
    return unit_or_404(request, pk, perm)


def drilled_row(request, rows):
    """The overview's row the reader drilled into (?behind=<unit pk>), or None."""
    behind_of = request.GET.get("behind")
    return next((r for r in rows if str(r.unit.pk) == behind_of), None)
