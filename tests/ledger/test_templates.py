"""Work templates: the shipped defaults, versions that never change once published, and who
sees a committee's own templates."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from branches.models import Role
from ledger import selectors, services
from ledger.models import MeetingTemplate
from tests.factories import MeetingTemplateFactory, UserFactory, grant
from tests.permissions import LOGIN, assert_permission_matrix
from workflow.models import AuditEntry

pytestmark = pytest.mark.django_db

defaults = importlib.import_module("ledger.migrations.0002_default_templates")


@pytest.fixture
def shipped(db):
    """The data migration's rows (a transactional test elsewhere may have flushed them)."""
    defaults.install(apps, None)
    return {t.key: t for t in MeetingTemplate.objects.filter(is_current=True)}


def test_defaults_follow_the_branch_work_regulations(shipped):
    got = {
        t.get_kind_display(): (t.frequency, t.required_count, t.per_member)
        for t in shipped.values()
    }
    assert got == {
        "支委会": ("monthly", 1, False),
        "党小组会": ("monthly", 1, False),
        "支部党员大会": ("quarterly", 1, False),
        "党课": ("quarterly", 1, False),
        "主题党日": ("monthly", 1, False),
        "组织生活会": ("yearly", 1, False),
        "民主评议党员": ("yearly", 1, False),
        "谈心谈话": ("yearly", 1, True),
    }
    committee = shipped["committee-meeting"]
    assert committee.attendees == "committee" and committee.needs_resolutions
    assert committee.owner is None and committee.version == 1 and committee.steps
    assert shipped["group-meeting"].attendees == "group"
    assert shipped["theme-day"].min_photos == 2


def test_defaults_install_once(shipped):
    defaults.install(apps, None)
    assert MeetingTemplate.objects.filter(key="committee-meeting").count() == 1


def test_published_version_never_changes(shipped):
    template = shipped["theme-day"]
    template.required_count = 3
    with pytest.raises(ValueError):
        template.save()


def test_revision_is_a_new_version(org, shipped):
    admin = org.users["admin"]
    old = shipped["theme-day"]
    new = services.revise_template(
        actor=admin, template=old, data={"required_count": 2, "min_photos": 3}, reason="加强要求"
    )
    old.refresh_from_db()
    assert (old.version, old.is_current, old.required_count, old.min_photos) == (1, False, 1, 2)
    assert (new.version, new.is_current, new.required_count, new.min_photos) == (2, True, 2, 3)
    assert new.key == old.key and new.steps == old.steps and new.published_by == admin
    entry = AuditEntry.objects.get(action="template_revise")
    assert (entry.from_state, entry.to_state, entry.comment) == ("v1", "v2", "加强要求")
    # revising through the old version still builds on the current one
    third = services.revise_template(actor=admin, template=old, data={"required_count": 4})
    assert third.version == 3 and third.min_photos == 3
    assert MeetingTemplate.objects.filter(key=old.key, is_current=True).get() == third


def test_only_administrators_of_the_owner_revise(org, shipped):
    with pytest.raises(PermissionDenied, match="只有制定单位的系统管理员可以发布或修订模板。"):
        services.revise_template(
            actor=org.users["province_reviewer"], template=shipped["theme-day"], data={}
        )
    city_admin = grant(UserFactory(username="admin_a"), org.city_a, Role.ADMIN)
    with pytest.raises(PermissionDenied):  # the province's template is not the city's
        services.revise_template(actor=city_admin, template=shipped["theme-day"], data={})
    own = services.publish_template(
        actor=city_admin,
        data={
            "kind": "custom",
            "name": "甲市安全生产主题党日",
            "frequency": "quarterly",
            "steps": ["安全学习"],
            "owner": org.city_a,
        },
    )
    assert own.version == 1 and own.owner == org.city_a
    with pytest.raises(PermissionDenied):
        services.publish_template(
            actor=city_admin,
            data={"kind": "custom", "name": "x", "frequency": "yearly", "owner": org.city_b},
        )


def test_committee_templates_visible_to_their_subtree_only(org, shipped):
    MeetingTemplateFactory(owner=org.city_a, name="甲市特色党日")
    MeetingTemplateFactory(owner=org.city_b, name="乙市特色党日")
    MeetingTemplateFactory(owner=org.city_a, name="甲市旧版", is_current=False, key="old")

    def names(user):
        return {t.name for t in selectors.templates_visible_to(user)}

    assert "甲市特色党日" in names(org.users["secretary"])  # a branch under city A
    assert "乙市特色党日" not in names(org.users["secretary"])
    assert "甲市旧版" not in names(org.users["secretary"])
    assert "支委会" in names(org.users["secretary"])  # the province's
    assert "甲市特色党日" not in names(org.sec_b1) and "乙市特色党日" in names(org.sec_b1)
    assert {"甲市特色党日", "乙市特色党日"} <= names(org.users["province_reviewer"])


def test_template_list_for_everyone_with_a_role(client, org, shipped):
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("ledger:templates"),
        {
            "anonymous": LOGIN,
            "member": 403,
            "secretary": 200,
            "general_branch_reviewer": 200,
            "city_reviewer": 200,
            "province_reviewer": 200,
            "committee_member": 200,
            "admin": 200,
        },
    )
    client.force_login(org.users["secretary"])
    body = client.get(reverse("ledger:templates")).content.decode()
    assert "谈心谈话" in body and "每季度" in body


def test_template_list_queries_flat(client, org, shipped, django_assert_max_num_queries):
    client.force_login(org.users["secretary"])
    client.get(reverse("ledger:templates"))
    with django_assert_max_num_queries(8):
        client.get(reverse("ledger:templates"))


def test_admin_change_publishes_a_new_version(client, org, shipped):
    from tests.factories import UserFactory as U

    superuser = U(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    t = shipped["party-lecture"]
    url = reverse("admin:ledger_meetingtemplate_change", args=[t.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "steps": '["确定党课主题", "讲授党课"]',
            "required_count": 2,
            "owner": "",
        }
    )
    for flag in ("needs_topic", "needs_host", "needs_attendance", "needs_materials"):
        data[flag] = "on"
    for flag in ("needs_recorder", "needs_minutes", "needs_resolutions", "per_member"):
        data.pop(flag, None)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    current = MeetingTemplate.objects.get(key="party-lecture", is_current=True)
    assert current.version == 2 and current.required_count == 2
    t.refresh_from_db()
    assert t.required_count == 1 and not t.is_current
