"""A cycle's scoring table (评分表), edited by the provincial committee in the portal: every
row checked at once, the save one transaction recorded row by row on the cycle's timeline, a
stale page refused, and the table frozen once a member has scored or the awards are out."""

import hashlib
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common.formats import points
from workflow.services import record_audit
from workflow.transitions import AlreadyHandled

from ..models import CommitteeScore, CriterionSource, Phase, ReviewCriterion
from .common import FlagshipError
from .cycle import locked_cycle

#: What the documents' table adds up to (50 + 50); another total is shown with a warning.
USUAL_TOTAL = Decimal(100)
#: The largest value `ReviewCriterion.max_points` holds (7 digits, 2 decimals).
MAX_POINTS = Decimal("99999.99")
CENT = Decimal("0.01")
NAME_LENGTH = ReviewCriterion._meta.get_field("name").max_length
CODE_LENGTH = ReviewCriterion._meta.get_field("code").max_length


def criteria_version(criteria) -> str:
    """The scoring table as the editor saw it (every line as stored, hashed): a save made from
    another version is refused instead of silently undoing someone else's change."""
    text = "\n".join(
        f"{c.pk}|{c.code}|{c.name}|{c.max_points:.2f}|{c.source}|{c.sort_order}" for c in criteria
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def criteria_frozen_reason(cycle) -> str:
    """Why the cycle's scoring table may no longer change (empty when it may): the committee's
    scores were given against it, and the awards rest on them."""
    if cycle.phase == Phase.AWARDED:
        return _("表彰已公布，评分表不能再修改。")
    if CommitteeScore.objects.filter(candidacy__cycle=cycle).exists():
        return _("评委已开始评分，评分表不能再修改。")
    return ""


def criteria_total(criteria) -> Decimal:
    return sum((c.max_points for c in criteria), Decimal(0))


def total_warning(total) -> str:
    """A reminder, never a refusal, when the table does not add up to the usual 100 points."""
    if not total or total == USUAL_TOTAL:
        return ""
    return _(
        "评分表满分合计为 %(t)s 分，不是通常的 100 分。评委总分和示范基地综合分按实际满分折算，"
        "请确认无误。"
    ) % {"t": points(total)}


def _as_points(raw) -> Decimal | None:
    """A positive number of points with at most two decimals, or None."""
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not value.is_finite() or value <= 0 or value != value.quantize(CENT):
        return None
    return value


def _as_pk(raw, existing) -> int | None:
    if raw in (None, ""):
        return None
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        pk = None
    if pk not in existing:  # deleted meanwhile, or not a line of this cycle
        raise AlreadyHandled(_("评分表已被他人修改，请刷新页面后重试。"))
    return pk


def _new_code(name, taken) -> str:
    """An internal code for a new line: the name's slug (a Chinese name has none: "criterion"),
    numbered until it is free."""
    base = slugify(name)[: CODE_LENGTH - 4].strip("-") or "criterion"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    taken.add(code)
    return code


def _clean_criteria(rows, existing: dict) -> list[dict]:
    """Every line checked, every problem reported at once (ValidationError with all messages);
    the lines normalised: pk (an existing line) or code (a new one), name, points, source."""
    errors, lines, names, pks = [], [], set(), set()
    if not rows:
        errors.append(_("评分表至少需要一个评分项。"))
    for n, row in enumerate(rows, 1):
        pk = _as_pk(row.get("pk"), existing)
        if pk is not None:
            if pk in pks:
                raise ValidationError(_("提交的内容有误，请刷新页面后重试。"))
            pks.add(pk)
        name = " ".join(str(row.get("name") or "").split())
        label = name or _("第 %(n)d 项") % {"n": n}
        if not name:
            errors.append(_("第 %(n)d 项：请填写评分项名称。") % {"n": n})
        elif len(name) > NAME_LENGTH:
            errors.append(
                _("评分项名称“%(name)s”超过 %(max)d 个字符。") % {"name": name, "max": NAME_LENGTH}
            )
        elif name.casefold() in names:
            errors.append(
                _("评分项“%(name)s”重复，同一评分表中的评分项名称不能相同。") % {"name": name}
            )
        names.add(name.casefold())
        max_points = _as_points(row.get("max_points"))
        if max_points is None:
            errors.append(_("“%(name)s”的分值须为大于 0 的数字，最多两位小数。") % {"name": label})
        elif max_points > MAX_POINTS:
            errors.append(
                _("“%(name)s”的分值不能超过 %(max)s 分。")
                % {"name": label, "max": points(MAX_POINTS)}
            )
        source = row.get("source") or CriterionSource.MANUAL
        if source not in CriterionSource.values:
            errors.append(_("“%(name)s”的参考来源无效。") % {"name": label})
        # The code is internal: an existing line keeps its own, a new one may bring one.
        code = "" if pk is not None else str(row.get("code") or "").strip()
        if code and (len(code) > CODE_LENGTH or not slug_re.fullmatch(code)):
            errors.append(
                _("编码“%(code)s”只能包含字母、数字、连字符或下划线，且不超过 %(max)d 个字符。")
                % {"code": code, "max": CODE_LENGTH}
            )
        lines.append(
            {"pk": pk, "code": code, "name": name, "max_points": max_points, "source": source}
        )
    taken = {existing[line["pk"]].code for line in lines if line["pk"] is not None}
    for line in lines:
        if line["code"]:
            if line["code"] in taken:
                errors.append(_("编码“%(code)s”重复。") % {"code": line["code"]})
            taken.add(line["code"])
    if errors:
        raise ValidationError(errors)
    taken |= {c.code for c in existing.values()}  # a new code never reuses a removed one
    for line in lines:
        if line["pk"] is None and not line["code"]:
            line["code"] = _new_code(line["name"], taken)
    return lines


def _describe_criteria(before, after, removed) -> list[str]:
    """The audit trail's account of a change to the table, one line per criterion touched."""
    old = {c.pk: c for c in before}
    text = []
    for c in after:
        if c.pk not in old:
            text.append(_("新增：%(name)s %(p)s 分") % {"name": c.name, "p": points(c.max_points)})
            continue
        was, parts = old[c.pk], []
        if was.name != c.name:
            parts.append(_("名称 %(old)s → %(new)s") % {"old": was.name, "new": c.name})
        if was.max_points != c.max_points:
            parts.append(
                _("分值 %(old)s → %(new)s 分")
                % {"old": points(was.max_points), "new": points(c.max_points)}
            )
        if was.source != c.source:
            parts.append(
                _("参考来源 %(old)s → %(new)s")
                % {"old": was.get_source_display(), "new": c.get_source_display()}
            )
        if parts:
            text.append(
                _("修改“%(name)s”：%(what)s") % {"name": was.name, "what": _("，").join(parts)}
            )
    for c in removed:
        text.append(_("删除：%(name)s %(p)s 分") % {"name": c.name, "p": points(c.max_points)})
    kept_before = [c.pk for c in before if c.pk in {a.pk for a in after}]
    if [c.pk for c in after if c.pk in old] != kept_before:
        text.append(_("调整排序：%(names)s") % {"names": _("、").join(c.name for c in after)})
    total_before, total_after = criteria_total(before), criteria_total(after)
    if text and total_before != total_after:
        text.append(
            _("满分合计 %(old)s → %(new)s 分")
            % {"old": points(total_before), "new": points(total_after)}
        )
    return text


@transaction.atomic
def save_criteria(*, actor, cycle_pk, rows, expected_version=None) -> list[ReviewCriterion]:
    """Replace a cycle's scoring table by `rows`, in their order: a row with the `pk` of an
    existing line updates it (its code is kept), one without adds a line (`code` optional,
    generated from the name), an existing line absent from `rows` is deleted — all or nothing.
    Refused once a committee member has scored or the awards are published. The total is not
    checked (see `total_warning`). `expected_version` is `criteria_version` as the editor saw it.
    """
    cycle = locked_cycle(actor, cycle_pk)
    reason = criteria_frozen_reason(cycle)
    if reason:
        raise FlagshipError(reason)
    before = list(cycle.criteria.all())
    if expected_version is not None and criteria_version(before) != expected_version:
        raise AlreadyHandled(_("评分表已被他人修改，请刷新页面后重试。"))
    existing = {c.pk: c for c in before}
    lines = _clean_criteria(list(rows), existing)
    kept = {line["pk"] for line in lines}
    removed = [c for c in before if c.pk not in kept]
    after, changed, new = [], [], []
    for order, line in enumerate(lines, 1):
        fields = {
            "name": line["name"],
            "max_points": line["max_points"],
            "source": line["source"],
            "sort_order": order,
        }
        if line["pk"] is None:
            criterion = ReviewCriterion(cycle=cycle, code=line["code"], **fields)
            new.append(criterion)
        else:
            was = existing[line["pk"]]
            criterion = ReviewCriterion(pk=was.pk, cycle=cycle, code=was.code, **fields)
            if any(getattr(was, f) != v for f, v in fields.items()):
                changed.append(criterion)
        after.append(criterion)
    # Removed lines go first: a new line may bring a removed line's code (unique per cycle).
    ReviewCriterion.objects.filter(pk__in=[c.pk for c in removed]).delete()
    ReviewCriterion.objects.bulk_update(changed, ["name", "max_points", "source", "sort_order"])
    ReviewCriterion.objects.bulk_create(new)
    text = _describe_criteria(before, after, removed)
    if text:
        record_audit(
            actor=actor, obj=cycle, action="update_criteria", comment="\n".join(text), unit=None
        )
    return list(cycle.criteria.all())
