"""Compliance pages (按期开展情况): a branch's — this month, quarter and year, what is still
due — and a unit's, with drill-down (committee → its branches → a branch's page). Thin: check
the permission, call `selectors.compliance`, render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from branches.models import UnitType
from common.pagination import paginate
from common.reversing import pk_url
from workflow.windows import local_today

from ..selectors import compliance as selectors
from ..spans import Span
from .units import area_unit_or_404, branch_or_404, drilled_row

SPANS = ("month", "quarter", "year")


def _span(request) -> Span:
    kind = request.GET.get("span")
    return Span.named(kind if kind in SPANS else "month", local_today())


@login_required
def branch(request, branch_pk):
    unit = branch_or_404(request, branch_pk, "ledger.view_compliance")
    today = local_today()
    spans = [Span.named(kind, today) for kind in SPANS]
    chosen = _span(request)
    month, *others = selectors.branch_page_in(unit, spans)  # one count for the three
    return render(
        request,
        "ledger/compliance_branch.html",
        {
            "branch": unit,
            "month": month,
            "others": others,
            "chosen": chosen,
            "spans": SPANS,
            "meetings": selectors.meeting_attendance(unit, chosen),
            "members": selectors.member_attendance(unit, chosen),
        },
    )


@login_required
def area(request, unit_pk=None):
    """A unit's compliance by the units below it. Without a unit: the highest unit where the
    reader holds a reading role (a secretary goes to their branch's page)."""
    unit = area_unit_or_404(request, unit_pk, "ledger.view_compliance")
    if unit.unit_type == UnitType.BRANCH:
        return redirect("ledger:compliance", unit.pk)
    span = _span(request)
    page, query = paginate(
        request, selectors.area_children(request.user, unit), selectors.AREA_PAGE_SIZE
    )
    rows = selectors.area_compliance(request.user, unit, span, children=list(page))
    behind = drilled_row(request, rows)
    # each row's link: reversed once for the page, not once per row
    branch_url, unit_url = pk_url("ledger:compliance"), pk_url("ledger:compliance_unit")
    return render(
        request,
        "ledger/compliance_area.html",
        {
            "unit": unit,
            "rows": rows,
            "linked": [(r, (branch_url if r.is_branch else unit_url)(r.unit.pk)) for r in rows],
            "span": span,
            "spans": SPANS,
            "behind": behind,
            "page": page,
            "query": query,
        },
    )
