"""The roster's writes: each rule, each refusal and its message, and the audit they leave."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from branches.models import Role
from ledger import services
from ledger.models import Member, PartyGroup
from tests.factories import MemberFactory, UserFactory, grant
from workflow.models import AuditEntry

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 6, 15)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


def data(**overrides):
    values = {
        "name": "陈新",
        "gender": "female",
        "birth_date": D(1990, 5, 4),
        "education": "postgraduate",
        "joined_on": D(2015, 7, 1),
        "full_member_on": D(2016, 7, 1),
        "status": "full",
        "post": "网络优化",
        "phone": "13912345678",
    }
    return values | overrides


def field_errors(exc_info) -> dict:
    return exc_info.value.message_dict


def audits(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


# --- add / edit ----------------------------------------------------------------------------


def test_secretary_adds_member_audited(org, roster):
    sec = org.users["secretary"]
    member = services.add_member(actor=sec, branch=org.a1, data=data(party_group=roster.g2))
    assert member.branch == org.a1 and member.party_group == roster.g2
    [entry] = audits("member_add")
    assert entry.actor == sec and entry.unit == org.a1 and entry.object_id == member.pk


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"full_member_on": D(2014, 1, 1)}, "full_member_on", "转正日期不能早于入党日期。"),
        ({"status": "probationary"}, "full_member_on", "预备党员尚未转正，不应填写转正日期。"),
        ({"phone": "1381234"}, "phone", "手机号码格式不对，应为 11 位数字，如 13800001234。"),
        ({"phone": "23812345678"}, "phone", "手机号码格式不对，应为 11 位数字，如 13800001234。"),
        (
            {"joined_on": D(2007, 1, 1)},
            "joined_on",
            "入党时须年满十八周岁，请核对出生日期和入党日期。",
        ),
        (
            {"joined_on": D(2026, 7, 1), "full_member_on": None, "status": "probationary"},
            "joined_on",
            "入党日期不能晚于今天。",
        ),
        ({"birth_date": D(2027, 1, 1)}, "birth_date", "出生日期不能晚于今天。"),
    ],
)
def test_member_rules_reported_at_the_field(org, overrides, field, message):
    with pytest.raises(ValidationError) as exc:
        services.add_member(actor=org.users["secretary"], branch=org.a1, data=data(**overrides))
    assert message in field_errors(exc)[field]
    assert not Member.objects.exists()


def test_group_must_belong_to_the_branch(org, roster):
    with pytest.raises(ValidationError) as exc:
        services.add_member(
            actor=org.users["secretary"], branch=org.a1, data=data(party_group=roster.b_group)
        )
    assert field_errors(exc)["party_group"] == ["所选党小组不属于该党支部。"]


def test_members_only_in_branches(org):
    """The service refuses (no branch roster to edit); the model says why (the admin form)."""
    with pytest.raises(PermissionDenied):
        services.add_member(actor=org.users["admin"], branch=org.general_a, data=data())
    with pytest.raises(ValidationError) as exc:
        Member(branch=org.general_a, **data()).full_clean()
    assert "党员只能编入党支部。" in field_errors(exc)["branch"]


@pytest.mark.parametrize(
    "role", ["city_reviewer", "general_branch_reviewer", "province_reviewer", "member"]
)
def test_only_secretary_and_admin_write(org, roster, role):
    with pytest.raises(PermissionDenied, match="只有本支部书记或系统管理员可以维护党员名册。"):
        services.add_member(actor=org.users[role], branch=org.a1, data=data())
    with pytest.raises(PermissionDenied):
        services.edit_member(actor=org.users[role], member=roster.li, data={"post": "x"})


def test_sibling_secretary_cannot_write(org, roster):
    with pytest.raises(PermissionDenied):
        services.add_member(actor=org.sec_b1, branch=org.a1, data=data())
    with pytest.raises(PermissionDenied):
        services.deactivate_member(
            actor=org.sec_b1, member=roster.li, left_on=D(2026, 1, 1), reason="x"
        )


def test_admin_writes_anywhere(org, roster):
    services.edit_member(actor=org.users["admin"], member=roster.sun, data={"post": "班组长"})
    roster.sun.refresh_from_db()
    assert roster.sun.post == "班组长"


def test_edit_audits_fields_not_values(org, roster):
    services.edit_member(
        actor=org.users["secretary"],
        member=roster.li,
        data={"phone": "13899998888", "post": "值班长"},
        reason="岗位调整",
    )
    [entry] = audits("member_edit")
    assert "岗位" in entry.comment and "手机号码" in entry.comment and "岗位调整" in entry.comment
    assert "13899998888" not in entry.comment and "13812341234" not in entry.comment


def test_edit_without_change_leaves_no_audit(org, roster):
    services.edit_member(actor=org.users["secretary"], member=roster.li, data={"name": "李明"})
    assert not audits("member_edit")


def test_edit_validates(org, roster):
    with pytest.raises(ValidationError) as exc:
        services.edit_member(
            actor=org.users["secretary"], member=roster.zhao, data={"full_member_on": D(2020, 1, 1)}
        )
    assert "full_member_on" in field_errors(exc)


# --- moves ---------------------------------------------------------------------------------


def test_move_to_other_group_with_reason(org, roster):
    services.move_member(
        actor=org.users["secretary"], member=roster.wang, to_group=roster.g2, reason="调整分工"
    )
    roster.wang.refresh_from_db()
    assert roster.wang.party_group == roster.g2
    [entry] = audits("member_move_group")
    assert entry.comment == "从运维一组调至运维二组。原因：调整分工"


def test_move_needs_a_reason(org, roster):
    with pytest.raises(services.RosterError, match="请填写调动原因。"):
        services.move_member(
            actor=org.users["secretary"], member=roster.wang, to_group=roster.g2, reason=" "
        )


def test_move_to_group_of_another_branch_refused(org, roster):
    with pytest.raises(services.RosterError, match="所选党小组不属于该党支部。"):
        services.move_member(
            actor=org.users["admin"], member=roster.wang, to_group=roster.b_group, reason="x"
        )


def test_move_to_same_group_refused(org, roster):
    with pytest.raises(services.RosterError, match="该党员已在所选党小组中。"):
        services.move_member(
            actor=org.users["secretary"], member=roster.wang, to_group=roster.g1, reason="x"
        )


def test_moving_the_leader_out_clears_leadership(org, roster):
    services.move_member(
        actor=org.users["secretary"], member=roster.li, to_group=roster.g2, reason="x"
    )
    roster.g1.refresh_from_db()
    assert roster.g1.leader is None and roster.g1.leader_elected_on is None


def test_move_to_branch_outside_scope_refused(org, roster):
    with pytest.raises(PermissionDenied, match="目标党支部不在您的管辖范围内，不能调入。"):
        services.move_member(
            actor=org.users["secretary"], member=roster.wang, to_branch=org.b1, reason="调动"
        )
    roster.wang.refresh_from_db()
    assert roster.wang.branch == org.a1 and not audits("member_move_branch")


def test_move_to_non_branch_refused(org, roster):
    with pytest.raises(services.RosterError, match="只能调往党支部。"):
        services.move_member(
            actor=org.users["admin"], member=roster.wang, to_branch=org.city_b, reason="调动"
        )


def test_move_between_own_branches(org, roster):
    """A secretary of two branches moves a member between them; both branches see it."""
    sec = grant(org.users["secretary"], org.a2, Role.SECRETARY)
    services.move_member(actor=sec, member=roster.li, to_branch=org.a2, reason="工作调动")
    roster.li.refresh_from_db()
    assert roster.li.branch == org.a2 and roster.li.party_group is None
    entries = audits("member_move_branch")
    assert {e.unit for e in entries} == {org.a1, org.a2}
    assert entries[0].from_state == "A1" and entries[0].to_state == "A2"
    assert "工作调动" in entries[0].comment
    roster.g1.refresh_from_db()
    assert roster.g1.leader is None


def test_admin_moves_across_cities(org, roster):
    services.move_member(
        actor=org.users["admin"], member=roster.wang, to_branch=org.b1, reason="跨市调动"
    )
    roster.wang.refresh_from_db()
    assert roster.wang.branch == org.b1


# --- leaders -------------------------------------------------------------------------------


def test_set_leader_with_election_date(org, roster):
    services.set_group_leader(
        actor=org.users["secretary"], group=roster.g1, member=roster.wang, elected_on=D(2026, 3, 1)
    )
    roster.g1.refresh_from_db()
    assert roster.g1.leader == roster.wang and roster.g1.leader_elected_on == D(2026, 3, 1)
    [entry] = audits("group_leader")
    assert entry.from_state == "李明" and entry.to_state == "王芳"


def test_leader_must_be_member_of_the_group(org, roster):
    with pytest.raises(services.RosterError, match="党小组长须为本小组的在册党员。"):
        services.set_group_leader(
            actor=org.users["secretary"],
            group=roster.g1,
            member=roster.zhao,
            elected_on=D(2026, 3, 1),
        )


def test_leader_election_date_checked(org, roster):
    with pytest.raises(ValidationError) as exc:
        services.set_group_leader(
            actor=org.users["secretary"],
            group=roster.g1,
            member=roster.wang,
            elected_on=D(2026, 7, 1),
        )
    assert field_errors(exc)["elected_on"] == ["选举日期须在其入党日期之后、不晚于今天。"]


def test_reviewer_cannot_set_leader(org, roster):
    with pytest.raises(PermissionDenied):
        services.set_group_leader(
            actor=org.users["city_reviewer"],
            group=roster.g1,
            member=roster.wang,
            elected_on=D(2026, 3, 1),
        )


def test_create_group_unique_name(org, roster):
    group = services.create_group(actor=org.users["secretary"], branch=org.a1, name="运维三组")
    assert group.branch == org.a1
    with pytest.raises(ValidationError) as exc:
        services.create_group(actor=org.users["secretary"], branch=org.a1, name="运维三组")
    assert field_errors(exc)["name"] == ["本支部已有同名党小组。"]
    assert PartyGroup.objects.filter(branch=org.a1).count() == 3


# --- deactivation --------------------------------------------------------------------------


def test_deactivate_keeps_record_and_clears_leadership(org, roster):
    services.deactivate_member(
        actor=org.users["secretary"], member=roster.li, left_on=D(2026, 5, 31), reason="退休"
    )
    roster.li.refresh_from_db()
    roster.g1.refresh_from_db()
    assert not roster.li.is_active and roster.li.left_on == D(2026, 5, 31)
    assert roster.g1.leader is None
    [entry] = audits("member_deactivate")
    assert entry.comment == "退休" and entry.actor == org.users["secretary"]
    with pytest.raises(services.RosterError, match="该党员已停用。"):
        services.deactivate_member(
            actor=org.users["secretary"], member=roster.li, left_on=D(2026, 5, 31), reason="x"
        )
    with pytest.raises(services.RosterError, match="该党员已离开本支部，记录不能再修改。"):
        services.edit_member(actor=org.users["secretary"], member=roster.li, data={"post": "x"})


def test_deactivate_needs_reason_and_sane_date(org, roster):
    sec = org.users["secretary"]
    with pytest.raises(services.RosterError, match="请填写停用原因。"):
        services.deactivate_member(actor=sec, member=roster.li, left_on=D(2026, 5, 31), reason="")
    with pytest.raises(ValidationError):
        services.deactivate_member(actor=sec, member=roster.li, left_on=D(2026, 7, 1), reason="x")


def test_user_account_links_once(org, roster):
    user = UserFactory(username="liming")
    services.edit_member(actor=org.users["secretary"], member=roster.li, data={"user": user})
    other = MemberFactory(branch=org.a1)
    with pytest.raises(ValidationError) as exc:
        services.edit_member(actor=org.users["secretary"], member=other, data={"user": user})
    assert "user" in field_errors(exc)
