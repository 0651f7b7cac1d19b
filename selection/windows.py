"""The round's two windows (`workflow.windows.Window`): committees propose and score within
[opens_on, closes_on]; the province decides from the day after closes_on until it publishes."""

import datetime

from django.utils.translation import gettext as _

from workflow.windows import Window

from .models import RoundStatus


def _held(round_) -> str:
    return _("本次评选结果已公布。") if round_.status == RoundStatus.PUBLISHED else ""


def proposal_window(round_) -> Window:
    return Window.on_dates(
        "selection.proposals",
        round_.opens_on,
        round_.closes_on,
        before=_("推荐将于 %(d)s 开始。") % {"d": round_.opens_on.isoformat()},
        after=_("推荐已于 %(d)s 截止。") % {"d": round_.closes_on.isoformat()},
        held=_held(round_),
    )


def decision_window(round_) -> Window:
    opens = round_.closes_on + datetime.timedelta(days=1)
    return Window.on_dates(
        "selection.decisions",
        opens,
        None,
        before=_("推荐截止（%(d)s）后，省公司方可评定。") % {"d": round_.closes_on.isoformat()},
        held=_held(round_),
    )
