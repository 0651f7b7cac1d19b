"""The annual work list (清单化管理): generated from the templates in force, idempotently; each
generated task's status read from the ledger's records (never ticked); the secretary's own
tasks ticked with a note; responsible persons; overdue counts by unit and by committee."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from ledger.models import WorkTask
from ledger.selectors import tasks as selectors
from ledger.services import worklist as services
from ledger.tasks import generate_work_lists
from tests.factories import MeetingTemplateFactory, MemberFactory
from workflow.models import AuditEntry

from ..clock import local
from .world import World, held

pytestmark = pytest.mark.django_db

MID_MARCH = local(2026, 3, 16, 10)


@pytest.fixture
def clock():
    with time_machine.travel(MID_MARCH, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(org, roster):
    return World(org, roster)


def _tasks(branch, key):
    return list(
        WorkTask.objects.filter(branch=branch, year=2026, template_key=key).order_by("due_on")
    )


def _line(branch, key, month):
    months = selectors.work_list(branch, 2026)
    [line] = [
        line
        for m in months
        for line in m.lines
        if line.task.template_key == key and line.task.due_on.month == month
    ]
    return line


def test_the_year_is_cut_into_one_task_per_frequency_period(org):
    services.generate_work_list(org.a1, 2026)
    committee = _tasks(org.a1, "committee-meeting")
    assert len(committee) == 12
    assert [t.due_on.isoformat() for t in committee[:3]] == [
        "2026-01-31",
        "2026-02-28",
        "2026-03-31",
    ]
    assert committee[1].period_start == datetime.date(2026, 2, 1)
    assert committee[1].period_label == "2月"
    lectures = _tasks(org.a1, "party-lecture")
    assert [t.due_on.isoformat() for t in lectures] == [
        "2026-03-31",
        "2026-06-30",
        "2026-09-30",
        "2026-12-31",
    ]
    assert lectures[0].period_label == "第1季度"
    [life] = _tasks(org.a1, "life-meeting")
    assert (life.period_start, life.due_on) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )
    assert life.period_label == "全年"
    assert life.responsible is None  # the secretary by default


def test_generating_again_adds_nothing_and_keeps_what_was_set(org, roster):
    first = services.generate_work_list(org.a1, 2026)
    task = _tasks(org.a1, "committee-meeting")[0]
    WorkTask.objects.filter(pk=task.pk).update(responsible=roster.li)
    assert services.generate_work_list(org.a1, 2026) == 0
    assert services.generate_all(2026) > 0  # the other branches
    assert services.generate_all(2026) == 0
    assert WorkTask.objects.filter(branch=org.a1, year=2026).count() == first
    task.refresh_from_db()
    assert task.responsible == roster.li


def test_a_template_published_since_is_added_by_the_next_run(org):
    services.generate_work_list(org.a1, 2026)
    MeetingTemplateFactory(key="safety-study", name="安全学习", frequency="quarterly")
    assert services.generate_work_list(org.a1, 2026) == 4
    assert len(_tasks(org.a1, "safety-study")) == 4


def test_a_committees_own_template_reaches_only_its_subtree(org):
    MeetingTemplateFactory(key="city-a-only", name="甲市专项", frequency="yearly", owner=org.city_a)
    services.generate_all(2026)
    assert len(_tasks(org.a1, "city-a-only")) == 1
    assert _tasks(org.b1, "city-a-only") == []


def test_the_beat_task_and_the_command_generate_the_current_year(org, capsys):
    with time_machine.travel(local(2027, 1, 1, 0, 30), tick=False):
        assert generate_work_lists() > 0
        call_command("generate_work_lists")
    assert "0 new tasks" in capsys.readouterr().out
    assert WorkTask.objects.filter(year=2027, branch=org.a1).exists()
    assert not WorkTask.objects.filter(year=2026).exists()


def test_status_is_read_from_the_records(org, roster, world, clock):
    services.generate_work_list(org.a1, 2026)
    # 支委会: January held twice (counts once), February only a draft, March held on the 3rd.
    assert _line(org.a1, "committee-meeting", 1).status == "done"
    february = _line(org.a1, "committee-meeting", 2)
    assert (february.status, february.held, february.required) == ("overdue", 0, 1)
    assert _line(org.a1, "committee-meeting", 3).status == "done"
    # 党小组会 needs each of the two groups: g1 met in January, g2 never.
    january = _line(org.a1, "group-meeting", 1)
    assert (january.status, january.held, january.required) == ("overdue", 1, 2)
    # 党课 (quarterly) held on 20 February covers Q1; Q2 has not started.
    assert _line(org.a1, "party-lecture", 3).status == "done"
    assert _line(org.a1, "party-lecture", 6).status == "upcoming"
    # 主题党日 in March: the month runs, nothing yet.
    assert _line(org.a1, "theme-day", 3).status == "open"
    # Recording February's 支委会 (still open for records) completes its task — nothing typed.
    held(org.a1, "committee-meeting", local(2026, 2, 25, 9), user=org.users["secretary"])
    assert _line(org.a1, "committee-meeting", 2).status == "done"


def test_the_list_comes_by_month_with_counts(org, world, clock):
    services.generate_work_list(org.a1, 2026)
    months = selectors.work_list(org.a1, 2026)
    assert [m.month for m in months] == list(range(1, 13))
    march = months[2]
    assert march.done == 2  # 支委会, 党课
    assert months[0].overdue == 2  # 党小组会 g2, 主题党日


def test_a_custom_task_is_ticked_with_a_note_and_audited(org, clock):
    secretary = org.users["secretary"]
    task = services.add_task(
        actor=secretary, branch=org.a1, title="更新党建园地", due_on=datetime.date(2026, 4, 30)
    )
    assert (task.year, task.period_start, task.is_custom) == (
        2026,
        datetime.date(2026, 3, 16),
        True,
    )
    assert selectors.task_line(task).status == "open"
    with pytest.raises(ValidationError) as refused:
        services.complete_task(actor=secretary, task=task, note="  ")
    assert "请填写完成情况" in str(refused.value)
    services.complete_task(actor=secretary, task=task, note="已更新三块展板")
    task.refresh_from_db()
    assert task.done_by == secretary and task.done_note == "已更新三块展板"
    assert selectors.task_line(task).status == "done"
    with pytest.raises(services.WorkListError, match="已完成"):
        services.complete_task(actor=secretary, task=task, note="again")
    actions = set(
        AuditEntry.objects.filter(object_id=task.pk, unit=org.a1).values_list("action", flat=True)
    )
    assert actions == {"task_add", "task_done"}


def test_a_generated_task_cannot_be_ticked(org, clock):
    services.generate_work_list(org.a1, 2026)
    task = _tasks(org.a1, "committee-meeting")[0]
    with pytest.raises(services.WorkListError, match="自动完成"):
        services.complete_task(actor=org.users["secretary"], task=task, note="开过了")


def test_a_custom_task_cannot_be_due_in_the_past(org, clock):
    with pytest.raises(ValidationError) as refused:
        services.add_task(
            actor=org.users["secretary"], branch=org.a1, title="x", due_on=datetime.date(2026, 3, 1)
        )
    assert "完成时限不能早于今天" in str(refused.value.message_dict["due_on"])
    with pytest.raises(ValidationError) as refused:
        services.add_task(
            actor=org.users["secretary"], branch=org.a1, title="x", due_on=datetime.date(2028, 1, 1)
        )
    assert "明年年底之前" in str(refused.value.message_dict["due_on"])


def test_the_responsible_is_a_member_of_the_branch(org, roster, clock):
    services.generate_work_list(org.a1, 2026)
    task = _tasks(org.a1, "life-meeting")[0]
    secretary = org.users["secretary"]
    with pytest.raises(ValidationError) as refused:
        services.assign_task(actor=secretary, task=task, responsible=roster.sun)
    assert "本支部在册党员" in str(refused.value)
    services.assign_task(actor=secretary, task=task, responsible=roster.wang)
    task.refresh_from_db()
    assert task.responsible == roster.wang
    entry = AuditEntry.objects.get(object_id=task.pk, action="task_assign")
    assert entry.actor == secretary and entry.to_state == "王芳"


def test_only_the_branchs_secretary_changes_its_list(org, roster, clock):
    services.generate_work_list(org.a1, 2026)
    task = _tasks(org.a1, "life-meeting")[0]
    for role in ("city_reviewer", "admin", "member"):
        with pytest.raises(PermissionDenied):
            services.assign_task(actor=org.users[role], task=task, responsible=None)
    with pytest.raises(PermissionDenied):
        services.add_task(
            actor=org.sec_b1, branch=org.a1, title="x", due_on=datetime.date(2026, 5, 1)
        )


def test_overdue_counts_by_unit_and_by_committee(org, roster, world, clock):
    services.generate_all(2026)
    services.add_task(
        actor=org.users["secretary"], branch=org.a1, title="迎检", due_on=datetime.date(2026, 3, 20)
    )
    counts = selectors.overdue_counts([org.a1, org.b1], 2026, datetime.date(2026, 3, 16))
    # A1, due before 16 March: 支委会 Feb; 党小组会 Jan, Feb (g2 never met); 主题党日 Jan, Feb.
    assert counts[org.a1.pk].overdue == 5
    lines = selectors.work_list(org.a1, 2026)
    assert counts[org.a1.pk].overdue == sum(m.overdue for m in lines)
    assert counts[org.a1.pk].total == WorkTask.objects.filter(branch=org.a1, year=2026).count()
    # B1 (one group that never met): its 支委会, 党小组会 and 主题党日 of January and
    # February; its March 支委会 (10 March) is not due yet.
    assert counts[org.b1.pk].overdue == 6
    # A2 keeps no roster: no group, so 党小组会 asks nothing; 支委会 and 主题党日 do.
    assert (
        selectors.overdue_counts([org.a2], 2026, datetime.date(2026, 3, 16))[org.a2.pk].overdue == 4
    )
    rows = {r.committee: r for r in selectors.overdue_by_committee(datetime.date(2026, 2, 1))}
    assert rows["甲市分公司党委"].overdue_tasks == 5 + 4  # A1 and A2
    assert rows["甲市分公司党委"].branches == 2
    assert rows["乙市分公司党委"].overdue_tasks == 6
    assert rows["乙市分公司党委"].branches_overdue == 1


def test_the_overview_reads_a_fixed_number_of_queries(
    org, roster, world, clock, django_assert_max_num_queries
):
    from tests.factories import OrgUnitFactory

    services.generate_all(2026)
    user = org.users["province_reviewer"]
    with django_assert_max_num_queries(10) as few:
        selectors.area_tasks(user, org.province, 2026)
    for n in range(6):
        branch = OrgUnitFactory(parent=org.city_b, name=f"乙市支部{n}", code=f"BX{n}")
        MemberFactory(branch=branch)
    services.generate_all(2026)
    with django_assert_max_num_queries(len(few)):
        rows = selectors.area_tasks(user, org.province, 2026)
    assert sum(len(r.branches) for r in rows) == 9
