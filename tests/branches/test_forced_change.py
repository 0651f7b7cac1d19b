"""A temporary password set by an administrator leads to 修改密码 until the user
chooses their own."""

import pytest
from django.conf import settings
from django.urls import reverse

from branches.services import accounts
from workflow.models import AuditEntry

TEMPORARY = "Linshi-Mima-2026"
CHOSEN = "Xuexi-Qiangguo-2026"


DEMO = "demo-pass-123"  # tests.factories.UserFactory


def login(client, username="sec_a1", password=None, **extra):
    data = {"username": username, "password": password or DEMO, **extra}
    return client.post(reverse("login"), data)


# --- forced change -------------------------------------------------------------------------


@pytest.fixture
def temporary(org):
    secretary = org.users["secretary"]
    accounts.set_temporary_password(actor=org.users["admin"], user=secretary, password=TEMPORARY)
    return secretary


def test_a_temporary_password_leads_to_the_password_change_everywhere(client, temporary):
    response = login(client, password=TEMPORARY)
    assert response.status_code == 302
    change = reverse("password_change")
    for url in ("/", "/org/", "/brands/", "/evaluation/", "/notifications/", "/ledger/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, change), url
    response = client.get("/", follow=True)
    assert "您正在使用管理员设置的临时密码" in response.content.decode()


def test_htmx_requests_are_sent_to_the_password_change_as_a_full_page(client, temporary):
    client.force_login(temporary)
    response = client.get("/notifications/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("password_change")


def test_the_allowed_pages_stay_open_during_the_forced_change(client, temporary):
    client.force_login(temporary)
    assert client.get(reverse("password_change")).status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
    # whitenoise serves static files before any session middleware in production; here they
    # reach Django (no collectstatic), and must not be redirected either
    assert client.get(settings.STATIC_URL + "css/portal.css").status_code != 302
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response["Location"] == "/"
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_changing_the_password_ends_the_forced_change(client, temporary):
    login(client, password=TEMPORARY)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEMPORARY, "new_password1": CHOSEN, "new_password2": CHOSEN},
    )
    assert response["Location"] == reverse("password_change_done")
    temporary.refresh_from_db()
    assert not temporary.must_change_password and temporary.check_password(CHOSEN)
    assert client.get("/").status_code == 200  # still logged in, and free
    entry = AuditEntry.objects.get(action="account_password_changed")
    assert entry.actor == temporary and CHOSEN not in entry.comment


def test_the_password_change_refuses_the_old_password_in_chinese(client, temporary):
    client.force_login(temporary)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": CHOSEN, "new_password2": CHOSEN},
    )
    assert "旧密码" in " ".join(response.context["form"].errors["old_password"])
    temporary.refresh_from_db()
    assert temporary.must_change_password


def test_users_without_a_temporary_password_are_not_redirected(client, org):
    login(client)
    assert client.get("/").status_code == 200
