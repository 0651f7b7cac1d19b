"""The e-mailed activation link: 设置密码 once, before it expires, with Chinese errors at
the field."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from branches.services import accounts
from tests.clock import local
from workflow.models import AuditEntry

TEMPORARY = "Linshi-Mima-2026"
CHOSEN = "Xuexi-Qiangguo-2026"


DEMO = "demo-pass-123"  # tests.factories.UserFactory


def login(client, username="sec_a1", password=None, **extra):
    data = {"username": username, "password": password or DEMO, **extra}
    return client.post(reverse("login"), data)


START = local(2027, 3, 1, 9, 0)

# --- activation link -----------------------------------------------------------------------


@pytest.fixture
def imported(org):
    """A user as the Excel import leaves them: no usable password."""
    secretary = org.users["secretary"]
    secretary.set_unusable_password()
    secretary.save()
    return secretary


def open_link(client, link):
    """GET the e-mailed link; Django moves the token into the session and redirects to the
    form, so the token leaves the address bar (and the Referer)."""
    response = client.get(link)
    assert response.status_code == 302
    return response["Location"]


def test_the_activation_link_sets_the_password_once(client, imported):
    link = accounts.activation_path(imported)
    form_url = open_link(client, link)
    page = client.get(form_url)
    assert page.context["validlink"] and "设置密码" in page.content.decode()
    response = client.post(form_url, {"new_password1": CHOSEN, "new_password2": CHOSEN})
    assert response["Location"] == reverse("activate_done")
    imported.refresh_from_db()
    assert imported.check_password(CHOSEN) and not imported.must_change_password
    entry = AuditEntry.objects.get(action="account_password_activated")
    assert entry.actor == imported and CHOSEN not in entry.comment
    assert login(client, password=CHOSEN).status_code == 302

    client.logout()
    again = client.get(link)
    assert again.status_code == 200 and not again.context["validlink"]
    assert "该链接无效或已过期" in again.content.decode()


def test_the_activation_link_expires(client, imported, settings):
    with time_machine.travel(START, tick=False) as clock:
        link = accounts.activation_path(imported)
        clock.shift(datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT - 60))
        assert client.get(client.get(link)["Location"]).context["validlink"]
        clock.shift(datetime.timedelta(seconds=120))
        response = client.get(link)
        assert response.status_code == 200 and not response.context["validlink"]
    assert settings.PASSWORD_RESET_TIMEOUT == 3 * 24 * 3600


def test_a_temporary_password_voids_an_earlier_link(client, org, imported):
    link = accounts.activation_path(imported)
    accounts.set_temporary_password(actor=org.users["admin"], user=imported, password=TEMPORARY)
    assert not client.get(link).context["validlink"]


def test_a_deactivated_accounts_link_is_void(client, org, imported):
    link = accounts.activation_path(imported)
    accounts.set_active(actor=org.users["admin"], user=imported, active=False)
    assert not client.get(link).context["validlink"]


def test_the_activation_form_gives_chinese_errors_at_the_field(client, imported):
    form_url = open_link(client, accounts.activation_path(imported))
    response = client.post(form_url, {"new_password1": CHOSEN, "new_password2": "other"})
    errors = response.context["form"].errors
    assert "两个密码不一致" in " ".join(errors["new_password2"])
    response = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert any("密码" in e for e in response.context["form"].errors["new_password2"])
    assert "invalid-feedback" in response.content.decode()
    imported.refresh_from_db()
    assert not imported.has_usable_password()


def test_a_forged_token_is_refused(client, imported):
    link = accounts.activation_path(imported)
    # the token is the link's last segment; making a second one here could differ by a second
    token = link.rstrip("/").rsplit("/", 1)[1]
    forged = link.replace(token, "abc-0123456789abcdef")
    assert forged != link
    assert not client.get(forged).context["validlink"]
