"""A brand's life after approval (实施推进 → 验收评审 → 建成): brand activities with photos, the
"three shine" plan (三亮: 点亮, 擦亮, 闪亮), pairing (结对帮扶) and media publications.

Writes lock the application row, so they serialise with its workflow transitions; each checks
the actor's permission (brands/rules.py) and the brand's status, and is audited on the record
it creates or removes — the application's own timeline stays the story of its approval.
Refusals of the input raise `ValidationError` keyed by form field; refusals of the action
itself (wrong status, not a provincial-level brand) raise `BrandError`.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from branches.access import secretaries_at
from branches.models import CITY_COMMITTEE_TYPES, OrgUnit, UnitType
from branches.selectors import approval_chain, scope_paths
from common.forms import SHORTLIST_SIZE
from common.uploads import clean_photos, discard, save_photo
from workflow.services import notify, record_audit

from .models import (
    LIVE_STATUSES,
    ActivityPhoto,
    BrandActivity,
    BrandApplication,
    Level,
    MediaPublication,
    Pairing,
    ShineKind,
    ShineRecord,
    Status,
)
from .rules import may_pair
from .services import BrandError

#: The statuses of a brand's life after approval, in which it keeps records.
LIFECYCLE_STATUSES = (Status.IMPLEMENTING, Status.ACCEPTANCE, Status.BUILT)
MAX_PHOTOS = 9
#: Publications that count for 闪亮: provincial-or-higher media.
HIGH_MEDIA_LEVELS = (MediaPublication.MediaLevel.NATIONAL, MediaPublication.MediaLevel.PROVINCIAL)
#: A polish (擦亮) period: a half-year (2026H1, 2026H2) or a quarter (2026Q4).
PERIOD_RE = re.compile(r"(?P<year>\d{4})(?:H(?P<half>[12])|Q(?P<quarter>[1-4]))")
PERIOD_HELP = _lazy("期次格式为“年份+H1/H2”（半年）或“年份+Q1～Q4”（季度），如 2026H2。")

RECORD = "brands.record_lifecycle"
PAIR = "brands.pair_brand"


# --- reads -----------------------------------------------------------------------------


def activities_of(application) -> QuerySet[BrandActivity]:
    """The brand's activities, newest first, with their photos in one further query."""
    return application.activities.select_related("created_by").prefetch_related(
        Prefetch("photos", queryset=ActivityPhoto.objects.order_by("pk"))
    )


def period_start(period: str) -> datetime.date:
    """The first day of a polish period; `ValidationError` if it is not one."""
    match = PERIOD_RE.fullmatch(period or "")
    if not match or int(match["year"]) < 2000:
        raise ValidationError(PERIOD_HELP)
    month = 6 * int(match["half"]) - 5 if match["half"] else 3 * int(match["quarter"]) - 2
    return datetime.date(int(match["year"]), month, 1)


def current_period(today: datetime.date | None = None, *, quarterly=False) -> str:
    today = today or timezone.localdate()
    if quarterly:
        return f"{today.year}Q{(today.month - 1) // 3 + 1}"
    return f"{today.year}H{1 if today.month <= 6 else 2}"


def _previous(period: str) -> str:
    """The period just before `period` (of the same kind: half-year or quarter)."""
    match = PERIOD_RE.fullmatch(period)
    year = int(match["year"])
    if match["half"]:
        return f"{year - 1}H2" if match["half"] == "1" else f"{year}H1"
    quarter = int(match["quarter"]) - 1
    return f"{year}Q{quarter}" if quarter else f"{year - 1}Q4"


def recent_periods(today: datetime.date | None = None, *, count=4) -> dict[str, list[str]]:
    """The periods a record is most likely for, newest first: this half-year and the
    `count - 1` before it, this quarter and the `count - 1` before it."""
    today = today or timezone.localdate()
    recent = {}
    for kind, quarterly in (("half", False), ("quarter", True)):
        periods = [current_period(today, quarterly=quarterly)]
        while len(periods) < count:
            periods.append(_previous(periods[-1]))
        recent[kind] = periods
    return recent


@dataclass
class ShinePeriod:
    """One polish (擦亮) period: its records by kind and the kinds it still lacks."""

    period: str
    records: dict = field(default_factory=dict)

    @property
    def rows(self):
        return [(kind, label, self.records.get(kind)) for kind, label in ShineKind.choices]

    @property
    def missing(self) -> list[str]:
        return [label for kind, label in ShineKind.choices if kind not in self.records]

    @property
    def complete(self) -> bool:
        return not self.missing


def shine_progress(records, *, today: datetime.date | None = None) -> list[ShinePeriod]:
    """擦亮 completeness: each period one innovation measure, one dissemination and one case.
    Every period with records, plus the current one (half-yearly, or quarterly if the brand
    records by quarter), newest first."""
    records = list(records)
    quarterly = bool(records) and "Q" in max(records, key=lambda r: r.period).period
    now = current_period(today, quarterly=quarterly)
    periods = {now: ShinePeriod(now)}
    for record in records:
        periods.setdefault(record.period, ShinePeriod(record.period)).records[record.kind] = record
    return [periods[p] for p in sorted(periods, reverse=True)]


@dataclass(frozen=True)
class ShineStatus:
    """闪亮: a provincial-level brand that pairs with an un-branded branch and has been
    published at least once in provincial-or-higher media."""

    provincial: bool
    paired: bool
    published: bool

    @property
    def lit(self) -> bool:
        return self.provincial and self.paired and self.published


def shine_status(application, pairings, publications) -> ShineStatus:
    return ShineStatus(
        provincial=application.level == Level.PROVINCIAL,
        paired=bool(pairings),
        published=any(p.media_level in HIGH_MEDIA_LEVELS for p in publications),
    )


def _pairing_area(application, actor) -> Q:
    """Where a partner may be chosen: the brand's city (or directly-affiliated) committee's
    subtree, and whatever the actor sees (the province sees the whole tree)."""
    # a committee's own brand pairs within its own subtree (its chain is the province only)
    chain = [application.unit, *approval_chain(application.unit)]
    committees = [u for u in chain if u.unit_type in CITY_COMMITTEE_TYPES]
    paths = list(scope_paths(actor)) + ([committees[0].path] if committees else [])
    area = Q(pk__in=[])
    for path in paths:
        area |= Q(path__startswith=path)
    return area


def _unbranded_branches() -> QuerySet[OrgUnit]:
    live = BrandApplication.objects.filter(status__in=LIVE_STATUSES).values("unit_id")
    return OrgUnit.objects.filter(unit_type=UnitType.BRANCH, is_active=True).exclude(pk__in=live)


#: How many candidate partners the pairing form lists at once (a province may offer tens of
#: thousands); a search by branch name or code narrows them down.
PARTNERS_SHOWN = SHORTLIST_SIZE
PARTNER_SEARCH = ("name", "code")


def pairing_candidates(application, actor) -> QuerySet[OrgUnit]:
    """Active branches without a live brand that this brand has not paired with yet."""
    return (
        _unbranded_branches()
        .filter(_pairing_area(application, actor))
        .exclude(pk__in=application.pairings.values("partner_id"))
        .order_by("path")
    )


# --- writes ----------------------------------------------------------------------------


def _checked(application_id, actor, perm, refusal, *, lock=False) -> BrandApplication:
    """The application, after checking the actor's permission and that the brand is in its
    life after approval. Locked (select_for_update) inside a transaction when `lock`."""
    qs = BrandApplication.objects.select_related("unit")
    if lock:
        qs = qs.select_for_update(of=("self",))
    app = qs.get(pk=application_id)
    if not actor.has_perm(perm, app):
        raise PermissionDenied(refusal)
    if app.status not in LIFECYCLE_STATUSES:
        raise BrandError(
            _("品牌获批立项后（实施推进、验收评审、已建成阶段）才能记录，当前状态为“%(s)s”。")
            % {"s": app.get_status_display()}
        )
    return app


def _not_after_today(value, key, message):
    if value > timezone.localdate():
        raise ValidationError({key: message})


_SECRETARY_ONLY = _lazy("只有本支部的书记或党务工作者可以记录品牌建设情况。")
_PAIR_ONLY = _lazy("只有本支部的书记或党务工作者、省公司党建工作部可以登记结对帮扶。")


def _clean_photos(photos) -> list:
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(
            {
                "photos": _("每次活动最多上传 %(n)d 张照片，您选择了 %(m)d 张。")
                % {"n": MAX_PHOTOS, "m": len(photos)}
            }
        )
    return clean_photos(photos)


def add_activity(*, actor, application, date, title, text, photos=()) -> BrandActivity:
    """Post a brand activity (品牌活动): only the branch's secretary, only while the brand is
    implemented, under acceptance or built; dated today or earlier; at most nine photos, each
    an image of at most 5 MB, re-encoded so nothing hidden in the file is kept."""
    photos = list(photos or ())
    # Fail fast before the expensive part (decoding up to nine images), then again under lock.
    _checked(application.pk, actor, RECORD, _SECRETARY_ONLY)
    _not_after_today(date, "date", _("活动日期不能晚于今天。"))
    cleaned = _clean_photos(photos)
    saved = []
    try:
        with transaction.atomic():
            app = _checked(application.pk, actor, RECORD, _SECRETARY_ONLY, lock=True)
            activity = BrandActivity.objects.create(
                application=app, date=date, title=title, text=text, created_by=actor
            )
            for image, thumb in cleaned:
                save_photo(ActivityPhoto(activity=activity), image, thumb, written=saved)
            record_audit(
                actor=actor, obj=activity, action="add_activity", unit=app.unit, comment=title
            )
    except BaseException:
        discard(saved)  # the files are not part of the rolled-back transaction
        raise
    return activity


def _delete_files_on_commit(files):
    names = [(f.storage, f.name) for f in files if f]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


@transaction.atomic
def remove_activity(*, actor, activity):
    """Delete an activity and its photos (the secretary who may post may also delete)."""
    app = _checked(activity.application_id, actor, RECORD, _SECRETARY_ONLY, lock=True)
    activity = BrandActivity.objects.filter(pk=activity.pk).first()
    if activity is None:
        raise BrandError(_("该活动已被删除。"))
    files = [f for p in activity.photos.all() for f in (p.image, p.thumb)]
    record_audit(
        actor=actor, obj=activity, action="delete_activity", unit=app.unit, comment=activity.title
    )
    activity.delete()
    _delete_files_on_commit(files)


def add_shine_record(*, actor, application, period, kind, title, text) -> ShineRecord:
    """Record a polish (擦亮) item: per period one innovation measure, one brand dissemination
    and one brand case; a period that has not begun cannot be recorded yet."""
    period = (period or "").strip().upper()
    try:
        start = period_start(period)
    except ValidationError as exc:
        raise ValidationError({"period": exc.messages}) from None
    if kind not in ShineKind.values:
        raise ValidationError({"kind": _("请选择类别。")})
    duplicate = ValidationError(
        {
            "kind": _("%(period)s 期已登记过“%(kind)s”：每期每类一条，如需修改请先删除原记录。")
            % {"period": period, "kind": ShineKind(kind).label}
        }
    )
    with transaction.atomic():
        app = _checked(application.pk, actor, RECORD, _SECRETARY_ONLY, lock=True)
        _not_after_today(start, "period", _("期次 %(p)s 尚未开始，不能提前登记。") % {"p": period})
        if app.shine_records.filter(period=period, kind=kind).exists():
            raise duplicate
        try:
            with transaction.atomic():
                record = ShineRecord.objects.create(
                    application=app,
                    period=period,
                    kind=kind,
                    title=title,
                    text=text,
                    created_by=actor,
                )
        except IntegrityError as exc:  # a concurrent record of the same kind
            raise duplicate from exc
        record_audit(
            actor=actor, obj=record, action="add_shine_record", unit=app.unit, comment=title
        )
    return record


@transaction.atomic
def remove_shine_record(*, actor, record):
    app = _checked(record.application_id, actor, RECORD, _SECRETARY_ONLY, lock=True)
    record_audit(
        actor=actor, obj=record, action="delete_shine_record", unit=app.unit, comment=str(record)
    )
    ShineRecord.objects.filter(pk=record.pk).delete()


@transaction.atomic
def add_pairing(*, actor, application, partner, started_on, note="") -> Pairing:
    """Pair (结对帮扶) a provincial-level brand or a demonstration unit's brand
    (`rules.may_pair`) with an active branch that has no live brand, once per partner;
    recorded by the brand's secretary or the province reviewer."""
    app = _checked(application.pk, actor, PAIR, _PAIR_ONLY, lock=True)
    if not may_pair(app):
        raise BrandError(_("只有省公司级品牌和示范单位的品牌才能开展结对帮扶。"))
    _not_after_today(started_on, "started_on", _("结对日期不能晚于今天。"))
    partner = OrgUnit.objects.filter(pk=getattr(partner, "pk", partner)).first()
    if partner is None or partner.unit_type != UnitType.BRANCH or not partner.is_active:
        raise ValidationError({"partner": _("结对对象必须是有效的党支部。")})
    if not _unbranded_branches().filter(pk=partner.pk).exists():
        message = _("%(unit)s 已有在建或已建成的品牌，请选择尚未创建品牌的支部。")
        raise ValidationError({"partner": message % {"unit": partner}})
    if not OrgUnit.objects.filter(_pairing_area(app, actor), pk=partner.pk).exists():
        raise ValidationError({"partner": _("只能选择本市（直属）党委范围内的党支部结对。")})
    duplicate = ValidationError(
        {"partner": _("已与 %(unit)s 结对，无需重复登记。") % {"unit": partner}}
    )
    if app.pairings.filter(partner=partner).exists():
        raise duplicate
    try:
        with transaction.atomic():
            pairing = Pairing.objects.create(
                application=app, partner=partner, started_on=started_on, note=note, created_by=actor
            )
    except IntegrityError as exc:
        raise duplicate from exc
    record_audit(actor=actor, obj=pairing, action="add_pairing", unit=app.unit, comment=note)
    notify(
        secretaries_at(partner),
        title=_("品牌“%(brand)s”（%(unit)s）与贵支部结对帮扶") % {"brand": app, "unit": app.unit},
        body=note,
    )
    return pairing


@transaction.atomic
def remove_pairing(*, actor, pairing):
    app = _checked(pairing.application_id, actor, PAIR, _PAIR_ONLY, lock=True)
    record_audit(
        actor=actor, obj=pairing, action="delete_pairing", unit=app.unit, comment=str(pairing)
    )
    Pairing.objects.filter(pk=pairing.pk).delete()


def _check_url(url):
    if url and url.split(":", 1)[0].lower() not in ("http", "https"):
        raise ValidationError({"url": _("链接只能是 http:// 或 https:// 开头的网址。")})


@transaction.atomic
def add_publication(
    *, actor, application, outlet, media_level, title, published_on, url=""
) -> MediaPublication:
    """Record a publication about the brand; provincial-or-higher ones count for 闪亮."""
    app = _checked(application.pk, actor, RECORD, _SECRETARY_ONLY, lock=True)
    if media_level not in MediaPublication.MediaLevel.values:
        raise ValidationError({"media_level": _("请选择媒体级别。")})
    _not_after_today(published_on, "published_on", _("发表日期不能晚于今天。"))
    url = (url or "").strip()
    _check_url(url)
    publication = MediaPublication.objects.create(
        application=app,
        outlet=outlet,
        media_level=media_level,
        title=title,
        published_on=published_on,
        url=url,
        created_by=actor,
    )
    record_audit(
        actor=actor, obj=publication, action="add_publication", unit=app.unit, comment=title
    )
    return publication


@transaction.atomic
def remove_publication(*, actor, publication):
    app = _checked(publication.application_id, actor, RECORD, _SECRETARY_ONLY, lock=True)
    record_audit(
        actor=actor,
        obj=publication,
        action="delete_publication",
        unit=app.unit,
        comment=publication.title,
    )
    MediaPublication.objects.filter(pk=publication.pk).delete()
