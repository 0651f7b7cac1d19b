"""The flagship cycle's windows for the scheduled jobs (workflow/jobs.py).

* `close_flagship_windows` (hourly, via `workflow.tasks.close_windows`): advance the phases
  whose date has come, lock drafts never submitted by the application deadline, mark expired
  honours. Each part is idempotent.
* `flagship_deadlines`: the application deadline (secretaries of branches with a draft or a
  returned candidacy), the summary deadline (candidates that have not uploaded a summary yet),
  and the honoured branches' obligations falling due.
"""

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.access import secretaries_at
from workflow.deadlines import Deadline, deadline_provider, window_closer
from workflow.windows import end_of_local_day, local_today

from .models import (
    AttachmentKind,
    CandidacyAttachment,
    CandidacyStatus,
    FlagshipCycle,
    Obligation,
    Phase,
)
from .services.candidacy import lock_late_candidacies
from .services.cycle import advance_by_date
from .services.decision import expire_honours
from .windows import application_window, summary_window

#: Obligations are announced this many days ahead at most (the reminder offsets are smaller).
OBLIGATION_HORIZON = 31


@window_closer
def close_flagship_windows(now) -> int:
    return lock_late_candidacies(now) + advance_by_date(now) + expire_honours(now)


def _recipients(candidacies):
    users = {}
    for c in candidacies.select_related("applicant", "unit"):
        for user in (c.applicant, *secretaries_at(c.unit)):
            users[user.pk] = user
    return tuple(users.values())


@deadline_provider
def flagship_deadlines(now):
    today = local_today(now)
    for cycle in FlagshipCycle.objects.filter(phase=Phase.APPLICATION):
        window = application_window(cycle)
        if window.has_closed(now):
            continue
        pending = cycle.candidacies.filter(
            status__in=(CandidacyStatus.DRAFT, CandidacyStatus.RETURNED)
        )
        yield Deadline(
            obj=cycle,
            due_at=window.closes_at,
            recipients=_recipients(pending),
            title=_("%(cycle)s 旗舰品牌申报") % {"cycle": cycle},
            url=reverse("flagship:cycle", args=[cycle.pk]),
        )
    for cycle in FlagshipCycle.objects.filter(phase=Phase.MANAGEMENT):
        window = summary_window(cycle)
        if window.has_closed(now):
            continue
        without_summary = cycle.candidacies.filter(status=CandidacyStatus.ACCEPTED).exclude(
            Exists(
                CandidacyAttachment.objects.filter(
                    candidacy=OuterRef("pk"), kind=AttachmentKind.SUMMARY
                )
            )
        )
        yield Deadline(
            obj=cycle,
            due_at=window.closes_at,
            recipients=_recipients(without_summary),
            title=_("%(cycle)s 旗舰品牌总结材料") % {"cycle": cycle},
            url=reverse("flagship:cycle", args=[cycle.pk]),
        )
    horizon = today + datetime.timedelta(days=OBLIGATION_HORIZON)
    for obligation in Obligation.objects.filter(
        fulfilled_at__isnull=True, due_on__gte=today, due_on__lte=horizon
    ).select_related("honour__unit", "honour__candidacy__applicant"):
        honour = obligation.honour
        users = {u.pk: u for u in (honour.candidacy.applicant, *secretaries_at(honour.unit))}
        yield Deadline(
            obj=obligation,
            due_at=end_of_local_day(obligation.due_on),
            recipients=tuple(users.values()),
            title=_("旗舰品牌荣誉义务：%(t)s") % {"t": obligation.title},
            url=reverse("flagship:honour", args=[honour.pk]),
        )
