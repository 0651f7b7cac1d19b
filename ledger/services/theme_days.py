"""主题党日 "1+N" (seed 004): one branch theme day with the N party groups' own activities
attached. An activity stays its group's record (kept by the group's leader or the secretary,
counted for its group); attaching it only says which theme day it was part of, so the branch's
theme day is counted once and nothing is typed twice (`selectors.counting`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow.services import record_audit

from ..models import MeetingKind, MeetingRecord
from ..rules import may_record
from .records import _locked, _require_reason_if_locked


def _month_of(instant) -> tuple[int, int]:
    day = timezone.localdate(instant)
    return day.year, day.month


def _month(record) -> tuple[int, int]:
    return _month_of(record.held_at)


def check_theme_day(activity: MeetingRecord, theme_day: MeetingRecord) -> None:
    """A group's activity is part of a theme day of its own branch held in the same month."""
    if activity.party_group_id is None:
        raise ValidationError({"theme_day": _("只有党小组的活动可以关联到主题党日。")})
    if (
        theme_day.branch_id != activity.branch_id
        or theme_day.party_group_id is not None
        or theme_day.template.kind != MeetingKind.THEME_DAY
    ):
        raise ValidationError({"theme_day": _("请选择本支部的主题党日。")})
    if _month(theme_day) != _month(activity):
        raise ValidationError({"theme_day": _("党小组活动须与主题党日在同一个月。")})


def check_month_kept(record: MeetingRecord, old_held_at) -> None:
    """A theme day and the group activities attached to it stay in one month: moving either to
    another month while attached is refused at the date (detach first, then move), so no
    activity counts for a theme day of another month."""
    if old_held_at is None or _month(record) == _month_of(old_held_at):
        return
    if record.theme_day_id is not None:
        raise ValidationError(
            {"held_at": _("本活动已关联到主题党日，须在同一个月；改到其他月份前请先解除关联。")}
        )
    attached = record.group_activities.count() if record.party_group_id is None else 0
    if attached:
        raise ValidationError(
            {
                "held_at": _(
                    "本主题党日已关联 %(n)d 项党小组活动，须在同一个月；"
                    "改到其他月份前请先解除关联。"
                )
                % {"n": attached}
            }
        )


@transaction.atomic
def link_theme_day(*, actor, activity: MeetingRecord, theme_day: MeetingRecord | None, reason=""):
    """Attach a party group's record to its branch's theme day (or detach it: `theme_day`
    None). Who: whoever keeps the group's record — the branch's secretary for any of its
    groups, a group's leader for their own group only. A record of a closed month needs a
    reason, like any correction. Audited on the activity and on the theme day."""
    activity = _locked(activity.pk)
    if not may_record(actor, activity.branch, activity.party_group):
        raise PermissionDenied(_("只有本支部书记或该党小组的党小组长可以关联本小组的活动。"))
    previous = activity.theme_day_id
    if theme_day is not None:
        theme_day = MeetingRecord.objects.select_related("template").get(pk=theme_day.pk)
        check_theme_day(activity, theme_day)
    new = theme_day.pk if theme_day is not None else None
    if new == previous:
        return activity
    if activity.party_group_id is None:  # detaching a branch record: nothing was attached
        raise ValidationError({"theme_day": _("只有党小组的活动可以关联到主题党日。")})
    _require_reason_if_locked([activity.held_at], reason)
    activity.theme_day = theme_day
    activity.save(update_fields=["theme_day", "updated_at"])
    day = theme_day or MeetingRecord.objects.get(pk=previous)
    action = "record_theme_day_link" if theme_day is not None else "record_theme_day_unlink"
    group = activity.party_group.name
    for obj, comment in (
        (
            activity,
            _("主题党日 %(date)s") % {"date": f"{timezone.localdate(day.held_at):%Y-%m-%d}"},
        ),
        (day, group),
    ):
        record_audit(
            actor=actor,
            obj=obj,
            action=action,
            comment="；".join(p for p in (comment, reason.strip()) if p),
            unit=activity.branch,
        )
    return activity
