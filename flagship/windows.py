"""The flagship cycle's time windows, each defined once (`workflow.windows.Window`): services,
views and the scheduled jobs ask these, never the cycle's dates. A date holds through its last
local second; the next local midnight has passed it."""

from django.utils import timezone
from django.utils.translation import gettext as _

from common.formats import local_datetime
from workflow.windows import Window, start_of_local_day

from .models import Phase
from .services.common import fmt_date


def application_window(cycle, *, first_submission: bool = True) -> Window:
    """Filing and submitting a candidacy: only in the application phase; a first submission
    until the end of `application_closes_on`, a returned candidacy's resubmission until the
    notice is published (the phase ends)."""
    return Window.on_dates(
        "flagship.application",
        closes_on=cycle.application_closes_on if first_submission else None,
        held=""
        if cycle.phase == Phase.APPLICATION
        else _("“%(cycle)s”当前为%(phase)s，不接受申报。")
        % {"cycle": cycle, "phase": cycle.get_phase_display()},
        after=_("申报已于 %(d)s 截止，不能再提交新的申报。")
        % {"d": fmt_date(cycle.application_closes_on)},
    )


def notice_window(cycle) -> Window:
    """Objections (公示异议): in the notice phase, through `notice_ends_on` (set when the
    notice is published)."""
    ends_on = cycle.notice_ends_on
    return Window.on_dates(
        "flagship.notice",
        closes_on=ends_on,
        held=""
        if cycle.phase == Phase.NOTICE
        else _("“%(cycle)s”当前为%(phase)s，不在公示期内。")
        % {"cycle": cycle, "phase": cycle.get_phase_display()},
        after=_("公示已于 %(d)s 结束。") % {"d": fmt_date(ends_on)} if ends_on else "",
    )


def summary_window(cycle) -> Window:
    """Summary materials (总结材料): uploaded and removed through `summary_deadline`, in the
    management phase. Once the deadline has passed, that is the reason told, whatever the
    phase."""
    return Window.on_dates(
        "flagship.summary",
        closes_on=cycle.summary_deadline,
        held=""
        if cycle.phase == Phase.MANAGEMENT
        else _("总结材料在培育管理阶段提交，当前为%(p)s。") % {"p": cycle.get_phase_display()},
        after=_("总结材料已于 %(d)s 截止提交，逾期不能上传或修改。")
        % {"d": fmt_date(cycle.summary_deadline)},
        late_first=True,
    )


def vote_window(cycle) -> Window:
    """The public vote (公开投票): in the voting phase, until the instant `vote_closes_at`
    (the chair's decision plus `vote_days`)."""
    closes_at = cycle.vote_closes_at
    return Window(
        "flagship.vote",
        closes_at=closes_at,
        held=""
        if cycle.phase == Phase.VOTING
        else _("“%(cycle)s”当前为%(p)s，不在投票期内。")
        % {"cycle": cycle, "p": cycle.get_phase_display()},
        after=_("投票已于 %(t)s 截止。") % {"t": local_datetime(closes_at)} if closes_at else "",
    )


def due_transition(cycle, now=None) -> str | None:
    """The phase transition whose date has come, if any (the hourly job makes it): planning,
    application and management end when the next phase's first date begins (local midnight);
    the notice ends when its window has closed."""
    if cycle.phase == Phase.NOTICE:
        return "start_management" if notice_window(cycle).has_closed(now) else None
    step = {
        Phase.PLANNED: ("open_application", cycle.application_opens_on),
        Phase.APPLICATION: ("publish_notice", cycle.notice_starts_on),
        Phase.MANAGEMENT: ("start_review", cycle.review_starts_on),
    }.get(cycle.phase)
    if step and (now or timezone.now()) >= start_of_local_day(step[1]):
        return step[0]
    return None
