"""Following a pairing (结对帮扶跟进): how the partner branch is getting on, seen from both
sides — the pairing brand's page (品牌建设) and the partner branch's own page.

Progress is the partner's own brand (none / filed / approved / built, `partner_stage`) and its
latest published six-good result (`evaluation.selectors.published.latest_published`, the one
door into evaluation's results), plus dated follow-up notes the pairing brand's holder writes
(`add_note` / `remove_note`: perm `brands.follow_pairing`, the pairing brand locked, audited).
Pairings are made in brands/lifecycle.py (`add_pairing`, `rules.may_pair`).

Reads cost a fixed number of queries however many pairings a page shows: the pairings, their
notes, the partners' brands and the partners' results, one query each.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from evaluation.selectors.published import SIX_GOOD, PublishedResult, latest_published
from workflow.services import record_audit

from .models import (
    FILED_STATUSES,
    LIVE_STATUSES,
    BrandApplication,
    Pairing,
    PairingNote,
    Status,
)
from .services import BrandError

FOLLOW = "brands.follow_pairing"

#: The partner's own brand, as its progress reads: none, filed (in review / returned),
#: approved (实施推进 / 验收评审), built.
STAGES = {
    "none": _lazy("未申报品牌"),
    "filed": _lazy("已申报品牌"),
    "approved": _lazy("品牌已立项"),
    "built": _lazy("品牌已建成"),
}


def partner_stage(brand: BrandApplication | None) -> str:
    """none / filed / approved / built for the partner's live brand (a draft is none)."""
    if brand is None or brand.status not in FILED_STATUSES:
        return "none"
    if brand.status == Status.BUILT:
        return "built"
    if brand.status in (Status.IMPLEMENTING, Status.ACCEPTANCE):
        return "approved"
    return "filed"


@dataclass
class PairingProgress:
    """A pairing with its partner's progress and its follow-up notes, newest first."""

    pairing: Pairing
    partner_brand: BrandApplication | None
    result: PublishedResult | None

    @property
    def stage(self) -> str:
        return partner_stage(self.partner_brand)

    @property
    def stage_label(self) -> str:
        return str(STAGES[self.stage])

    @property
    def notes(self):
        return self.pairing.notes.all()


def _with_progress(pairings) -> list[PairingProgress]:
    pairings = list(pairings)
    partner_ids = {p.partner_id for p in pairings}
    brands = {
        b.unit_id: b
        for b in BrandApplication.objects.filter(
            unit_id__in=partner_ids, status__in=LIVE_STATUSES
        ).only("pk", "unit_id", "name", "status", "level")
    }
    results = (
        {r.unit_id: r for r in latest_published(partner_ids, (SIX_GOOD,))} if partner_ids else {}
    )
    return [
        PairingProgress(p, brands.get(p.partner_id), results.get(p.partner_id)) for p in pairings
    ]


def _pairings():
    notes = PairingNote.objects.select_related("created_by").order_by("-date", "-pk")
    return Pairing.objects.select_related("partner", "application__unit").prefetch_related(
        Prefetch("notes", queryset=notes)
    )


def pairings_of(application) -> list[PairingProgress]:
    """The pairings of a brand, with each partner's progress: four queries."""
    return _with_progress(_pairings().filter(application=application).order_by("started_on", "pk"))


def pairings_with(unit) -> list[PairingProgress]:
    """The pairings whose partner is `unit` (its page), with its progress: four queries."""
    return _with_progress(_pairings().filter(partner=unit).order_by("started_on", "pk"))


# --- writes ----------------------------------------------------------------------------


def _locked_pairing(pairing_id, actor) -> Pairing:
    pairing = Pairing.objects.filter(pk=pairing_id).first()
    if pairing is None:
        raise BrandError(_("该结对帮扶已被删除。"))
    app = (
        BrandApplication.objects.select_related("unit")
        .select_for_update(of=("self",))
        .get(pk=pairing.application_id)
    )
    if not actor.has_perm(FOLLOW, app):
        raise PermissionDenied(_("只有结对品牌所在党组织的书记或党务工作者可以记录帮扶跟进。"))
    pairing.application = app
    return pairing


@transaction.atomic
def add_note(*, actor, pairing, date, text) -> PairingNote:
    """A dated follow-up note on a pairing (today or earlier, not before the pairing began)."""
    pairing = _locked_pairing(getattr(pairing, "pk", pairing), actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写跟进情况。")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("跟进日期不能晚于今天。")})
    if date < pairing.started_on:
        raise ValidationError(
            {"date": _("跟进日期不能早于结对日期 %(d)s。") % {"d": pairing.started_on}}
        )
    note = PairingNote.objects.create(pairing=pairing, date=date, text=text, created_by=actor)
    record_audit(
        actor=actor,
        obj=note,
        action="add_pairing_note",
        unit=pairing.application.unit,
        comment=text[:200],
    )
    return note


@transaction.atomic
def remove_note(*, actor, note):
    note = PairingNote.objects.filter(pk=getattr(note, "pk", note)).first()
    if note is None:
        raise BrandError(_("该跟进记录已被删除。"))
    pairing = _locked_pairing(note.pairing_id, actor)
    record_audit(
        actor=actor,
        obj=note,
        action="delete_pairing_note",
        unit=pairing.application.unit,
        comment=note.text[:200],
    )
    PairingNote.objects.filter(pk=note.pk).delete()
