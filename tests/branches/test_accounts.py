"""Accounts managed in the portal: the services' rules and refusals, the audit trail (never a
password), the administrators' account pages and their permission matrix."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from branches.models import Role
from branches.services import accounts
from tests.factories import UserFactory, grant
from tests.permissions import LOGIN, assert_permission_matrix
from workflow.models import AuditEntry

TEMPORARY = "Linshi-Mima-2026"


@pytest.fixture
def city_admin(org):
    """The administrator of city A (the province's `admin` covers both cities)."""
    return grant(UserFactory(username="admin_a", full_name="甲管理"), org.city_a, Role.ADMIN)


def audit_text(entry) -> str:
    return " ".join(str(v) for v in (entry.object_repr, entry.action, entry.comment))


# --- who may manage whom -------------------------------------------------------------------


def test_a_city_administrator_manages_the_users_of_their_subtree(org, city_admin):
    assert accounts.refusal(city_admin, org.users["secretary"]) is None
    assert accounts.refusal(city_admin, org.users["general_branch_reviewer"]) is None
    assert accounts.refusal(city_admin, org.users["city_reviewer"]) is None


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("sec_b1", "管辖范围以外"),  # city B's secretary
        ("rev_p", "管辖范围以外"),  # a role at the province, above city A
        ("admin_p", "同级或上级的系统管理员"),
        ("member", "未在任何党组织担任角色"),
    ],
)
def test_a_city_administrator_is_refused_outside_their_subtree(org, city_admin, target, reason):
    from branches.models import User

    assert reason in accounts.refusal(city_admin, User.objects.get(username=target))


def test_a_user_with_roles_in_two_subtrees_needs_an_administrator_covering_both(org, city_admin):
    both = grant(
        grant(UserFactory(username="both"), org.a2, Role.SECRETARY), org.b1, Role.SECRETARY
    )
    assert "管辖范围以外" in accounts.refusal(city_admin, both)
    assert accounts.refusal(org.users["admin"], both) is None  # the province's administrator


def test_administrators_manage_lower_administrators_but_not_peers(org, city_admin):
    lower = grant(UserFactory(username="admin_ga"), org.general_a, Role.ADMIN)
    peer = grant(UserFactory(username="admin_a2"), org.city_a, Role.ADMIN)
    assert accounts.refusal(city_admin, lower) is None
    assert "同级或上级" in accounts.refusal(city_admin, peer)


def test_nobody_manages_their_own_account_here(org, city_admin):
    assert "自己的账号" in accounts.refusal(city_admin, city_admin)


def test_only_administrators_manage_accounts(org):
    for role in ("member", "secretary", "city_reviewer", "province_reviewer", "committee_member"):
        assert "只有系统管理员" in accounts.refusal(org.users[role], org.sec_b1)


def test_superusers_manage_everyone_and_are_managed_by_superusers_only(org, city_admin):
    root = UserFactory(username="root", is_superuser=True)
    assert accounts.refusal(root, org.users["member"]) is None
    assert accounts.refusal(root, org.users["admin"]) is None
    assert "超级管理员" in accounts.refusal(org.users["admin"], root)


# --- temporary password --------------------------------------------------------------------


def test_a_typed_temporary_password_must_be_changed_and_is_audited_without_itself(org, city_admin):
    secretary = org.users["secretary"]
    assert (
        accounts.set_temporary_password(actor=city_admin, user=secretary, password=TEMPORARY)
        == TEMPORARY
    )
    secretary.refresh_from_db()
    assert secretary.check_password(TEMPORARY) and secretary.must_change_password
    entry = AuditEntry.objects.get(action="account_temporary_password")
    assert entry.actor == city_admin and entry.object_id == secretary.pk
    assert entry.unit == org.a1
    assert TEMPORARY not in audit_text(entry)


def test_a_blank_temporary_password_is_generated(org, city_admin):
    secretary = org.users["secretary"]
    password = accounts.set_temporary_password(actor=city_admin, user=secretary)
    assert len(password) == accounts.GENERATED_LENGTH
    secretary.refresh_from_db()
    assert secretary.check_password(password)
    assert password not in audit_text(AuditEntry.objects.get())


def test_a_weak_temporary_password_is_refused_and_changes_nothing(org, city_admin):
    secretary = org.users["secretary"]
    with pytest.raises(ValidationError) as refused:
        accounts.set_temporary_password(actor=city_admin, user=secretary, password="12345678")
    assert "密码" in " ".join(refused.value.messages)  # Django's Chinese validator messages
    secretary.refresh_from_db()
    assert secretary.check_password("demo-pass-123") and not secretary.must_change_password
    assert not AuditEntry.objects.exists()


def test_a_temporary_password_outside_the_subtree_is_refused(org, city_admin):
    with pytest.raises(PermissionDenied):
        accounts.set_temporary_password(actor=city_admin, user=org.sec_b1, password=TEMPORARY)
    org.sec_b1.refresh_from_db()
    assert org.sec_b1.check_password("demo-pass-123")


# --- activation link -----------------------------------------------------------------------


def test_the_activation_link_is_mailed_and_audited(org, city_admin):
    secretary = org.users["secretary"]
    secretary.set_unusable_password()
    secretary.save()
    sent_to = accounts.send_activation_link(
        actor=city_admin, user=secretary, site_url="https://portal.example.cn/"
    )
    assert sent_to == "sec_a1@example.cn"
    (message,) = mail.outbox
    assert message.to == ["sec_a1@example.cn"]
    assert "https://portal.example.cn/activate/" in message.body
    assert "3 天内有效" in message.body
    entry = AuditEntry.objects.get(action="account_activation_link")
    assert entry.actor == city_admin and "sec_a1@example.cn" in entry.comment


def test_no_activation_link_without_an_email_address(org, city_admin):
    secretary = org.users["secretary"]
    secretary.email = ""
    secretary.save()
    with pytest.raises(accounts.AccountError, match="没有登记电子邮箱"):
        accounts.send_activation_link(actor=city_admin, user=secretary, site_url="http://x/")
    assert not mail.outbox and not AuditEntry.objects.exists()


def test_no_activation_link_for_a_deactivated_account(org, city_admin):
    accounts.set_active(actor=city_admin, user=org.users["secretary"], active=False)
    with pytest.raises(accounts.AccountError, match="已停用"):
        accounts.send_activation_link(
            actor=city_admin, user=org.users["secretary"], site_url="http://x/"
        )


def test_no_activation_link_outside_the_subtree(org, city_admin):
    with pytest.raises(PermissionDenied):
        accounts.send_activation_link(actor=city_admin, user=org.sec_b1, site_url="http://x/")
    assert not mail.outbox


# --- deactivate, reactivate ----------------------------------------------------------------


def test_deactivate_and_reactivate(org, city_admin):
    secretary = org.users["secretary"]
    accounts.set_active(actor=city_admin, user=secretary, active=False)
    secretary.refresh_from_db()
    assert not secretary.is_active
    with pytest.raises(accounts.AccountError, match="已是停用状态"):
        accounts.set_active(actor=city_admin, user=secretary, active=False)
    accounts.set_active(actor=city_admin, user=secretary, active=True)
    secretary.refresh_from_db()
    assert secretary.is_active
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", "to_state"))
    assert actions == [("account_deactivate", "inactive"), ("account_reactivate", "active")]


def test_deactivating_outside_the_subtree_is_refused(org, city_admin):
    with pytest.raises(PermissionDenied):
        accounts.set_active(actor=city_admin, user=org.sec_b1, active=False)


def test_a_deactivated_user_is_logged_out_at_the_next_request(client, org, city_admin):
    client.force_login(org.users["secretary"])
    accounts.set_active(actor=city_admin, user=org.users["secretary"], active=False)
    assert client.get("/").status_code == 302


# --- pages ---------------------------------------------------------------------------------

NOBODY = {
    "anonymous": LOGIN,
    "member": 403,
    "secretary": 403,
    "general_branch_reviewer": 403,
    "city_reviewer": 403,
    "province_reviewer": 403,
    "committee_member": 403,
}


def test_account_list_matrix(client, org):
    assert_permission_matrix(
        client, org, lambda _u: reverse("branches:accounts"), {**NOBODY, "admin": 200}
    )


def test_account_page_matrix(client, org):
    assert_permission_matrix(
        client,
        org,
        lambda user: reverse("branches:account_detail", args=[user.pk]),
        {**NOBODY, "admin": 200},
        own=org.users["secretary"],
        other=org.sec_b1,
    )


def test_account_actions_matrix(client, org):
    assert_permission_matrix(
        client,
        org,
        lambda user: reverse("branches:account_detail", args=[user.pk]),
        {**NOBODY, "admin": 302},
        method="post",
        data={"action": "deactivate"},
        own=org.users["secretary"],
        other=org.sec_b1,
    )


@pytest.mark.parametrize("action", ["password", "activation", "deactivate"])
def test_a_city_administrator_cannot_act_on_city_b(client, org, city_admin, action):
    client.force_login(city_admin)
    own = reverse("branches:account_detail", args=[org.users["secretary"].pk])
    other = reverse("branches:account_detail", args=[org.sec_b1.pk])
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 403
    assert client.post(other, {"action": action, "password": TEMPORARY}).status_code == 403
    org.sec_b1.refresh_from_db()
    assert org.sec_b1.is_active and org.sec_b1.check_password("demo-pass-123")
    assert not AuditEntry.objects.exists() and not mail.outbox


def test_the_list_shows_the_subtree_only_and_says_who_cannot_be_managed(client, org, city_admin):
    grant(UserFactory(username="both", full_name="两地兼职"), org.b1, Role.SECRETARY)
    grant(org.users["member"], org.a2, Role.SECRETARY)
    grant(UserFactory(username="both"), org.a2, Role.SECRETARY)
    client.force_login(city_admin)
    body = client.get(reverse("branches:accounts")).content.decode()
    assert "张书记" in body and "李组织" in body and "两地兼职" in body
    assert "周书记" not in body and "吴组织" not in body and "孙管理" not in body
    assert "无权管理" in body  # 两地兼职 holds a role in city B too


def test_the_list_searches_name_and_username(client, org, city_admin):
    client.force_login(city_admin)
    url = reverse("branches:accounts")
    body = client.get(url, {"q": "张书"}).content.decode()
    assert "sec_a1" in body and "rev_a<" not in body
    body = client.get(url, {"q": "rev_g"}).content.decode()
    assert "王总支" in body and "张书记" not in body


def test_the_list_query_count_does_not_grow_with_users(
    client, org, city_admin, django_assert_max_num_queries
):
    client.force_login(city_admin)
    with django_assert_max_num_queries(9) as small:
        client.get(reverse("branches:accounts"))
    for i in range(40):
        grant(UserFactory(username=f"sec_more{i:02d}"), org.a2, Role.SECRETARY)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("branches:accounts"))
    assert response.context["page"].paginator.count == 44  # admin_a, sec_a1, rev_ga, rev_a and 40


def test_a_generated_password_is_shown_once(client, org, city_admin):
    client.force_login(city_admin)
    url = reverse("branches:account_detail", args=[org.users["secretary"].pk])
    response = client.post(url, {"action": "password", "password": ""})
    password = response.context["generated_password"]
    assert password and password in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert password not in client.get(url).content.decode()
    org.users["secretary"].refresh_from_db()
    assert org.users["secretary"].check_password(password)


def test_a_weak_typed_password_is_refused_at_the_field(client, org, city_admin):
    client.force_login(city_admin)
    url = reverse("branches:account_detail", args=[org.users["secretary"].pk])
    response = client.post(url, {"action": "password", "password": "abc"})
    errors = response.context["password_form"].errors["password"]
    assert any("密码" in e for e in errors)
    assert "invalid-feedback" in response.content.decode()


def test_sending_a_link_without_email_says_why(client, org, city_admin):
    secretary = org.users["secretary"]
    secretary.email = ""
    secretary.save()
    client.force_login(city_admin)
    url = reverse("branches:account_detail", args=[secretary.pk])
    response = client.post(url, {"action": "activation"}, follow=True)
    assert "没有登记电子邮箱" in response.content.decode()


def test_sending_a_link_from_the_page(client, org, city_admin):
    client.force_login(city_admin)
    url = reverse("branches:account_detail", args=[org.users["secretary"].pk])
    response = client.post(url, {"action": "activation"}, follow=True)
    assert "激活链接已发送至 sec_a1@example.cn" in response.content.decode()
    assert "http://testserver/activate/" in mail.outbox[0].body


def test_deactivating_from_the_page(client, org, city_admin):
    client.force_login(city_admin)
    url = reverse("branches:account_detail", args=[org.users["secretary"].pk])
    response = client.post(url, {"action": "deactivate"}, follow=True)
    assert "账号已停用" in response.content.decode()
    response = client.post(url, {"action": "deactivate"}, follow=True)
    assert "已是停用状态" in response.content.decode()


def test_the_navigation_shows_accounts_to_administrators_only(client, org):
    client.force_login(org.users["admin"])
    assert "账号管理" in client.get("/").content.decode()
    client.force_login(org.users["city_reviewer"])
    assert "账号管理" not in client.get("/").content.decode()


def test_tokens_come_from_djangos_generator(org):
    path = accounts.activation_path(org.users["secretary"])
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert default_token_generator.check_token(org.users["secretary"], token)
