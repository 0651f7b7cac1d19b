"""The work list's pages: who opens what (matrix), the list by month with its statuses, a task's
responsible person and a custom task ticked through the page, the overview with drill-down, the
query counts, and the overdue items on the secretary's 工作台."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from branches.worklist import secretary_items
from ledger.models import WorkTask
from ledger.services import worklist as services
from tests.factories import MemberFactory, OrgUnitFactory
from tests.permissions import LOGIN, assert_permission_matrix

from ..clock import local
from .conftest import READERS
from .world import World

pytestmark = pytest.mark.django_db

#: Only the branch's secretary keeps its list (administrators read it).
KEEPER = {
    "anonymous": LOGIN,
    "member": 403,
    "secretary": (200, 403),
    "general_branch_reviewer": 403,
    "city_reviewer": 403,
    "province_reviewer": 403,
    "committee_member": 403,
    "admin": 403,
}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(local(2026, 3, 16, 10), tick=False):
        yield


def test_list_page_matrix(client, org, roster):
    assert_permission_matrix(
        client, org, lambda unit: reverse("ledger:work_list", args=[unit.pk]), READERS
    )


def test_add_page_matrix(client, org, roster):
    assert_permission_matrix(
        client, org, lambda unit: reverse("ledger:task_add", args=[unit.pk]), KEEPER
    )


def test_task_page_matrix(client, org, roster):
    tasks = {
        b.pk: services.generate_work_list(b, 2026)
        and WorkTask.objects.filter(branch=b, template_key="life-meeting").get()
        for b in (org.a1, org.b1)
    }
    assert_permission_matrix(
        client, org, lambda unit: reverse("ledger:task", args=[tasks[unit.pk].pk]), READERS
    )


def test_overview_matrix(client, org, roster):
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("ledger:work_overview", args=[unit.pk]),
        READERS | {"secretary": 403},
        own=org.general_a,
        other=org.city_b,
    )


def test_the_list_opens_generated_with_statuses_from_the_records(client, org, roster):
    World(org, roster)
    client.force_login(org.users["secretary"])
    response = client.get(reverse("ledger:work_list", args=[org.a1.pk]))
    html = response.content.decode()
    assert WorkTask.objects.filter(branch=org.a1, year=2026).count() > 40  # generated on opening
    february = WorkTask.objects.get(
        branch=org.a1, template_key="committee-meeting", due_on__month=2
    )
    assert 'data-testid="overdue-count"' in html
    assert f'data-testid="task-{february.pk}"' in html
    assert "逾期" in html and "已完成" in html and "未开始" in html
    assert "<table" not in html  # cards at 390 px
    current = response.context["months"][1].lines[0].template_id
    assert f"{reverse('ledger:record_new', args=[org.a1.pk])}?template={current}" in html


def test_a_reviewer_reads_the_list_without_the_keepers_links(client, org, roster):
    services.generate_work_list(org.a1, 2026)
    client.force_login(org.users["city_reviewer"])
    html = client.get(reverse("ledger:work_list", args=[org.a1.pk])).content.decode()
    assert 'data-testid="task-add"' not in html
    assert reverse("ledger:record_new", args=[org.a1.pk]) not in html


def test_the_list_page_reads_the_same_queries_for_few_or_many_tasks(
    client, org, roster, django_assert_max_num_queries
):
    World(org, roster)
    services.generate_work_list(org.a1, 2026)
    client.force_login(org.users["secretary"])
    url = reverse("ledger:work_list", args=[org.a1.pk])
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    secretary = org.users["secretary"]
    for n in range(15):
        services.add_task(
            actor=secretary,
            branch=org.a1,
            title=f"任务{n}",
            due_on=datetime.date(2026, 4, 1 + n),
            responsible=roster.wang,
        )
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_the_secretary_names_a_responsible_and_ticks_a_custom_task(client, org, roster):
    client.force_login(org.users["secretary"])
    add = reverse("ledger:task_add", args=[org.a1.pk])
    response = client.post(add, {"title": "迎检", "due_on": "2026-03-01", "note": "准备材料"})
    assert response.status_code == 200  # refused at the field, nothing lost
    assert "完成时限不能早于今天" in response.content.decode()
    assert 'value="迎检"' in response.content.decode()
    response = client.post(add, {"title": "迎检", "due_on": "2026-03-31"})
    assert response.status_code == 302
    task = WorkTask.objects.get(branch=org.a1, title="迎检")
    url = reverse("ledger:task", args=[task.pk])
    client.post(url, {"action": "assign", "responsible": roster.wang.pk})
    task.refresh_from_db()
    assert task.responsible == roster.wang
    response = client.post(url, {"action": "complete", "note": ""})
    assert "请填写完成情况" in response.content.decode() or "这个字段是必填项" in (
        response.content.decode()
    )
    client.post(url, {"action": "complete", "note": "已迎检"})
    task.refresh_from_db()
    assert task.done_note == "已迎检"
    html = client.get(url).content.decode()
    assert "指定责任人" in html and "标记完成" in html  # the audit trail, in words


def test_a_reader_cannot_post_to_a_task(client, org, roster):
    task = services.add_task(
        actor=org.users["secretary"], branch=org.a1, title="x", due_on=datetime.date(2026, 4, 1)
    )
    client.force_login(org.users["city_reviewer"])
    url = reverse("ledger:task", args=[task.pk])
    assert client.post(url, {"action": "complete", "note": "done"}).status_code == 403
    task.refresh_from_db()
    assert task.done_at is None


def test_the_overview_drills_down_to_the_branches_behind(client, org, roster):
    World(org, roster)
    services.generate_all(2026)
    client.force_login(org.users["city_reviewer"])
    url = reverse("ledger:work_overview", args=[org.city_a.pk])
    html = client.get(url).content.decode()
    assert 'data-testid="area-GA"' in html and 'data-testid="area-A2"' in html
    html = client.get(url, {"behind": org.general_a.pk}).content.decode()
    assert 'data-testid="behind-list"' in html
    assert reverse("ledger:work_list", args=[org.a1.pk]) in html
    assert org.b1.name not in html


def test_the_overview_reads_the_same_queries_at_more_branches(
    client, org, roster, django_assert_max_num_queries
):
    services.generate_all(2026)
    client.force_login(org.users["province_reviewer"])
    url = reverse("ledger:work_overview", args=[org.province.pk])
    with django_assert_max_num_queries(16) as few:
        client.get(url)
    for n in range(8):
        MemberFactory(branch=OrgUnitFactory(parent=org.city_b, name=f"乙支部{n}", code=f"BY{n}"))
    services.generate_all(2026)
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_overdue_tasks_are_on_the_secretarys_worklist(org, roster):
    World(org, roster)
    services.generate_work_list(org.a1, 2026)
    items = [i for i in secretary_items(org.users["secretary"]) if "年度工作清单逾期" in i.title]
    [item] = items
    assert "支委会（2月）" in item.title and "党小组会（1月）" in item.title
    assert item.url == reverse("ledger:work_list", args=[org.a1.pk])
    assert item.due_on == datetime.date(2026, 1, 31)
    assert not [i for i in secretary_items(org.sec_b1) if i.unit == org.a1.name]
