"""Compliance pages (按期开展情况): a branch's — this month, quarter and year, what is still
due — and a unit's, with drill-down (committee → its branches → a branch's page). Thin: check
the permission, call `selectors.compliance`, render."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_noop, ngettext

from branches.models import UnitType
from common.formats import local_datetime
from common.labels import blocktranslated, blocktranslated_count
from common.pagination import paginate
from common.reversing import pk_url
from workflow.windows import local_today

from ..selectors import areas
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
    figures = blocktranslated(gettext_noop("应开 %(req)s · 已开 %(held)s"))
    attendance = blocktranslated(gettext_noop("出席率 %(rate)s%%"))
    still = blocktranslated(gettext_noop("%(name)s %(n)s 次"))
    record_url = pk_url("ledger:record")
    attended = blocktranslated(gettext_noop("出席 %(p)s / 应到 %(n)s"))
    member_attended = blocktranslated(gettext_noop("出席 %(p)s / %(n)s 次（请假 %(l)s）"))
    return render(
        request,
        "ledger/compliance_branch.html",
        {
            "branch": unit,
            "month": month,
            "others": others,
            "still_due": [still(name=r.template.name, n=r.missing) for r in month.still_due],
            "cards": [_card(f, figures, attendance) for f in (month, *others)],
            "chosen": chosen,
            "spans": SPANS,
            "meetings": [
                (
                    r,
                    record_url(r.pk),
                    local_datetime(r.held_at, "%Y-%m-%d"),
                    attended(p=r.present, n=r.listed),
                )
                for r in selectors.meeting_attendance(unit, chosen)
            ],
            "members": [
                (m, member_attended(p=m["present"], n=m["listed"], l=m["leave"]))
                for m in selectors.member_attendance(unit, chosen)
            ],
        },
    )


def _card(figures, due_label, attendance_label) -> tuple:
    """(the span's figures, (row, "应开 … · 已开 …") of each row due, "出席率 …%" or "")."""
    rate = figures.attendance_rate
    return (
        figures,
        [(r, due_label(req=r.required, held=r.held)) for r in figures.due_rows],
        "" if rate is None else attendance_label(rate=rate),
    )


@login_required
def area(request, unit_pk=None):
    """A unit's compliance by the units below it. Without a unit: the highest unit where the
    reader holds a reading role (a secretary goes to their branch's page)."""
    unit = area_unit_or_404(request, unit_pk, "ledger.view_compliance")
    if unit.unit_type == UnitType.BRANCH:
        return redirect("ledger:compliance", unit.pk)
    span = _span(request)
    page, query = paginate(request, areas.area_children(request.user, unit), areas.AREA_PAGE_SIZE)
    rows = areas.area_compliance(request.user, unit, span, children=list(page))
    behind = drilled_row(request, rows)
    return render(
        request,
        "ledger/compliance_area.html",
        {
            "unit": unit,
            "rows": rows,
            "lines": _area_lines(rows),
            "span": span,
            "spans": SPANS,
            "behind": behind,
            "behind_lines": _still_due_lines(behind.behind) if behind else (),
            "page": page,
            "query": query,
        },
    )


# What the rows of the two pages write, formatted once per page in Python rather than by a
# `{% url %}` and two or three `{% blocktranslate %}` nodes per row (issue #19, a CPU budget per
# page): the same links, the same messages (common.labels), the same markup around them.


@dataclass(frozen=True)
class AreaLine:
    row: object  # areas.AreaRow
    url: str
    figures: str  # "应开 … · 已开 …"
    attendance: str  # "出席率 …%", "" without a rate
    behind: str  # "… 个支部未按期", "" for a branch or none behind
    badge: str  # the rate badge's classes


def _area_lines(rows) -> list[AreaLine]:
    # each row's link: reversed once for the page, not once per row
    branch_url, unit_url = pk_url("ledger:compliance"), pk_url("ledger:compliance_unit")
    figures = blocktranslated(gettext_noop("应开 %(req)s · 已开 %(held)s"))
    attendance = blocktranslated(gettext_noop("出席率 %(rate)s%%"))
    behind = blocktranslated_count(
        lambda n: ngettext("%(n)s 个支部未按期", "%(n)s 个支部未按期", n), "n"
    )
    lines = []
    for r in rows:
        rate, attendance_rate = r.rate, r.attendance_rate
        lines.append(
            AreaLine(
                r,
                (branch_url if r.is_branch else unit_url)(r.unit.pk),
                figures(req=r.required, held=r.held),
                "" if attendance_rate is None else attendance(rate=attendance_rate),
                behind(n=r.behind_count) if not r.is_branch and r.behind_count else "",
                _badge(rate),
            )
        )
    return lines


def _badge(rate) -> str:
    if rate is None:
        return ""
    return "bg-success" if rate >= 100 else "bg-warning text-dark"


def _still_due_lines(figures_list) -> list[tuple]:
    """(branch figures, its page's link, "name n 次" of each template still due)."""
    branch_url = pk_url("ledger:compliance")
    still = blocktranslated(gettext_noop("%(name)s %(n)s 次"))
    return [
        (
            b,
            branch_url(b.branch.pk),
            [still(name=r.template.name, n=r.missing) for r in b.still_due],
        )
        for b in figures_list
    ]
