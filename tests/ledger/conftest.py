import pytest

from tests.factories import MemberFactory, PartyGroupFactory


class Roster:
    """Branch A1 with two groups (three members, Li leads group 1) and one member in the
    sibling city's branch B1 — the data a wrong scope would leak."""

    def __init__(self, org):
        self.g1 = PartyGroupFactory(branch=org.a1, name="运维一组")
        self.g2 = PartyGroupFactory(branch=org.a1, name="运维二组")
        self.li = MemberFactory(
            branch=org.a1, party_group=self.g1, name="李明", phone="13812341234"
        )
        self.wang = MemberFactory(
            branch=org.a1, party_group=self.g1, name="王芳", phone="13955556666"
        )
        self.zhao = MemberFactory(
            branch=org.a1,
            party_group=self.g2,
            name="赵强",
            status="probationary",
            full_member_on=None,
            phone="13700001111",
        )
        self.g1.leader, self.g1.leader_elected_on = self.li, self.li.joined_on.replace(year=2020)
        self.g1.save()
        self.b_group = PartyGroupFactory(branch=org.b1, name="乙市一组")
        self.sun = MemberFactory(
            branch=org.b1, party_group=self.b_group, name="孙乙", phone="13622223333"
        )


@pytest.fixture
def roster(org):
    return Roster(org)


# --- ledger records ------------------------------------------------------------------------

import io  # noqa: E402

import time_machine  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import Image  # noqa: E402

from ledger.models import Attendees, MeetingKind  # noqa: E402
from tests.clock import local  # noqa: E402
from tests.factories import MeetingTemplateFactory, UserFactory  # noqa: E402
from tests.permissions import LOGIN  # noqa: E402

#: Who reads a branch's records (roster, ledger, compliance): its secretary, the reviewers above
#: it, the province reviewer and administrators; never a sibling subtree's people, nor roles
#: unrelated to members (the flagship committee, a plain member). (own, other) branch.
READERS = {
    "anonymous": LOGIN,
    "member": 403,
    "secretary": (200, 403),
    "general_branch_reviewer": (200, 403),
    "city_reviewer": (200, 403),
    "province_reviewer": 200,
    "committee_member": 403,
    "admin": 200,
}

#: The instant the record tests run at (a mid-month weekday; February's records are open).
NOW = local(2026, 3, 16, 10, 0, 0)
#: A meeting in the open month before.
HELD = local(2026, 3, 5, 14, 30)


def jpeg_upload(name="photo.jpg", size=(64, 48), exif=False):
    """A JPEG; with `exif`, one carrying a camera make and a GPS block that must not survive."""
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (180, 40, 40))
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "SecretCam"  # Make
        tags[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0)}  # GPSInfo
        image.save(buffer, "JPEG", exif=tags)
    else:
        image.save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def tpl():
    """A branch meeting: topic, host, attendance, two steps and two photos required."""
    return MeetingTemplateFactory(
        kind=MeetingKind.THEME_DAY,
        name="主题党日（测试）",
        steps=["确定主题", "开展活动"],
        needs_topic=True,
        needs_host=True,
        needs_attendance=True,
        min_photos=2,
    )


@pytest.fixture
def group_tpl():
    return MeetingTemplateFactory(
        kind=MeetingKind.GROUP_MEETING,
        name="党小组会（测试）",
        attendees=Attendees.GROUP,
        steps=["集体学习"],
        needs_topic=True,
        needs_attendance=True,
        min_photos=0,
    )


@pytest.fixture
def leader(roster):
    """Li, leader of group 1, with a portal account (no role: a group leader only)."""
    user = UserFactory(username="li_leader", full_name="李明")
    roster.li.user = user
    roster.li.save()
    return user


def present(*members, exceptions=None):
    """Attendance rows: these members present, plus `exceptions` {member: (status, reason)}."""
    rows = [{"member": m, "status": "present", "reason": ""} for m in members]
    return rows + [
        {"member": m, "status": s, "reason": r} for m, (s, r) in (exceptions or {}).items()
    ]
