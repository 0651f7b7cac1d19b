"""Record pages: the permission matrix (role × page × own/other subtree), the group leader, the
query counts of the list and of a record's page, the form's round trip, and the phone-first
markup."""

import datetime

import pytest
from django.urls import reverse

from ledger import services
from ledger.models import MeetingRecord
from tests.clock import local
from tests.factories import MemberFactory
from tests.ledger.world import held
from tests.permissions import assert_permission_matrix

from .conftest import HELD, READERS, jpeg_upload, present

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

#: Keeping the ledger: the branch's secretary only (administrators and reviewers read).
KEEPERS = READERS | {
    "general_branch_reviewer": 403,
    "city_reviewer": 403,
    "province_reviewer": 403,
    "admin": 403,
}


def _record(org, branch, tpl, actor, **kwargs):
    kwargs.setdefault("data", {"held_at": HELD, "topic": "学习"})
    return services.save_draft(actor=actor, branch=branch, template=tpl, **kwargs)


@pytest.fixture
def records(org, roster, tpl):
    own = _record(org, org.a1, tpl, org.users["secretary"], photos=[jpeg_upload()])
    other = _record(org, org.b1, tpl, org.sec_b1, photos=[jpeg_upload()])
    return own, other


@pytest.mark.parametrize(
    "name, expected",
    [("ledger:records", READERS), ("ledger:record_new", KEEPERS)],
)
def test_branch_pages_matrix(client, org, roster, name, expected):
    assert_permission_matrix(client, org, lambda unit: reverse(name, args=[unit.pk]), expected)


@pytest.mark.parametrize(
    "name, expected",
    [("ledger:record", READERS), ("ledger:record_edit", KEEPERS)],
)
def test_record_pages_matrix(client, org, records, name, expected):
    own, other = records
    assert_permission_matrix(
        client, org, lambda r: reverse(name, args=[r.pk]), expected, own=own, other=other
    )


@pytest.mark.parametrize("name", ["ledger:record_photo", "ledger:record_thumb"])
def test_photo_downloads_matrix(client, org, records, name):
    own, other = (r.photos.get() for r in records)
    assert_permission_matrix(
        client, org, lambda p: reverse(name, args=[p.pk]), READERS, own=own, other=other
    )


def test_unknown_records_are_404(client, org):
    client.force_login(org.users["admin"])
    assert client.get(reverse("ledger:record", args=[999999])).status_code == 404


def test_a_group_leader_sees_and_keeps_their_groups_meetings_only(
    client, org, roster, tpl, group_tpl, leader
):
    branch_meeting = _record(org, org.a1, tpl, org.users["secretary"])
    own = _record(
        org, org.a1, group_tpl, leader, party_group=roster.g1, attendance=present(roster.li)
    )
    other_group = _record(org, org.a1, group_tpl, org.users["secretary"], party_group=roster.g2)
    client.force_login(leader)
    listing = client.get(reverse("ledger:records", args=[org.a1.pk]))
    assert list(listing.context["page"].object_list) == [own]
    assert client.get(reverse("ledger:record_edit", args=[own.pk])).status_code == 200
    for record in (branch_meeting, other_group):
        assert client.get(reverse("ledger:record", args=[record.pk])).status_code == 403
    assert client.get(reverse("ledger:records", args=[org.b1.pk])).status_code == 403
    picker = client.get(reverse("ledger:record_new", args=[org.a1.pk]))
    offered = list(picker.context["templates"])  # group meetings only
    assert group_tpl in offered and tpl not in offered
    assert {t.attendees for t in offered} == {"group"}


def _many(org, tpl, n, roster):
    members = [roster.li, roster.wang, roster.zhao]
    for i in range(n):
        _record(
            org,
            org.a1,
            tpl,
            org.users["secretary"],
            data={"held_at": HELD - datetime.timedelta(hours=i), "topic": f"第{i}次"},
            attendance=present(*members),
        )


@pytest.mark.parametrize("n", [2, 20])
def test_the_list_costs_the_same_for_2_and_20_records(
    client, org, roster, tpl, n, django_assert_num_queries
):
    _many(org, tpl, n, roster)
    client.force_login(org.users["secretary"])
    url = reverse("ledger:records", args=[org.a1.pk])
    client.get(url)  # warm the session and content-type caches
    with django_assert_num_queries(QUERIES["list"]):
        response = client.get(url)
    assert len(response.context["page"].object_list) == n


@pytest.mark.parametrize("n", [3, 30])
def test_a_records_page_costs_the_same_for_3_and_30_attendance_rows(
    client, org, roster, tpl, n, django_assert_num_queries
):
    members = [MemberFactory(branch=org.a1) for _ in range(n)]
    record = _record(org, org.a1, tpl, org.users["secretary"], attendance=present(*members))
    client.force_login(org.users["secretary"])
    url = reverse("ledger:record", args=[record.pk])
    client.get(url)
    with django_assert_num_queries(QUERIES["detail"]):
        response = client.get(url)
    assert response.content.decode().count("<tr>") == n + 1


@pytest.mark.parametrize("n", [2, 12])
def test_the_list_filtered_by_dates_kinds_and_status_costs_the_same(
    client, org, roster, tpl, n, django_assert_num_queries
):
    """The filters an online score's "查看全部" link sets: local dates (both ends included),
    several kinds, recorded only — narrowing in the query, not per row."""
    secretary = org.users["secretary"]
    _many(org, tpl, n, roster)  # drafts on 5 March, from 14:30 back hour by hour
    for day in (4, 6):  # recorded 支委会 on either side of the 5th
        held(org.a1, "committee-meeting", local(2026, 3, day, 23, 30), user=secretary)
    held(org.a1, "party-lecture", local(2026, 3, 5, 9), user=secretary)
    client.force_login(secretary)
    url = reverse("ledger:records", args=[org.a1.pk])
    query = {"since": "2026-03-05", "until": "2026-03-06", "kinds": ["committee_meeting"]}
    client.get(url, query)
    with django_assert_num_queries(QUERIES["list"]):
        page = client.get(url, {**query, "status": "recorded"})
    assert [r.held_at for r in page.context["page"].object_list] == [local(2026, 3, 6, 23, 30)]
    assert "仅显示：支委会 · 已记录" in page.content.decode()
    query["kinds"].append(tpl.kind)
    listed = client.get(url, query).context["page"].object_list
    assert len(listed) == n + 1  # the drafts of the 5th and the 支委会 of the 6th; no lecture


#: The same whatever the number of rows; `tpl` is a theme day, whose page also reads its
#: "1+N" (the groups' activities attached, N, the month's group records to attach): 3 more.
QUERIES = {"list": 7, "detail": 12}


def _post(roster, **extra):
    data = {
        "template": "",
        "held_at": "2026-03-05T14:30",
        "place": "三楼会议室",
        "topic": "学习党章第二章",
        f"att-{roster.li.pk}": "present",
        f"att-{roster.wang.pk}": "leave",
        f"reason-{roster.wang.pk}": "",
        f"att-{roster.zhao.pk}": "absent",
        f"reason-{roster.zhao.pk}": "值班",
        "minutes": "会议记录全文……",
    }
    data.update(extra)
    return data


def test_the_form_keeps_what_was_typed_when_refused(client, org, roster, tpl):
    client.force_login(org.users["secretary"])
    url = reverse("ledger:record_new", args=[org.a1.pk])
    response = client.post(url, _post(roster, template=tpl.pk))
    assert response.status_code == 200 and not MeetingRecord.objects.exists()
    html = response.content.decode()
    assert "王芳请假，请填写请假原因" in html
    assert "学习党章第二章" in html and "会议记录全文……" in html and 'value="值班"' in html
    assert f'id="att-{roster.wang.pk}-leave" value="leave" autocomplete="off" checked' in html


def test_saving_and_recording_from_the_form(client, org, roster, tpl):
    client.force_login(org.users["secretary"])
    url = reverse("ledger:record_new", args=[org.a1.pk])
    data = _post(roster, template=tpl.pk, submit="1", host=roster.li.pk)
    data[f"reason-{roster.wang.pk}"] = "出差"
    data["steps_done"] = ["确定主题", "开展活动"]
    data["photos"] = [jpeg_upload("a.jpg"), jpeg_upload("b.jpg")]
    response = client.post(url, data)
    record = MeetingRecord.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "ledger:record", args=[record.pk]
    )
    assert record.status == "recorded" and record.photos.count() == 2
    assert record.attendance.get(member=roster.wang).reason == "出差"


def test_a_refused_recording_keeps_the_draft_and_says_why(client, org, roster, tpl):
    client.force_login(org.users["secretary"])
    data = _post(roster, template=tpl.pk, submit="1")
    data[f"reason-{roster.wang.pk}"] = "出差"
    response = client.post(reverse("ledger:record_new", args=[org.a1.pk]), data, follow=True)
    record = MeetingRecord.objects.get()
    assert record.status == "draft"
    html = response.content.decode()
    assert "本模板要求填写主持人" in html and "至少需要 2 张照片" in html


def test_the_form_is_phone_first(client, org, roster, tpl):
    client.force_login(org.users["secretary"])
    response = client.get(reverse("ledger:record_new", args=[org.a1.pk]) + f"?template={tpl.pk}")
    html = response.content.decode()
    assert 'accept="image/*"' in html and 'capture="environment"' in html
    assert "<table" not in html  # attendance is a list, not a wide table
    # everyone on the roster, present by default: only exceptions are typed
    for member in (roster.li, roster.wang, roster.zhao):
        assert f'id="att-{member.pk}-present" value="present" autocomplete="off" checked' in html
    assert roster.sun.name not in html
    assert "本模板要求：" in html and "确定主题" in html
