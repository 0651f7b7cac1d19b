"""The branch's own records (支部台账): the member roster with its party groups, and the work
templates (模板) that fix what each kind of meeting must contain.

* `PartyGroup` and `Member` (roster.py) belong to a branch (`OrgUnit` of type branch). A
  member's personal data (birth date, phone, education) is read only inside the branch's
  subtree; see `ledger.rules` and `ledger.selectors`.
* `MeetingTemplate` (templates.py) is versioned data: a published row never changes, an edit
  is a new row with the next version number (`services.templates.revise_template`)."""

from .roster import Education, Gender, Member, MemberStatus, PartyGroup, mask_phone
from .templates import Attendees, Frequency, MeetingKind, MeetingTemplate

__all__ = [
    "Attendees",
    "Education",
    "Frequency",
    "Gender",
    "MeetingKind",
    "MeetingTemplate",
    "Member",
    "MemberStatus",
    "PartyGroup",
    "mask_phone",
]
