"""“1+N” brand clusters (品牌集群, seed 000: "湖州分公司党委‘1+N’党建品牌体系 … 支部品牌整合
岗区队品牌，形成‘1+N’集群"): a committee's or 党总支's own brand — its "1", filed and approved
like any brand (`rules.may_lead_cluster`) — gathers N approved brands of its subtree.

Rules (`gather_brand`): the "1" brand is approved (实施推进, 验收评审 or 已建成) and its unit may
lead a cluster; a member is an approved brand of a 党支部 or 党总支 strictly inside the lead's
subtree; a brand belongs to at most one cluster (a one-to-one row), and clusters do not nest
(a member does not gather, a lead with members is no one's member). The lead's secretary
gathers and releases (perm `brands.gather_cluster`); both lock the lead's and the member's
rows (in id order, so two gatherings cannot cross) and are audited on the membership.

A move of the org tree that takes a member out of its lead's subtree releases it
(`drop_strays`, wired to `branches.signals.subtree_moved`).

Reads: `cluster_of(brand)` — the cluster a brand leads or belongs to, two queries whatever its
size; `cluster_candidates(lead)` — what the lead may still gather, one query.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from branches.access import secretaries_at
from common.forms import SHORTLIST_SIZE
from workflow.services import notify, record_audit

from .models import SHOWCASE_STATUSES, BrandApplication, ClusterMember
from .rules import BRAND_HOLDER_TYPES, may_lead_cluster
from .services import BrandError

GATHER = "brands.gather_cluster"


# --- reads -----------------------------------------------------------------------------


@dataclass
class Cluster:
    """A "1+N" cluster: the lead ("1") brand and its members, in wall order."""

    lead: BrandApplication
    members: list[ClusterMember] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)


def cluster_of(application) -> Cluster | None:
    """The cluster `application` leads (when its unit may lead one and it has members, or
    it may lead one at all: its page shows the empty cluster to gather into), or the one it
    belongs to; None otherwise. At most two queries, whatever the cluster's size."""
    # Most brands lead none and belong to none: ask for the lead's id alone (a narrow query,
    # cheap to build); a member's lead comes with the members, each row holding it.
    lead_id = (
        ClusterMember.objects.filter(brand_id=application.pk)
        .values_list("lead_id", flat=True)
        .first()
    )
    if lead_id is None and not may_lead_cluster(application.unit):
        return None
    members = ClusterMember.objects.filter(lead_id=lead_id or application.pk)
    related = ("brand__unit", "added_by", "lead__unit") if lead_id else ("brand__unit", "added_by")
    members = list(members.select_related(*related).order_by("brand__unit__path", "pk"))
    if lead_id is not None and not members:  # released between the two reads: ask again
        return cluster_of(application)
    # a member's cluster has it among its members, so the lead is in every row
    lead = members[0].lead if lead_id else application
    return Cluster(lead=lead, members=members)


#: How many candidates the gathering form lists at once; a name narrows them down.
CANDIDATES_SHOWN = SHORTLIST_SIZE
#: What the gathering form's search looks in: the brand's name and its unit's.
CANDIDATE_SEARCH = ("name", "unit__name")


def cluster_candidates(lead) -> QuerySet[BrandApplication]:
    """The approved brands the lead may still gather: 党支部 and 党总支 brands strictly inside
    its subtree, in no cluster and leading none, in tree order."""
    return (
        BrandApplication.objects.filter(
            status__in=SHOWCASE_STATUSES,
            unit__unit_type__in=BRAND_HOLDER_TYPES,
            unit__path__startswith=lead.unit.path,
            unit__depth__gt=lead.unit.depth,
        )
        .exclude(cluster_membership__isnull=False)
        .exclude(cluster_members__isnull=False)
        .select_related("unit")
        .order_by("unit__path")
    )


def clusters_for_showcase(leads) -> dict[int, list[BrandApplication]]:
    """{lead id: its approved member brands, in tree order} for the shown leads: one query."""
    members: dict[int, list[BrandApplication]] = {}
    rows = (
        ClusterMember.objects.filter(lead_id__in=[lead.pk for lead in leads])
        .filter(brand__status__in=SHOWCASE_STATUSES)
        .select_related("brand__unit")
        .order_by("brand__unit__path")
    )
    for row in rows:
        members.setdefault(row.lead_id, []).append(row.brand)
    return members


# --- writes ----------------------------------------------------------------------------


def _locked(*pks) -> dict[int, BrandApplication]:
    """The applications `pks`, locked in id order (two gatherings never wait on each other
    crosswise)."""
    rows = (
        BrandApplication.objects.select_related("unit")
        .select_for_update(of=("self",))
        .filter(pk__in=pks)
        .order_by("pk")
    )
    return {row.pk: row for row in rows}


def _check_lead(actor, lead):
    if not actor.has_perm(GATHER, lead):
        raise PermissionDenied(_("只有本党委（党总支）的书记或党务工作者可以管理品牌集群。"))
    if lead.status not in SHOWCASE_STATUSES:
        raise BrandError(_("主品牌获批立项后才能组建“1+N”品牌集群。"))


@transaction.atomic
def gather_brand(*, actor, lead, brand) -> ClusterMember:
    """Gather `brand` (an application or its id) into the cluster led by `lead`."""
    brand_pk = getattr(brand, "pk", brand)
    if not brand_pk:
        raise ValidationError({"brand": _("请选择要纳入集群的品牌。")})
    rows = _locked(lead.pk, brand_pk)
    lead = rows[lead.pk]
    _check_lead(actor, lead)
    brand = rows.get(brand_pk)
    if brand is None or brand.pk == lead.pk:
        raise ValidationError({"brand": _("请选择本组织下级党组织的品牌。")})
    inside = brand.unit.path.startswith(lead.unit.path) and brand.unit.depth > lead.unit.depth
    if not inside or brand.unit.unit_type not in BRAND_HOLDER_TYPES:
        raise ValidationError(
            {"brand": _("只能纳入本组织下级党支部、党总支的品牌，%(b)s 不在其中。") % {"b": brand}}
        )
    if brand.status not in SHOWCASE_STATUSES:
        raise ValidationError(
            {"brand": _("品牌“%(b)s”尚未获批立项，不能纳入集群。") % {"b": brand}}
        )
    if ClusterMember.objects.filter(brand=lead).exists():
        raise BrandError(_("本品牌已属于其他品牌集群，不能再组建集群。"))
    if brand.cluster_members.exists():
        raise ValidationError(
            {"brand": _("品牌“%(b)s”已是其他集群的主品牌，不能纳入。") % {"b": brand}}
        )
    taken = ValidationError({"brand": _("品牌“%(b)s”已属于一个品牌集群。") % {"b": brand}})
    if ClusterMember.objects.filter(brand=brand).exists():
        raise taken
    try:
        with transaction.atomic():
            member = ClusterMember.objects.create(lead=lead, brand=brand, added_by=actor)
    except IntegrityError as exc:
        raise taken from exc
    record_audit(
        actor=actor, obj=member, action="gather_cluster", unit=lead.unit, comment=str(brand)
    )
    notify(
        secretaries_at(brand.unit),
        title=_("品牌“%(b)s”已纳入 %(unit)s 的“1+N”品牌集群“%(lead)s”")
        % {"b": brand, "unit": lead.unit, "lead": lead},
    )
    return member


@transaction.atomic
def release_brand(*, actor, member):
    """Take a member brand out of its cluster."""
    member = ClusterMember.objects.filter(pk=getattr(member, "pk", member)).first()
    if member is None:
        raise BrandError(_("该品牌已不在集群中。"))
    rows = _locked(member.lead_id, member.brand_id)
    lead = rows[member.lead_id]
    _check_lead(actor, lead)
    record_audit(
        actor=actor,
        obj=member,
        action="release_cluster",
        unit=lead.unit,
        comment=str(rows.get(member.brand_id, "")),
    )
    ClusterMember.objects.filter(pk=member.pk).delete()


def drop_strays(path: str) -> int:
    """The unit at `path` moved with its subtree (`branches.signals.subtree_moved`): a cluster
    keeps only brands of its lead's subtree, so memberships the move took out of it are
    released, each audited (no actor: the org tree changed). Returns how many."""
    rows = ClusterMember.objects.filter(
        Q(brand__unit__path__startswith=path) | Q(lead__unit__path__startswith=path)
    ).select_related("lead__unit", "brand__unit")
    strays = [
        m
        for m in rows
        if not (
            m.brand.unit.path.startswith(m.lead.unit.path)
            and m.brand.unit.depth > m.lead.unit.depth
        )
    ]
    for member in strays:
        record_audit(
            actor=None,
            obj=member,
            action="release_cluster",
            unit=member.lead.unit,
            comment=_("组织调整：%(unit)s 已不在 %(lead)s 下")
            % {"unit": member.brand.unit, "lead": member.lead.unit},
        )
    ClusterMember.objects.filter(pk__in=[m.pk for m in strays]).delete()
    return len(strays)
