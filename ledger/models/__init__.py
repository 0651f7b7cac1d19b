"""The branch's own records (支部台账): the member roster with its party groups, and the work
templates (模板) that fix what each kind of meeting must contain.

* `PartyGroup` and `Member` (roster.py) belong to a branch (`OrgUnit` of type branch). A
  member's personal data (birth date, phone, education) is read only inside the branch's
  subtree; see `ledger.rules` and `ledger.selectors`.
* `MeetingTemplate` (templates.py) is versioned data: a published row never changes, an edit
  is a new row with the next version number (`services.templates.revise_template`).
* `MeetingRecord` (records.py) is one meeting kept under the exact template version it was
  recorded on, with its `Attendance`, `MeetingPhoto` and `MeetingAttachment` rows.
* `WorkTask` (worklist.py) is one task of a branch's annual work list (清单化管理).
* `ComplianceSnapshot` / `ComplianceRun` (snapshots.py): the stored monthly compliance rollup."""

from .prints import LedgerPrint, PrintPeriod
from .records import (
    Attendance,
    AttendanceStatus,
    MeetingAttachment,
    MeetingPhoto,
    MeetingRecord,
    RecordStatus,
)
from .roster import Education, Gender, Member, MemberStatus, PartyGroup, mask_phone
from .snapshots import ComplianceRun, ComplianceSnapshot
from .templates import Attendees, Frequency, MeetingKind, MeetingTemplate
from .worklist import WorkTask

__all__ = [
    "Attendance",
    "AttendanceStatus",
    "Attendees",
    "ComplianceRun",
    "ComplianceSnapshot",
    "Education",
    "Frequency",
    "Gender",
    "LedgerPrint",
    "MeetingAttachment",
    "MeetingKind",
    "MeetingPhoto",
    "MeetingRecord",
    "MeetingTemplate",
    "Member",
    "MemberStatus",
    "PartyGroup",
    "PrintPeriod",
    "RecordStatus",
    "WorkTask",
    "mask_phone",
]
