"""The decision (评审决定): the chair names the units, the members vote, the chair publishes
the bases and the awards; honours expire by date; honoured branches record their obligations.

The chair's two steps are transitions of the cycle workflow, so they run under the cycle's row
lock: a double submission, or two chairs' tabs at once, cannot both pass, and the quota and the
base cap are checked and written inside that lock."""

import calendar
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.access import secretaries_at
from common.formats import points
from workflow.services import notify, record_audit
from workflow.transitions import AlreadyHandled
from workflow.windows import local_today

from ..models import (
    Ballot,
    Candidacy,
    FlagshipCycle,
    Honour,
    HonourKind,
    HonourStatus,
    Obligation,
    ObligationKind,
    Vote,
)
from ..selectors.review import committee_results
from ..selectors.vote import base_ranking
from ..windows import vote_window
from .common import FlagshipError
from .cycle import WORKFLOW


def _names(rows):
    return _("、").join(str(r.candidacy.unit) for r in rows)


def decide_units(*, actor, cycle_pk, candidacy_ids, comment="", expected_version=None, now=None):
    """The chair names the demonstration units (示范单位): at most `quota`, each an accepted
    candidate with at least one committee score and no veto found; ranked by committee score,
    which is frozen on the candidacy. The public vote opens for `vote_days`."""
    now = now or timezone.now()
    ids = list(dict.fromkeys(int(i) for i in candidacy_ids))

    def before_save(cycle, _t):
        if not ids:
            raise FlagshipError(_("请至少选择一个示范单位。"))
        if len(ids) > cycle.quota:
            raise FlagshipError(
                _("示范单位不能超过名额：本周期最多 %(q)d 个，您选择了 %(n)d 个。")
                % {"q": cycle.quota, "n": len(ids)}
            )
        results = {r.candidacy.pk: r for r in committee_results(cycle)}
        if any(i not in results for i in ids):
            raise FlagshipError(_("所选单位不在候选名单中，请刷新后重试。"))
        chosen = [results[i] for i in ids]
        unscored = [r for r in chosen if not r.count]
        if unscored:
            raise FlagshipError(
                _("以下单位尚无评委评分，不能评为示范单位：%(u)s。") % {"u": _names(unscored)}
            )
        vetoed = [r for r in chosen if r.candidacy.veto_found]
        if vetoed:
            raise FlagshipError(
                _("以下单位核查发现否决事项，不能评为示范单位：%(u)s。") % {"u": _names(vetoed)}
            )
        chosen.sort(key=lambda r: (-r.score, r.candidacy.unit.path))
        Candidacy.objects.filter(cycle=cycle).update(
            is_unit=False, unit_rank=None, committee_score=None
        )
        for rank, row in enumerate(chosen, 1):
            Candidacy.objects.filter(pk=row.candidacy.pk).update(
                is_unit=True, unit_rank=rank, committee_score=row.score
            )
        cycle.vote_opens_at = now
        cycle.vote_closes_at = now + datetime.timedelta(days=cycle.vote_days)

    def after_save(cycle, _t, _from):
        units = Candidacy.objects.filter(cycle=cycle, is_unit=True).select_related("applicant")
        notify(
            [c.applicant for c in units],
            title=_("贵支部已被评为“%(cycle)s”示范单位候选，公开投票进行中") % {"cycle": cycle},
            url=reverse("flagship:vote", args=[cycle.pk]),
        )

    return WORKFLOW.apply(
        cycle_pk,
        "decide_units",
        actor=actor,
        comment=comment,
        expected_version=expected_version,
        before_save=before_save,
        after_save=after_save,
    )


# --- the public vote ---------------------------------------------------------------------


#: Django has no API for a share lock (select_for_update is exclusive).
SHARE_LOCK = "SELECT id FROM flagship_flagshipcycle WHERE id = %s FOR SHARE"


def _cycle_for_voting(cycle_pk):
    """Read the cycle under a share lock (PostgreSQL): voters do not block one another, but
    the chair's closing of the vote (a row lock) waits for ballots in flight, and a ballot
    arriving after the closing sees it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(SHARE_LOCK, [cycle_pk])
    return FlagshipCycle.objects.get(pk=cycle_pk)


def cast_ballot(*, actor, cycle_pk, candidacy_ids, now=None) -> Ballot:
    """公开投票: a logged-in user's one ballot in the cycle, for 1 to K of the units. "Once per
    cycle" is the unique (cycle, voter) constraint on the ballot: a second ballot, however many
    arrive at once, fails in the database and is answered with a clear message."""
    if not actor.has_perm("flagship.vote"):
        raise PermissionDenied
    ids = list(dict.fromkeys(int(i) for i in candidacy_ids))
    try:
        with transaction.atomic():
            cycle = _cycle_for_voting(cycle_pk)
            vote_window(cycle).require_open(FlagshipError, now)
            if not ids:
                raise ValidationError(_("请至少选择一个单位。"))
            if len(ids) > cycle.votes_per_member:
                raise ValidationError(
                    _("每人最多可投 %(k)d 个单位，您选择了 %(n)d 个。")
                    % {"k": cycle.votes_per_member, "n": len(ids)}
                )
            valid = set(
                cycle.candidacies.filter(is_unit=True, pk__in=ids).values_list("pk", flat=True)
            )
            if len(valid) != len(ids):
                raise ValidationError(_("所选单位不在投票名单中，请刷新后重试。"))
            ballot = Ballot.objects.create(cycle=cycle, voter=actor)
            Vote.objects.bulk_create(
                [Vote(ballot=ballot, cycle=cycle, voter=actor, candidacy_id=i) for i in ids]
            )
    except IntegrityError as exc:
        raise FlagshipError(_("您已在本次评选中投过票，每人每个评选周期只能投一次。")) from exc
    return ballot


# --- bases and awards --------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _obligations(honour, cycle):
    rows = [
        Obligation(
            honour=honour,
            kind=ObligationKind.RESEARCH,
            title=_("课题研究（有效期内至少完成一项）"),
            due_on=honour.valid_until,
        )
    ]
    due, n = add_months(honour.awarded_on, cycle.report_interval_months), 1
    while due <= honour.valid_until:
        rows.append(
            Obligation(
                honour=honour,
                kind=ObligationKind.REPORT,
                title=_("第 %(n)d 次工作报告") % {"n": n},
                due_on=due,
            )
        )
        due, n = add_months(honour.awarded_on, cycle.report_interval_months * (n + 1)), n + 1
    return rows


def publish_awards(
    *, actor, cycle_pk, base_count: int, comment="", expected_version=None, now=None
):
    """The chair closes the vote and names the bases (示范基地): the top `base_count` units of
    the weighted ranking (vote share and committee score, `vote_weight`), at most
    `base_share_cap` % of the units. The awards are published: one honour per unit, valid until
    the cycle's `honour_expires_on`, with the obligations it brings."""
    now = now or timezone.now()
    today = local_today(now)

    def before_save(cycle, _t):
        rows, cap = base_ranking(cycle)
        if not rows:
            raise FlagshipError(_("尚未确定示范单位。"))
        if base_count < 0 or base_count > cap:
            raise FlagshipError(
                _(
                    "示范基地不超过示范单位数的 %(p)s%%："
                    "本周期 %(u)d 个示范单位，最多 %(c)d 个示范基地。"
                )
                % {"p": points(cycle.base_share_cap), "u": len(rows), "c": cap}
            )
        bases = {row.candidacy.pk for row in rows[:base_count]}
        for row in rows:
            Candidacy.objects.filter(pk=row.candidacy.pk).update(
                vote_count=row.votes, base_score=row.weighted, is_base=row.candidacy.pk in bases
            )
        if cycle.vote_closes_at is None or cycle.vote_closes_at > now:
            cycle.vote_closes_at = now
        ordered = sorted(rows, key=lambda r: (r.candidacy.pk not in bases, r.candidacy.unit_rank))
        counters = {HonourKind.BASE: 0, HonourKind.UNIT: 0}
        for row in ordered:
            kind = HonourKind.BASE if row.candidacy.pk in bases else HonourKind.UNIT
            counters[kind] += 1
            honour = Honour.objects.create(
                cycle=cycle,
                candidacy=row.candidacy,
                unit=row.candidacy.unit,
                kind=kind,
                certificate_no="QJ{y1}{y2:02d}-{k}{n:03d}".format(
                    y1=cycle.year_start,
                    y2=cycle.year_end % 100,
                    k="J" if kind == HonourKind.BASE else "D",
                    n=counters[kind],
                ),
                awarded_on=today,
                valid_until=cycle.honour_expires_on,
            )
            Obligation.objects.bulk_create(_obligations(honour, cycle))

    def after_save(cycle, _t, _from):
        for honour in Honour.objects.filter(cycle=cycle).select_related("unit", "candidacy"):
            notify(
                [honour.candidacy.applicant, *secretaries_at(honour.unit)],
                title=_("祝贺！贵支部获评“%(cycle)s”%(kind)s")
                % {
                    "cycle": cycle,
                    "kind": honour.get_kind_display(),
                },
                url=reverse("flagship:honour", args=[honour.pk]),
            )

    return WORKFLOW.apply(
        cycle_pk,
        "publish_awards",
        actor=actor,
        comment=comment,
        expected_version=expected_version,
        before_save=before_save,
        after_save=after_save,
    )


def expire_honours(now=None) -> int:
    """Honours past their validity are marked expired (the branch may apply again). One
    UPDATE; idempotent."""
    return Honour.objects.filter(
        status=HonourStatus.ACTIVE, valid_until__lt=local_today(now)
    ).update(status=HonourStatus.EXPIRED, expired_at=now or timezone.now())


@transaction.atomic
def fulfil_obligation(*, actor, pk, note: str) -> Obligation:
    """The honoured branch records an obligation as fulfilled, with what was done."""
    obligation = Obligation.objects.select_for_update().select_related("honour__unit").get(pk=pk)
    if not actor.has_perm("flagship.fulfil_obligation", obligation.honour):
        raise PermissionDenied
    if obligation.fulfilled_at is not None:
        raise AlreadyHandled(_("该事项已登记完成。"))
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("请填写完成情况。"))
    obligation.note = note[:2000]
    obligation.fulfilled_at = timezone.now()
    obligation.fulfilled_by = actor
    obligation.save()
    record_audit(
        actor=actor,
        obj=obligation.honour,
        action="fulfil_obligation",
        comment=f"{obligation.title}：{obligation.note}",
        unit=obligation.honour.unit,
    )
    return obligation
