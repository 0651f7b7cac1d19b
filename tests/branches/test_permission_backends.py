"""A permission declared with rules is decided by rules alone (branches.backends.RulesDecide):
no page pays ModelBackend's two permission queries to learn that a rules name is not a model
permission; model permissions granted through a group (the admin site) still hold."""

import pytest
import rules
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_no_rules_permission_is_also_a_model_permission():
    """Else a group's grant of that model permission would now be ignored."""
    model_perms = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
    assert not set(rules.permissions.permissions) & model_perms


def test_a_page_reads_no_permission_table(client, org):
    """The navigation asks for permissions a secretary lacks (账号管理, 定时任务 …)."""
    client.force_login(org.users["secretary"])
    client.get(reverse("workflow:notifications"))  # warm-up
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("workflow:notifications"))
    assert response.status_code == 200
    read = [q["sql"] for q in captured.captured_queries if "auth_permission" in q["sql"]]
    assert read == []


def test_rules_still_decide_and_a_group_still_grants_model_permissions(org):
    secretary, admin = org.users["secretary"], org.users["admin"]
    assert not secretary.has_perm("branches.manage_accounts")
    assert admin.has_perm("branches.manage_accounts")  # by rules (the ADMIN role)
    group = Group.objects.create(name="系统管理员")
    group.permissions.set(Permission.objects.filter(codename="change_orgunit"))
    secretary.groups.add(group)
    secretary = type(secretary).objects.get(pk=secretary.pk)  # permission caches are per object
    assert secretary.has_perm("branches.change_orgunit")
    assert not secretary.has_perm("branches.manage_accounts")
