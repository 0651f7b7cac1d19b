"""Online rules that read the branch's ledger (台账, issue #16), registered in `online.RULES`
when `evaluation.online` is imported: meetings held against the work templates (one rule per
grouping named in the documents: 三会一课, 主题党日, 组织生活会…, `LEDGER_MEETING_RULES`),
attendance, records kept complete. They read nothing but `facts.ledger`
(`ledger.selectors.scoring`) and the indicator; the records a score counted travel with it as
`LedgerRecords` for the pages to link."""

from decimal import Decimal
from functools import partial

from django.utils.translation import gettext_lazy as _lazy

from ledger.kinds import MeetingKind as K

from .online import _BATCH, LedgerRecords, Online, _, _dates, _share, rule

# --- the branch's ledger (台账) ----------------------------------------------------------------

#: 三会一课: the branch assembly, the committee meeting, the group meeting and the party lecture.
THREE_ONE = (K.BRANCH_ASSEMBLY, K.COMMITTEE_MEETING, K.GROUP_MEETING, K.PARTY_LECTURE)
#: Rule code → (label, the template kinds it counts; None: every template due).
LEDGER_MEETING_RULES = {
    "ledger_meetings": (_lazy("台账：各类会议按期开展（应开/已开）"), None),
    "ledger_three_one": (_lazy("台账：“三会一课”按期开展"), THREE_ONE),
    "ledger_theme_day": (_lazy("台账：主题党日按期开展"), (K.THEME_DAY,)),
    "ledger_decisions": (
        _lazy("台账：支委会、支部党员大会按期召开"),
        (K.COMMITTEE_MEETING, K.BRANCH_ASSEMBLY),
    ),
    "ledger_group_meetings": (_lazy("台账：党小组会按期召开（每个党小组）"), (K.GROUP_MEETING,)),
    "ledger_annual_meetings": (
        _lazy("台账：组织生活会、民主评议党员"),
        (K.LIFE_MEETING, K.MEMBER_REVIEW),
    ),
    "ledger_life_and_talks": (_lazy("台账：组织生活会、谈心谈话"), (K.LIFE_MEETING, K.HEART_TALK)),
    "ledger_member_review": (_lazy("台账：民主评议党员"), (K.MEMBER_REVIEW,)),
}
#: Attendance at or above this rate earns full points; below, points fall linearly to 0.
FULL_ATTENDANCE = Decimal("0.9")


def ledger_records(figures, refs, kinds=None, *, recorded_only=True) -> LedgerRecords | None:
    """The records behind a ledger score, by date, for the pages (None when there are none).
    The full list runs over the figures' dates, from the earliest record counted when a
    frequency period began before them (a quarter's 党课 counted in March)."""
    refs = tuple(sorted(refs, key=lambda r: (r.date, r.pk)))
    if not refs:
        return None
    since = min(d for d in (figures.start, refs[0].date) if d is not None)
    until = figures.end or refs[-1].date
    return LedgerRecords(refs, since, until, tuple(kinds or ()), recorded_only)


def meetings_score(figures, kinds, maximum: Decimal) -> Online:
    """Full points when every meeting due in the period was held, the held share otherwise;
    full points too when none fell due (nothing was missed). The basis names each template's
    count and the dates of the meetings counted; `records`, the meetings themselves."""
    rows = [m for m in figures.meetings if m.required and (kinds is None or m.kind in kinds)]
    if not rows:
        return Online(maximum, _("系统评分（台账）：本期没有到期应开的会议，不扣分。"))
    required = sum(m.required for m in rows)
    held = sum(min(m.held, m.required) for m in rows)
    return Online(
        _share(maximum, Decimal(held) / Decimal(required)),
        partial(_meetings_basis, rows),
        _records_of(figures, [m.records for m in rows if m.records], kinds),
    )


def _meetings_basis(rows) -> str:
    parts = []
    for m in rows:
        text = _("应开%(name)s %(required)d 次，已开 %(held)d 次") % {
            "name": m.name,
            "required": m.required,
            "held": m.held,
        }
        parts.append(text + (_("（%(dates)s）") % {"dates": _dates(m.dates)} if m.dates else ""))
    return _("系统评分（台账）：本期%(parts)s。") % {"parts": "；".join(parts)}


def _records_of(figures, refs, kinds=None, *, recorded_only=True):
    """`ledger_records` of these groups of refs, when first read; None without any."""
    if not any(refs):
        return None
    return partial(
        ledger_records,
        figures,
        [r for group in refs for r in group],
        kinds,
        recorded_only=recorded_only,
    )


def _register_meeting_rule(code, label, kinds):
    @rule(code, label)
    def compute(facts, indicator) -> Online:
        figures = facts.ledger
        batch = _BATCH.get()
        if batch is None or figures.records:  # one unit, or with the records: one each
            return meetings_score(figures, kinds, indicator.max_points)
        # a meeting rule reads the meetings (and the batch's period): within a batch, the
        # branches handed the same `meetings` object share its result
        key = (code, indicator.max_points, id(figures.meetings))
        scored = batch.shared.get(key)
        if scored is None:
            scored = batch.shared[key] = meetings_score(figures, kinds, indicator.max_points)
            batch.alive.append(figures.meetings)  # its id stays its own for the batch
        return scored

    return compute


for _code, (_label, _kinds) in LEDGER_MEETING_RULES.items():
    _register_meeting_rule(_code, _label, _kinds)


@rule("ledger_attendance", _lazy("台账：党员出席率（90%及以上得满分）"))
def ledger_attendance(facts, indicator) -> Online:
    """Present / listed over the period's recorded meetings (leave is not presence): 90 % or
    more earns full points, below that the points fall linearly to none at 0 %."""
    figures = facts.ledger
    if not figures.attendance_listed:
        return Online(Decimal(0), _("系统评分（台账）：本期没有已记录出席情况的会议。"))
    rate = Decimal(figures.attendance_present) / Decimal(figures.attendance_listed)
    points = _share(indicator.max_points, min(rate / FULL_ATTENDANCE, Decimal(1)))
    return Online(
        points,
        partial(_attendance_basis, figures),
        partial(_recorded_refs, figures) if figures.records else None,
    )


def _recorded_refs(figures) -> LedgerRecords | None:
    return ledger_records(figures, [r for r in figures.records if r.recorded])


def _attendance_basis(figures) -> str:
    return _(
        "系统评分（台账）：本期会议应到 %(listed)d 人次，实到 %(present)d 人次，"
        "出席率 %(rate)s%%（90%% 及以上得满分）。"
    ) % {
        "listed": figures.attendance_listed,
        "present": figures.attendance_present,
        "rate": figures.attendance_rate,
    }


@rule("ledger_completeness", _lazy("台账：台账完整率（已完整记录/全部台账）"))
def ledger_completeness(facts, indicator) -> Online:
    """The share of the period's meetings whose record is complete: a record is recorded only
    once it holds everything its template asks (`ledger.standard`), so drafts are the
    incomplete ones."""
    figures = facts.ledger
    if not figures.records_total:
        return Online(Decimal(0), _("系统评分（台账）：本期没有台账记录。"))
    share = Decimal(figures.records_recorded) / Decimal(figures.records_total)
    return Online(
        _share(indicator.max_points, share),
        partial(_completeness_basis, figures),
        _records_of(figures, [figures.records], recorded_only=False),
    )


def _completeness_basis(figures) -> str:
    return _(
        "系统评分（台账）：本期台账 %(total)d 条，已完整记录 %(done)d 条，"
        "草稿未完成 %(drafts)d 条。"
    ) % {
        "total": figures.records_total,
        "done": figures.records_recorded,
        "drafts": figures.records_total - figures.records_recorded,
    }
