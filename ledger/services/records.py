"""Writes of the ledger's records (台账): keep a draft, record it (已记录), correct it, its photos
and materials.

Every write is one transaction that locks the record row (two tabs, or the secretary and a group
leader, may save at once), checks the actor's right (`ledger.rules.may_record`) and the page's
version, and leaves an audit entry with who and why. Input problems raise `ValidationError`
keyed by the form field, with Chinese messages; nothing is half-saved: a bad attendance row
among good ones, or a bad photo among good ones, saves nothing, and files already stored by a
write that then fails are deleted again (files are not part of the transaction).

The lock rule is `ledger.locking.is_locked`: a record of a closed month, or a new one dated in
a closed month, is written only as a correction with a reason (补录/更正)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import OrgUnit, UnitType
from common.uploads import clean_documents, clean_photos, discard, save_photo, store
from workflow.services import record_audit
from workflow.transitions import TransitionError

from ..locking import is_locked
from ..models import (
    Attendance,
    AttendanceStatus,
    Attendees,
    MeetingAttachment,
    MeetingPhoto,
    MeetingRecord,
    MeetingTemplate,
    Member,
    RecordStatus,
)
from ..rules import may_record
from ..standard import max_photos, missing_content

#: The fields of a record a form fills (the template and the group are fixed at creation).
RECORD_FIELDS = (
    "held_at",
    "place",
    "topic",
    "host",
    "recorder",
    "minutes",
    "resolutions",
    "steps_done",
)


class RecordError(TransitionError):
    """A refused write of a record as a whole (stale page, already recorded)."""


def _refuse_writer():
    return PermissionDenied(_("只有本支部书记或该党小组的党小组长可以记录台账。"))


def _locked(pk) -> MeetingRecord:
    return (
        # of=self: PostgreSQL refuses to lock the nullable side of an outer join (the group)
        MeetingRecord.objects.select_for_update(of=("self",))
        .select_related("branch", "party_group", "template")
        .get(pk=pk)
    )


def _check_version(record, expected_version):
    if expected_version is not None and record.version != expected_version:
        raise RecordError(_("该台账已被修改（可能在另一个页面），请刷新后再保存。"))


def _require_reason_if_locked(instants, reason):
    """A write touching a closed month is a correction: it needs a reason."""
    if any(i is not None and is_locked(i) for i in instants) and not reason.strip():
        raise ValidationError({"reason": _("该月台账已锁定，如需补录请说明原因")})


# --- input checks (no database writes) -----------------------------------------------------


def _check_new(actor, branch, template, group):
    if branch is None or branch.unit_type != UnitType.BRANCH:
        raise ValidationError(_("台账只能记在党支部下。"))
    if template is None:
        raise ValidationError({"template": _("请选择模板。")})
    template = MeetingTemplate.objects.select_related("owner").get(pk=template.pk)  # as it is now
    if not template.is_current:
        raise ValidationError({"template": _("该模板已修订，请选用现行版本。")})
    if template.owner_id is not None and not branch.path.startswith(template.owner.path):
        raise ValidationError({"template": _("该模板不适用于本支部。")})
    if template.attendees == Attendees.GROUP:
        if group is None:
            raise ValidationError({"party_group": _("党小组会须选择党小组。")})
        if group.branch_id != branch.pk or not group.is_active:
            raise ValidationError({"party_group": _("所选党小组不属于该党支部。")})
    elif group is not None:
        raise ValidationError({"party_group": _("该模板是支部的会议或活动，不选党小组。")})
    if not may_record(actor, branch, group):
        raise _refuse_writer()
    return template


def _check_people(branch, data):
    errors = {}
    for field, label in (("host", _("主持人")), ("recorder", _("记录人"))):
        person = data.get(field)
        if person is not None and person.branch_id != branch.pk:
            errors[field] = _("%(role)s须为本支部党员。") % {"role": label}
    if "held_at" in data and data["held_at"] is None:
        errors["held_at"] = _("请填写会议时间。")
    if errors:
        raise ValidationError(errors)


def _attendance_rows(branch, rows) -> list[Attendance]:
    """Unsaved attendance rows for `branch` from `rows` ({member, status, reason}: member a
    `Member` or its id). Every problem is listed; any problem refuses the whole list."""
    rows = list(rows)
    ids = [getattr(r["member"], "pk", r["member"]) for r in rows]
    members = Member.objects.in_bulk([i for i in ids if isinstance(i, int)])
    problems, seen, result = [], set(), []
    for row, member_id in zip(rows, ids, strict=True):
        member = members.get(member_id)
        status, reason = row.get("status"), (row.get("reason") or "").strip()
        if member is None:
            problems.append(_("出席名单中有不存在的党员。"))
        elif member.branch_id != branch.pk:
            problems.append(_("%(name)s不是本支部党员") % {"name": member.name})
        elif member.pk in seen:
            problems.append(_("%(name)s在出席名单中重复出现") % {"name": member.name})
        elif status not in AttendanceStatus.values:
            problems.append(_("%(name)s的出席情况无效") % {"name": member.name})
        elif status == AttendanceStatus.LEAVE and not reason:
            problems.append(_("%(name)s请假，请填写请假原因") % {"name": member.name})
        else:
            seen.add(member.pk)
            keep = reason if status != AttendanceStatus.PRESENT else ""
            result.append(Attendance(member=member, status=status, reason=keep[:200]))
    if problems:
        raise ValidationError({"attendance": problems})
    return result


def _check_photo_limit(new: int, have: int):
    limit = max_photos()
    if new + have > limit:
        raise ValidationError(
            {
                "photos": _("每条台账最多 %(n)d 张照片：已有 %(have)d 张，本次选择了 %(m)d 张。")
                % {"n": limit, "have": have, "m": new}
            }
        )


def _clean_photos(photos, have=0) -> list:
    _check_photo_limit(len(photos), have)
    return clean_photos(photos)


# --- writes --------------------------------------------------------------------------------


def save_draft(
    *,
    actor,
    data: dict,
    record: MeetingRecord | None = None,
    branch: OrgUnit | None = None,
    template: MeetingTemplate | None = None,
    party_group=None,
    attendance=None,
    photos=(),
    attachments=(),
    reason: str = "",
    expected_version: int | None = None,
) -> MeetingRecord:
    """Create a record (a draft, resumable) or save changes to one. A draft may be incomplete;
    a record already recorded stays complete (the template's standard is checked again). The
    template and the group are fixed when the record is created; `attendance` (if given)
    replaces the list; `photos` and `attachments` are added."""
    photos, attachments = list(photos or ()), list(attachments or ())
    if record is None:
        template = _check_new(actor, branch, template, party_group)
    # Decode images and sniff documents before taking any lock (the slow part).
    have = record.photos.count() if record is not None and photos else 0
    cleaned_photos = _clean_photos(photos, have) if photos else []
    cleaned_docs = clean_documents(attachments) if attachments else []
    written = []
    try:
        with transaction.atomic():
            record = _write(
                actor,
                record,
                (branch, template, party_group),
                data,
                attendance=attendance,
                reason=reason,
                expected=expected_version,
                photos=cleaned_photos,
                docs=cleaned_docs,
                written=written,
            )
    except BaseException:
        discard(written)  # files are not part of the rolled-back transaction
        raise
    return record


def _write(actor, record, new, data, *, attendance, reason, expected, photos, docs, written):
    creating = record is None
    branch, template, group = new
    if creating:
        record = MeetingRecord(
            branch=branch, template=template, party_group=group, created_by=actor
        )
        old_held_at = None
    else:
        record = _locked(record.pk)
        if not may_record(actor, record.branch, record.party_group):
            raise _refuse_writer()
        _check_version(record, expected)
        old_held_at = record.held_at
    fields = {k: v for k, v in data.items() if k in RECORD_FIELDS}
    _check_people(record.branch, fields)
    _require_reason_if_locked((old_held_at, fields.get("held_at", record.held_at)), reason)
    changed = [f for f in RECORD_FIELDS if f in fields and getattr(record, f) != fields[f]]
    for field, value in fields.items():
        setattr(record, field, value)
    if record.held_at is None:
        raise ValidationError({"held_at": _("请填写会议时间。")})
    if "held_at" in changed:
        from .theme_days import check_month_kept  # imports this module's lock helpers

        check_month_kept(record, old_held_at)
    if not isinstance(record.steps_done, list):
        record.steps_done = []
    record.steps_done = [s for s in record.template.steps if s in record.steps_done]
    _refuse_duplicate(record)
    if not creating:
        record.version += 1
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:  # the same meeting saved by someone else meanwhile
        raise ValidationError({"held_at": _duplicate_message()}) from exc
    if attendance is not None:
        rows = _attendance_rows(record.branch, attendance)
        record.attendance.all().delete()
        for row in rows:
            row.record = record
        Attendance.objects.bulk_create(rows)
        changed.append("attendance")
    if photos:
        _check_photo_limit(len(photos), record.photos.count())  # again, under the lock
        for image, thumb in photos:
            save_photo(MeetingPhoto(record=record), image, thumb, written=written)
        changed.append("photos")
    for doc in docs:
        attachment = MeetingAttachment(
            record=record,
            original_name=doc.original_name,
            content_type=doc.content_type,
            size=doc.size,
            uploaded_by=actor,
        )
        store(attachment.file, doc.content, written=written)
        attachment.save()
        changed.append("attachments")
    if record.status == RecordStatus.RECORDED:
        problems = missing_content(record)
        if problems:
            raise ValidationError(problems)
    _audit_write(actor, record, creating, changed, reason, old_held_at)
    return record


def _duplicate_message():
    return _("该会议已有台账记录（同一模板、同一时间），请勿重复录入。")


def _refuse_duplicate(record):
    same = MeetingRecord.objects.filter(
        branch=record.branch_id,
        party_group=record.party_group_id,
        template__key=record.template.key,
        held_at=record.held_at,
    )
    if record.pk:
        same = same.exclude(pk=record.pk)
    if same.exists():
        raise ValidationError({"held_at": _duplicate_message()})


def _labels(fields) -> str:
    extra = {"attendance": _("出席情况"), "photos": _("照片"), "attachments": _("会议材料")}
    names = dict.fromkeys(fields)
    return "、".join(
        str(extra.get(f) or MeetingRecord._meta.get_field(f).verbose_name) for f in names
    )


def _audit_write(actor, record, creating, changed, reason, old_held_at):
    correcting = is_locked(record.held_at) or (old_held_at is not None and is_locked(old_held_at))
    if creating:
        action = "record_correct" if correcting else "record_create"
        comment = reason.strip()
    else:
        action = "record_correct" if correcting else "record_edit"
        comment = "；".join(p for p in (_labels(changed), reason.strip()) if p)
    record_audit(
        actor=actor,
        obj=record,
        action=action,
        to_state=record.status if creating else "",
        comment=comment,
        unit=record.branch,
    )


@transaction.atomic
def finalise(*, actor, record, reason: str = "", expected_version: int | None = None):
    """Record a draft (已记录): only when it meets its template's content standard, every gap
    named at its field. A record of a closed month needs a reason (a late entry, 补录)."""
    record = _locked(record.pk)
    if not may_record(actor, record.branch, record.party_group):
        raise _refuse_writer()
    _check_version(record, expected_version)
    if record.status == RecordStatus.RECORDED:
        raise RecordError(_("该台账已记录。"))
    _require_reason_if_locked((record.held_at,), reason)
    problems = missing_content(record)
    if problems:
        raise ValidationError(problems)
    record.status = RecordStatus.RECORDED
    record.recorded_at = timezone.now()
    record.version += 1
    record.save(update_fields=["status", "recorded_at", "version", "updated_at"])
    record_audit(
        actor=actor,
        obj=record,
        action="record_finalise",
        from_state=RecordStatus.DRAFT,
        to_state=RecordStatus.RECORDED,
        comment=reason.strip(),
        unit=record.branch,
    )
    return record


def _remove_file_row(actor, row, *, record_pk, files, what, reason, expected_version):
    record = _locked(record_pk)
    if not may_record(actor, record.branch, record.party_group):
        raise _refuse_writer()
    _check_version(record, expected_version)
    _require_reason_if_locked((record.held_at,), reason)
    names = [(f.storage, f.name) for f in files if f]
    row.delete()
    if record.status == RecordStatus.RECORDED:
        problems = missing_content(record)
        if problems:
            raise ValidationError(problems)
    record.version += 1
    record.save(update_fields=["version", "updated_at"])
    record_audit(
        actor=actor,
        obj=record,
        action="record_correct" if is_locked(record.held_at) else "record_edit",
        comment="；".join(p for p in (what, reason.strip()) if p),
        unit=record.branch,
    )
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])
    return record


@transaction.atomic
def remove_photo(*, actor, photo: MeetingPhoto, reason="", expected_version=None):
    """Delete a photo (and, once committed, its files). A recorded record keeps its minimum."""
    return _remove_file_row(
        actor,
        photo,
        record_pk=photo.record_id,
        files=(photo.image, photo.thumb),
        what=_("删除照片"),
        reason=reason,
        expected_version=expected_version,
    )


@transaction.atomic
def remove_attachment(*, actor, attachment: MeetingAttachment, reason="", expected_version=None):
    return _remove_file_row(
        actor,
        attachment,
        record_pk=attachment.record_id,
        files=(attachment.file,),
        what=_("删除会议材料：%(name)s") % {"name": attachment.original_name},
        reason=reason,
        expected_version=expected_version,
    )
