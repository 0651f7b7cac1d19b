"""Keeping records (台账): drafts, recording against the template's standard, attendance from the
roster, duplicates, template versions, group leaders, stale pages and corrections. Every
refusal saves nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ledger import services
from ledger.models import Attendance, MeetingRecord, RecordStatus
from tests.factories import MemberFactory
from workflow.models import AuditEntry

from .conftest import HELD, jpeg_upload, present

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

COMPLETE = {
    "held_at": HELD,
    "place": "三楼会议室",
    "topic": "学习党章",
    "steps_done": ["确定主题", "开展活动"],
}


def messages_of(exc_info) -> dict:
    return exc_info.value.message_dict


def draft(org, roster, tpl, **kwargs):
    kwargs.setdefault("data", dict(COMPLETE, host=roster.li))
    kwargs.setdefault("attendance", present(roster.li, roster.wang, roster.zhao))
    return services.save_draft(actor=org.users["secretary"], branch=org.a1, template=tpl, **kwargs)


def test_a_draft_may_be_incomplete_and_is_audited(org, roster, tpl):
    record = services.save_draft(
        actor=org.users["secretary"], branch=org.a1, template=tpl, data={"held_at": HELD}
    )
    assert record.status == RecordStatus.DRAFT and record.topic == ""
    entry = AuditEntry.objects.get(object_id=record.pk, action="record_create")
    assert entry.actor == org.users["secretary"] and entry.unit == org.a1


def test_recording_checks_every_rule_of_the_template_with_chinese_messages(org, roster, tpl):
    record = services.save_draft(
        actor=org.users["secretary"], branch=org.a1, template=tpl, data={"held_at": HELD}
    )
    with pytest.raises(ValidationError) as exc:
        services.finalise(actor=org.users["secretary"], record=record)
    problems = messages_of(exc)
    assert problems["topic"] == ["本模板要求填写会议议题"]
    assert problems["host"] == ["本模板要求填写主持人"]
    assert problems["attendance"] == ["出席名单不能为空"]
    assert problems["photos"] == ["至少需要 2 张照片（已上传 0 张）"]
    assert problems["steps_done"] == ["尚未完成规定步骤：确定主题、开展活动"]
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT


def test_a_complete_record_is_recorded(org, roster, tpl):
    record = draft(org, roster, tpl, photos=[jpeg_upload(), jpeg_upload()])
    record = services.finalise(
        actor=org.users["secretary"], record=record, expected_version=record.version
    )
    assert record.status == RecordStatus.RECORDED and record.recorded_at is not None
    assert AuditEntry.objects.filter(object_id=record.pk, action="record_finalise").exists()
    with pytest.raises(services.RecordError, match="该台账已记录"):
        services.finalise(actor=org.users["secretary"], record=record)


def test_a_meeting_nobody_attended_is_not_recorded(org, roster, tpl):
    absent = {roster.li: ("absent", ""), roster.wang: ("leave", "出差")}
    record = draft(org, roster, tpl, attendance=present(exceptions=absent))
    with pytest.raises(ValidationError) as exc:
        services.finalise(actor=org.users["secretary"], record=record)
    assert messages_of(exc)["attendance"] == ["出席名单不能为空"]


def test_a_member_of_another_branch_is_refused_and_nothing_is_saved(org, roster, tpl):
    rows = present(roster.li, roster.wang, roster.sun, roster.zhao)
    with pytest.raises(ValidationError) as exc:
        draft(org, roster, tpl, attendance=rows)
    assert messages_of(exc)["attendance"] == ["孙乙不是本支部党员"]
    assert not MeetingRecord.objects.exists() and not Attendance.objects.exists()


def test_a_bad_row_in_an_edit_keeps_the_saved_attendance(org, roster, tpl):
    record = draft(org, roster, tpl)
    rows = present(roster.li, exceptions={roster.wang: ("leave", "  ")})
    with pytest.raises(ValidationError) as exc:
        services.save_draft(
            actor=org.users["secretary"], record=record, data={"topic": "改了"}, attendance=rows
        )
    assert messages_of(exc)["attendance"] == ["王芳请假，请填写请假原因"]
    record.refresh_from_db()
    assert record.topic == "学习党章" and record.attendance.count() == 3


def test_leave_keeps_its_reason_and_a_duplicate_member_is_refused(org, roster, tpl):
    record = draft(
        org, roster, tpl, attendance=present(roster.li, exceptions={roster.wang: ("leave", "出差")})
    )
    assert record.attendance.get(member=roster.wang).reason == "出差"
    with pytest.raises(ValidationError, match="李明在出席名单中重复出现"):
        services.save_draft(
            actor=org.users["secretary"],
            record=record,
            data={},
            attendance=present(roster.li, roster.li),
        )


def test_host_must_be_on_the_branch_roster(org, roster, tpl):
    with pytest.raises(ValidationError) as exc:
        draft(org, roster, tpl, data=dict(COMPLETE, host=roster.sun))
    assert messages_of(exc)["host"] == ["主持人须为本支部党员。"]


def test_the_same_meeting_is_not_recorded_twice(org, roster, tpl):
    draft(org, roster, tpl)
    with pytest.raises(ValidationError) as exc:
        draft(org, roster, tpl)
    assert "请勿重复录入" in messages_of(exc)["held_at"][0]
    assert MeetingRecord.objects.count() == 1
    draft(org, roster, tpl, data=dict(COMPLETE, held_at=HELD + datetime.timedelta(days=1)))


def test_a_revised_template_leaves_open_records_on_their_version(org, roster, tpl):
    record = draft(org, roster, tpl)
    revised = services.revise_template(
        actor=org.users["admin"], template=tpl, data={"min_photos": 0, "needs_host": False}
    )
    record = services.save_draft(actor=org.users["secretary"], record=record, data={"topic": "续"})
    assert record.template_id == tpl.pk  # still v1, two photos still required
    with pytest.raises(ValidationError, match="至少需要 2 张照片"):
        services.finalise(actor=org.users["secretary"], record=record)
    with pytest.raises(ValidationError, match="该模板已修订"):
        draft(org, roster, tpl, data=dict(COMPLETE, held_at=HELD + datetime.timedelta(hours=2)))
    # the same meeting on the new version is still a duplicate
    with pytest.raises(ValidationError, match="请勿重复录入"):
        draft(org, roster, revised)


def test_a_page_older_than_the_record_is_refused(org, roster, tpl):
    record = draft(org, roster, tpl)
    seen = record.version
    services.save_draft(actor=org.users["secretary"], record=record, data={"place": "A"})
    with pytest.raises(services.RecordError, match="请刷新"):
        services.save_draft(
            actor=org.users["secretary"], record=record, data={"place": "B"}, expected_version=seen
        )


def test_a_recorded_record_stays_complete(org, roster, tpl):
    record = draft(org, roster, tpl, photos=[jpeg_upload(), jpeg_upload()])
    services.finalise(actor=org.users["secretary"], record=record)
    with pytest.raises(ValidationError, match="本模板要求填写会议议题"):
        services.save_draft(actor=org.users["secretary"], record=record, data={"topic": " "})
    photo = record.photos.first()
    with pytest.raises(ValidationError, match="至少需要 2 张照片"):
        services.remove_photo(actor=org.users["secretary"], photo=photo)
    assert record.photos.count() == 2


# --- who ------------------------------------------------------------------------------------


def test_only_the_branchs_secretary_keeps_its_ledger(org, roster, tpl):
    for user in (org.users["admin"], org.users["general_branch_reviewer"], org.sec_b1):
        with pytest.raises(PermissionDenied):
            services.save_draft(actor=user, branch=org.a1, template=tpl, data={"held_at": HELD})
    record = draft(org, roster, tpl)
    with pytest.raises(PermissionDenied):
        services.save_draft(actor=org.sec_b1, record=record, data={"topic": "x"})


def test_a_group_leader_records_their_own_groups_meetings_only(org, roster, group_tpl, tpl, leader):
    rows = present(roster.li, roster.wang)
    record = services.save_draft(
        actor=leader,
        branch=org.a1,
        template=group_tpl,
        party_group=roster.g1,
        data={"held_at": HELD, "topic": "学习", "steps_done": ["集体学习"]},
        attendance=rows,
    )
    services.finalise(actor=leader, record=record)
    with pytest.raises(PermissionDenied):
        services.save_draft(
            actor=leader, branch=org.a1, template=group_tpl, party_group=roster.g2,
            data={"held_at": HELD},
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.save_draft(actor=leader, branch=org.a1, template=tpl, data={"held_at": HELD})


def test_a_group_meeting_names_its_group(org, roster, group_tpl):
    with pytest.raises(ValidationError) as exc:
        services.save_draft(
            actor=org.users["secretary"], branch=org.a1, template=group_tpl, data={"held_at": HELD}
        )
    assert messages_of(exc)["party_group"] == ["党小组会须选择党小组。"]
    with pytest.raises(ValidationError, match="所选党小组不属于该党支部"):
        services.save_draft(
            actor=org.users["secretary"], branch=org.a1, template=group_tpl,
            party_group=roster.b_group, data={"held_at": HELD},
        )  # fmt: skip


def test_members_who_left_stay_on_old_attendance(org, roster, tpl):
    record = draft(org, roster, tpl)
    services.deactivate_member(
        actor=org.users["secretary"], member=roster.zhao, left_on=HELD.date(), reason="调离"
    )
    assert record.attendance.filter(member=roster.zhao).exists()
    MemberFactory(branch=org.a1, name="新人")
    from ledger.selectors import attendance_sheet

    assert [r.member.name for r in attendance_sheet(org.a1, record=record)] == [
        "李明",
        "王芳",
        "赵强",
    ]
