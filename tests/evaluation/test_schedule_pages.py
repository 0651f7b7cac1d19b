"""The province's schedule pages (考评日程): who may open and save them, what they say in
Chinese, the list's query count, and an error at its field."""

from datetime import date

from django.urls import reverse

from evaluation.models import Schedule, ScoringTable
from evaluation.services import schedules
from tests.permissions import LOGIN, assert_permission_matrix

MANAGERS = {
    "anonymous": LOGIN,
    "member": 403,
    "secretary": 403,
    "general_branch_reviewer": 403,
    "city_reviewer": 403,
    "province_reviewer": 200,
    "committee_member": 403,
    "admin": 200,
}


def make(org, table="six-good", scope=None):
    return schedules.save_schedule(
        actor=org.users["province_reviewer"],
        data={
            "table": ScoringTable.objects.get(code=table),
            "scope": scope or org.province,
            "first_month": date(2027, 1, 1),
            "open_day": 1,
            "close_day": 10,
            "quarterly": True,
            "annual": True,
            "is_active": True,
        },
    )


def test_the_pages_open_to_the_province_only(client, org):
    schedule = make(org)
    for url in (
        reverse("evaluation:schedules"),
        reverse("evaluation:schedule_create"),
        reverse("evaluation:schedule_edit", args=[schedule.pk]),
    ):
        assert_permission_matrix(client, org, lambda unit, url=url: url, MANAGERS)


def test_saving_is_refused_to_everyone_but_the_province(client, org):
    post = {
        "table": ScoringTable.objects.get(code="six-good").pk,
        "scope": org.province.pk,
        "first_month": "2027-01-01",
        "open_day": 1,
        "close_day": 10,
        "quarterly": "on",
        "annual": "on",
        "is_active": "on",
    }
    for who in ("secretary", "city_reviewer", "committee_member"):
        client.force_login(org.users[who])
        response = client.post(reverse("evaluation:schedule_create"), post)
        assert response.status_code == 403
    assert not Schedule.objects.exists()
    client.force_login(org.users["province_reviewer"])
    response = client.post(reverse("evaluation:schedule_create"), post)
    assert response.status_code == 302
    assert Schedule.objects.get().scope == org.province


def test_the_list_says_the_rule_in_chinese_in_a_fixed_number_of_queries(
    client, org, django_assert_max_num_queries
):
    make(org)
    make(org, table="brand-five-forces")
    make(org, table="star-5521", scope=org.city_a)
    client.force_login(org.users["admin"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("evaluation:schedules"))
    text = response.content.decode()
    assert text.count('data-testid="schedule-row"') == 3
    assert "当月 1 日至次月 10 日" in text
    assert "未发布结果的月份计 0 分" in text


def test_an_error_shows_at_its_field_and_keeps_what_was_typed(client, org):
    client.force_login(org.users["province_reviewer"])
    response = client.post(
        reverse("evaluation:schedule_create"),
        {
            "table": ScoringTable.objects.get(code="six-good").pk,
            "scope": org.province.pk,
            "first_month": "2027-03-01",
            "open_day": 1,
            "close_day": 40,
            "annual": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "close_day" in form.errors
    assert "annual" in form.errors  # a year without quarters: said at the field
    assert "须同时启用季度汇总" in response.content.decode()
    assert 'value="2027-03-01"' in response.content.decode()


def test_an_edit_changes_the_rhythm_not_the_table(client, org):
    schedule = make(org)
    client.force_login(org.users["province_reviewer"])
    response = client.post(
        reverse("evaluation:schedule_edit", args=[schedule.pk]),
        {
            "table": ScoringTable.objects.get(code="star-5521").pk,  # disabled: ignored
            "scope": org.city_a.pk,
            "first_month": "2027-01-01",
            "open_day": 2,
            "close_day": 12,
            "quarterly": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert (schedule.table.code, schedule.scope, schedule.open_day, schedule.close_day) == (
        "six-good",
        org.province,
        2,
        12,
    )
    assert (schedule.quarterly, schedule.annual) == (True, False)
