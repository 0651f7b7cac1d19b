"""A record against its template's content standard (标准化): what a record still lacks before it
may be recorded (已记录), each as a Chinese message keyed by the form field it belongs to.

The template is the exact version the record was kept on (`MeetingRecord.template`), so a
later revision never makes an old record incomplete."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AttendanceStatus, MeetingRecord

#: Photos per record (a meeting, not an album); more at once is refused with a message.
DEFAULT_MAX_PHOTOS = 20


def max_photos() -> int:
    return getattr(settings, "LEDGER_MAX_PHOTOS", DEFAULT_MAX_PHOTOS)


def missing_content(record: MeetingRecord) -> dict[str, list[str]]:
    """{field: [message]} for every rule of the template the saved record breaks; {} when
    complete. Counts what is stored (attendance, photos, materials): three small queries."""
    template = record.template
    problems: dict[str, list[str]] = {}

    def lacks(field, message):
        problems.setdefault(field, []).append(message)

    if record.held_at and record.held_at > timezone.now():
        lacks("held_at", _("会议时间不能晚于现在，会议开过后再记录。"))
    if template.needs_topic and not record.topic.strip():
        lacks("topic", _("本模板要求填写会议议题"))
    if template.needs_host and record.host_id is None:
        lacks("host", _("本模板要求填写主持人"))
    if template.needs_recorder and record.recorder_id is None:
        lacks("recorder", _("本模板要求填写记录人"))
    if template.needs_minutes and not record.minutes.strip():
        lacks("minutes", _("本模板要求填写会议记录"))
    if template.needs_resolutions and not record.resolutions.strip():
        lacks("resolutions", _("本模板要求填写会议决议"))
    missing_steps = [s for s in template.steps if s not in record.steps_done]
    if missing_steps:
        lacks("steps_done", _("尚未完成规定步骤：%(steps)s") % {"steps": "、".join(missing_steps)})
    if (
        template.needs_attendance
        and not record.attendance.filter(status=AttendanceStatus.PRESENT).exists()
    ):
        lacks("attendance", _("出席名单不能为空"))
    photos = record.photos.count()
    if photos < template.min_photos:
        lacks(
            "photos",
            _("至少需要 %(n)d 张照片（已上传 %(have)d 张）")
            % {"n": template.min_photos, "have": photos},
        )
    if template.needs_materials and not record.attachments.exists():
        lacks("attachments", _("本模板要求上传会议材料"))
    return problems
