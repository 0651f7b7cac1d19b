"""Sessions end after the idle limit; 记住我 decides whether they outlive the browser."""

import datetime

import time_machine
from django.conf import settings
from django.urls import reverse

from branches.middleware import LAST_ACTIVITY_KEY
from tests.clock import local

TEMPORARY = "Linshi-Mima-2026"
CHOSEN = "Xuexi-Qiangguo-2026"


DEMO = "demo-pass-123"  # tests.factories.UserFactory


def login(client, username="sec_a1", password=None, **extra):
    data = {"username": username, "password": password or DEMO, **extra}
    return client.post(reverse("login"), data)


# --- idle timeout --------------------------------------------------------------------------

START = local(2027, 3, 1, 9, 0)


def test_idle_for_119_minutes_still_logged_in(client, org):
    with time_machine.travel(START, tick=False) as clock:
        login(client)
        clock.shift(datetime.timedelta(minutes=119))
        assert client.get("/").status_code == 200
        # the clock restarted at that request: another 119 minutes are fine too
        clock.shift(datetime.timedelta(minutes=119))
        assert client.get("/").status_code == 200


def test_idle_for_121_minutes_logs_out_with_a_chinese_notice(client, org):
    with time_machine.travel(START, tick=False) as clock:
        login(client)
        clock.shift(datetime.timedelta(minutes=121))
        response = client.get("/org/")
        assert response.status_code == 302
        assert response["Location"] == reverse("login") + "?next=/org/"
        page = client.get(response["Location"]).content.decode()
        assert "长时间未操作，请重新登录" in page
        assert "_auth_user_id" not in client.session
        assert client.get("/").status_code == 302


def test_the_idle_limit_is_a_setting(client, org, settings):
    settings.SESSION_IDLE_MINUTES = 5
    with time_machine.travel(START, tick=False) as clock:
        login(client)
        clock.shift(datetime.timedelta(minutes=6))
        assert client.get("/").status_code == 302


def test_the_idle_limit_applies_to_remembered_sessions_too(client, org):
    with time_machine.travel(START, tick=False) as clock:
        login(client, remember="on")
        clock.shift(datetime.timedelta(minutes=121))
        assert client.get("/").status_code == 302


def test_the_last_activity_is_written_at_most_once_a_minute(client, org):
    with time_machine.travel(START, tick=False) as clock:
        login(client)
        stamp = client.session[LAST_ACTIVITY_KEY]
        clock.shift(datetime.timedelta(seconds=59))
        client.get("/")
        assert client.session[LAST_ACTIVITY_KEY] == stamp
        clock.shift(datetime.timedelta(seconds=2))
        client.get("/")
        assert client.session[LAST_ACTIVITY_KEY] == stamp + 61


def test_htmx_requests_after_the_idle_limit_reload_the_login_page(client, org):
    with time_machine.travel(START, tick=False) as clock:
        login(client)
        clock.shift(datetime.timedelta(minutes=121))
        response = client.get("/notifications/", headers={"HX-Request": "true"})
        assert response["HX-Redirect"] == reverse("login")


# --- remember me ---------------------------------------------------------------------------


def test_without_remember_me_the_session_ends_with_the_browser(client, org):
    response = login(client)
    assert client.session.get_expire_at_browser_close()
    assert not response.cookies[settings.SESSION_COOKIE_NAME]["expires"]


def test_with_remember_me_the_session_outlives_the_browser(client, org):
    response = login(client, remember="on")
    assert not client.session.get_expire_at_browser_close()
    assert response.cookies[settings.SESSION_COOKIE_NAME]["expires"]


def test_the_login_form_keeps_its_fields_and_offers_remember_me(client, db):
    body = client.get(reverse("login")).content.decode()
    for name in ('name="username"', 'name="password"', 'name="remember"', "记住我"):
        assert name in body
