"""Demo "1+N" cluster and 结对帮扶 for `seed_demo` (run last: after flagship, whose
demonstration units may pair, and selection, whose round names provincial-level brands). Made
only through the services, so each step is checked, audited and notified as in the portal:

* the showcase branch's committee (杭州市分公司党委 at the default size) files its own "1" brand
  by its secretary (`branches.demo.COMMITTEE_SECRETARY_PREFIX`: `committee_hz`), with a
  generated logo (a submission needs one), submits it and the province approves it (实施推进);
  its secretary then gathers up to `CLUSTER_SIZE` built 支部品牌 of its subtree, the showcase
  secretary's first when it is there;
* the first demo secretary's brand that may pair (a demonstration unit's, or a provincial-level
  brand) pairs with an un-branded branch of its committee — one with a demo secretary when
  there is one — `PAIRED_DAYS_AGO` days ago, with two dated follow-up notes since.

Provinces above `demo_trail.TRAIL_MAX_BRANCHES` branches skip both, as they skip the trail.
"""

import io
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from branches.access import reviewers_at
from branches.demo import COMMITTEE_SECRETARY_PREFIX, SECRETARY_COUNT, SHOWCASE_SECRETARY
from branches.models import OrgUnit, UnitType

from . import clusters, demo_trail, lifecycle, pairing
from .models import BrandApplication, BrandType, ClusterMember, Pairing, PairingNote, Status
from .rules import may_pair
from .services import approve_application, save_application_draft, submit_application

#: Built 支部品牌 gathered into the committee's cluster.
CLUSTER_SIZE = 3
#: The pairing began this many days before seeding; its notes on these days before seeding.
PAIRED_DAYS_AGO, NOTE_DAYS_AGO = 75, (60, 14)
NOTES = (
    "书记带队走访结对支部，共同梳理支部工作短板，商定“一月一交流、一季一共建”的帮扶计划。",
    "联合开展主题党日，分享品牌创建经验，指导对方提炼品牌名称和核心理念，计划下季度提交申报。",
)


def _logo() -> SimpleUploadedFile:
    """A plain red-and-gold emblem: a submitted brand needs a logo."""
    image = Image.new("RGB", (256, 256), (200, 16, 46))
    ImageDraw.Draw(image).ellipse((48, 48, 208, 208), outline=(255, 215, 0), width=18)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def _lead_brand(secretary, committee) -> BrandApplication:
    """The committee's own "1" brand: filed and submitted by its secretary, approved up its
    chain (the province)."""
    city = committee.name.removesuffix("党委")
    app = save_application_draft(
        actor=secretary,
        unit=committee,
        data={
            "name": f"{city}“1+N”红色引擎",
            "slogan": "一个党委品牌引领，N个支部品牌齐放",
            "brand_type": BrandType.DEVELOPMENT,
            "core_idea": "以党委品牌为“1”统领方向，以支部品牌为“N”落地见效，形成品牌集群",
            "goal": "三年内培育支部品牌集群成员不少于10个，打造全省可复制的党建品牌体系",
            "measures": [
                "党委品牌统一标识与传播语，支部品牌各具特色",
                "每季度召开品牌集群联席会，交流创建经验",
                "建立支部品牌培育库，分批纳入集群",
            ],
            "results": "已纳入支部品牌集群，多个支部品牌建成并获评优秀案例",
        },
        logo=_logo(),
    )
    app = submit_application(actor=secretary, pk=app.pk)
    while app.status == Status.IN_REVIEW:
        app = approve_application(
            actor=reviewers_at(app.current_level)[0], pk=app.pk, comment="同意立项。"
        )
    return app


def _seed_cluster() -> int:
    """The committee's "1" brand and its members; returns how many were gathered."""
    secretary = (
        get_user_model()
        .objects.filter(username__startswith=COMMITTEE_SECRETARY_PREFIX, is_active=True)
        .order_by("pk")
        .first()
    )
    committee = OrgUnit.objects.filter(secretary=secretary).first() if secretary else None
    if committee is None:
        return 0
    lead = _lead_brand(secretary, committee)
    built = clusters.cluster_candidates(lead).filter(
        status=Status.BUILT, unit__unit_type=UnitType.BRANCH
    )
    showcase = built.filter(unit__secretary__username=SHOWCASE_SECRETARY).first()
    members = [showcase] if showcase else []
    members += list(built.exclude(pk__in=[m.pk for m in members])[: CLUSTER_SIZE - len(members)])
    for brand in members:
        clusters.gather_brand(actor=secretary, lead=lead, brand=brand)
    return len(members)


def _seed_pairing(today) -> int:
    """One pairing with its follow-up notes; returns the number of notes (0: no pairing)."""
    usernames = [f"secretary{i}" for i in range(1, SECRETARY_COUNT + 1)]
    for username in usernames:  # secretary1 first
        secretary = get_user_model().objects.filter(username=username).first()
        units = OrgUnit.objects.filter(secretary=secretary) if secretary else []
        brand = (
            BrandApplication.objects.filter(unit__in=units, status__in=lifecycle.LIFECYCLE_STATUSES)
            .select_related("unit")
            .first()
        )
        if brand is not None and may_pair(brand):
            break
    else:
        return 0
    candidates = lifecycle.pairing_candidates(brand, secretary)
    partner = candidates.filter(secretary__username__in=usernames).first() or candidates.first()
    if partner is None:
        return 0
    made = lifecycle.add_pairing(
        actor=secretary,
        application=brand,
        partner=partner,
        started_on=today - timedelta(days=PAIRED_DAYS_AGO),
        note="结对帮扶，助力对方支部创建品牌。",
    )
    for days, text in zip(NOTE_DAYS_AGO, NOTES, strict=True):
        pairing.add_note(
            actor=secretary, pairing=made, date=today - timedelta(days=days), text=text
        )
    return len(NOTES)


def seed_cluster_and_pairing(rng: random.Random) -> dict[str, int]:
    branches = OrgUnit.objects.filter(unit_type=UnitType.BRANCH, is_active=True).count()
    if branches > demo_trail.TRAIL_MAX_BRANCHES:  # a big province: no trail, no story either
        return {}
    gathered = _seed_cluster()
    notes = _seed_pairing(timezone.localdate())
    made = {}
    if gathered:
        made[str(ClusterMember._meta.verbose_name)] = gathered
    if notes:
        made[str(Pairing._meta.verbose_name)] = 1
        made[str(PairingNote._meta.verbose_name)] = notes
    return made
