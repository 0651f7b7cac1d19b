"""Demo brand reshapings (品牌重塑) for `seed_demo`: a few approved brands are being reshaped,
waiting at a level of their chain, and a few were reshaped — their content is the reshaping's,
their earlier version kept as the brand's previous revision — so the review queues, the
dashboards and the brand pages' history have something to show.

Bulk-written like the applications (`brands/demo.py`), with the audit entries the services
would have recorded (`Workflow.apply` on the reshaping; `reshaped` on the brand), dated
between the brand's approval and now. At most `RESHAPED_MAX` brands, whatever the province's
size: a handful of rows, written after the applications (`seed_brands`)."""

import random
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from branches.access import reviewers_at
from workflow.models import AuditEntry
from workflow.services import object_label

from .models import (
    SHOWCASE_STATUSES,
    BrandApplication,
    Reshaping,
    ReshapingRevision,
    ReshapingStatus,
    Revision,
)
from .reshaping import RESHAPED
from .services import CONTENT_FIELDS

#: The share of approved brands being or having been reshaped, at least `RESHAPED_MIN` (a
#: small demo shows each kind) and at most `RESHAPED_MAX`.
RESHAPED_SHARE = 0.05
RESHAPED_MIN, RESHAPED_MAX = 3, 40
REASONS = (
    "服务对象扩展，品牌内涵需要深化。",
    "结合新的业务重点，调整建设目标和创建举措。",
    "品牌传播语与实际工作结合不紧，重新提炼。",
)
RS = ReshapingStatus


def _reshaped_content(app, rng) -> dict:
    content = {f: getattr(app, f) for f in CONTENT_FIELDS}
    content["goal"] = f"{app.goal}；{rng.choice(('三年内', '五年内'))}形成可复制的经验"
    content["measures"] = [*app.measures, rng.choice(("建立品牌工作室", "开展跨支部联建"))]
    return content


def _snapshot(content, app) -> dict:
    return dict(content, logo=app.logo.name, attachments=[])


def seed_reshapings(rng: random.Random, reviewing: dict, *, trail=True, now=None) -> dict[str, int]:
    """Reshape a few approved brands (`reviewing` is `demo.reviewing_units()`), with their
    audit entries if `trail` (a province too big for the applications' trail gets none).
    Returns what was made, by label, for the seed summary."""
    from .demo import _explicit_timestamps, chain_from_path  # noqa: PLC0415 (demo imports us)

    now = now or timezone.now()
    approved = list(
        BrandApplication.objects.filter(status__in=SHOWCASE_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    wanted = max(RESHAPED_MIN, round(len(approved) * RESHAPED_SHARE))
    count = min(RESHAPED_MAX, len(approved), wanted)
    if not count:
        return {}
    picked = sorted(rng.sample(approved, count))
    apps = BrandApplication.objects.filter(pk__in=picked).select_related("unit").order_by("pk")
    reviewer_of = {}
    reshapings, revisions, brand_revisions, trails, brands = [], [], [], [], []
    for i, app in enumerate(apps):
        chain = chain_from_path(app.unit.path, reviewing)
        if not chain:
            continue
        for level in chain:
            if level not in reviewer_of:
                holders = reviewers_at(level)
                reviewer_of[level] = holders[0].pk if holders else None
        since = max(app.approved_at or now - timedelta(days=90), now - timedelta(days=120))
        created = since + (now - since) * rng.uniform(0.2, 0.5)
        submitted = created + (now - created) * rng.uniform(0.1, 0.3)
        content = _reshaped_content(app, rng)
        done = i % 3 == 0  # a third approved, the rest waiting at a level of the chain
        k = len(chain) if done else rng.randrange(len(chain))
        times = sorted(submitted + (now - submitted) * rng.uniform(0.1, 0.9) for _ in range(k))
        r = Reshaping(
            application=app,
            applicant_id=app.applicant_id,
            status=RS.APPROVED if done else RS.IN_REVIEW,
            based_on=app.revision_number,
            reason=rng.choice(REASONS),
            current_level_id=None if done else chain[k],
            revision_number=1,
            submitted_at=submitted,
            created_at=created,
            updated_at=times[-1] if times else submitted,
            approved_at=times[-1] if done else None,
            logo=app.logo.name,
            **content,
        )
        reshapings.append(r)
        revisions.append(
            ReshapingRevision(
                number=1,
                snapshot=_snapshot(content, app),
                created_by_id=app.applicant_id,
                created_at=submitted,
            )
        )
        steps = [
            (created, app.applicant_id, "create", "", RS.DRAFT),
            (submitted, app.applicant_id, "submit", RS.DRAFT, RS.IN_REVIEW),
        ]
        for j, at in enumerate(times):
            to = RS.APPROVED if done and j == k - 1 else RS.IN_REVIEW
            steps.append((at, reviewer_of[chain[j]], "approve", RS.IN_REVIEW, to))
        trails.append(steps)
        if done:
            for field, value in content.items():
                setattr(app, field, value)
            app.revision_number += 1
            app.updated_at = times[-1]
            brands.append((app, times[-1], reviewer_of[chain[-1]]))
    with _explicit_timestamps(
        *(Reshaping._meta.get_field(f) for f in ("created_at", "updated_at")),
        ReshapingRevision._meta.get_field("created_at"),
        Revision._meta.get_field("created_at"),
        BrandApplication._meta.get_field("updated_at"),
        AuditEntry._meta.get_field("at"),
    ):
        Reshaping.objects.bulk_create(reshapings)
        for r, revision in zip(reshapings, revisions, strict=True):
            revision.reshaping = r
        ReshapingRevision.objects.bulk_create(revisions)
        by_app = {r.application_id: r for r in reshapings}
        for app, at, _actor in brands:
            brand_revisions.append(
                Revision(
                    application=app,
                    number=app.revision_number,
                    snapshot=_snapshot({f: getattr(app, f) for f in CONTENT_FIELDS}, app),
                    created_by_id=app.applicant_id,
                    created_at=at,
                    reshaping=by_app[app.pk],
                )
            )
        BrandApplication.objects.bulk_update(
            [app for app, _at, _actor in brands], [*CONTENT_FIELDS, "revision_number", "updated_at"]
        )
        Revision.objects.bulk_create(brand_revisions)
        if trail:
            AuditEntry.objects.bulk_create(_entries(reshapings, trails, brands))
    return {
        str(Reshaping._meta.verbose_name): len(reshapings),
        str(ReshapingRevision._meta.verbose_name): len(revisions),
    }


def _entries(reshapings, trails, brands) -> list[AuditEntry]:
    reshaping_type = ContentType.objects.get_for_model(Reshaping)
    brand_type = ContentType.objects.get_for_model(BrandApplication)
    rows = [
        AuditEntry(
            at=at,
            actor_id=actor,
            content_type=reshaping_type,
            object_id=r.pk,
            object_repr=object_label(r),
            unit_id=r.application.unit_id,
            action=action,
            from_state=from_state,
            to_state=to_state,
        )
        for r, trail in zip(reshapings, trails, strict=True)
        for at, actor, action, from_state, to_state in trail
    ]
    rows += [
        AuditEntry(
            at=at,
            actor_id=actor,
            content_type=brand_type,
            object_id=app.pk,
            object_repr=object_label(app),
            unit_id=app.unit_id,
            action=RESHAPED,
            from_state=app.status,
            to_state=app.status,
        )
        for app, at, actor in brands
    ]
    return rows
