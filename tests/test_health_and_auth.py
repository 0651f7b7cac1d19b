import pytest
from django.urls import reverse

pytestmark = pytest.mark.smoke


def test_healthz_reports_the_database_only(client, db, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_does_not_probe_an_unreachable_broker(client, db, settings, monkeypatch):
    """Liveness: pages still serve without the broker (the outbox relay sends the tasks later),
    and restarting the web process would not bring it back. /readyz reports it."""
    from config import health

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    def probed():
        raise AssertionError("/healthz must not probe the broker or the cache")

    monkeypatch.setattr(health, "_broker", probed)
    monkeypatch.setattr(health, "_cache", probed)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_fails_when_the_database_does_not_answer(client, db, monkeypatch):
    from types import SimpleNamespace

    from config import health

    def down():
        raise OSError("connection refused")

    monkeypatch.setattr(health, "connection", SimpleNamespace(cursor=down))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OSError"


def test_login_with_the_form_and_logout(client, org):
    response = client.post(
        reverse("login"), {"username": "sec_a1", "password": "demo-pass-123"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "张书记" in response.content.decode()
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302


def test_wrong_password_gives_a_chinese_message(client, org):
    response = client.post(reverse("login"), {"username": "sec_a1", "password": "wrong"})
    assert "用户名或密码不正确" in response.content.decode()


def test_repeated_failures_lock_the_login_with_a_chinese_message(client, org, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "sec_a1", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "sec_a1", "password": "demo-pass-123"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_password_change(client, org):
    client.force_login(org.users["secretary"])
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "demo-pass-123",
            "new_password1": "Xuexi-Qiangguo-2026",
            "new_password2": "Xuexi-Qiangguo-2026",
        },
    )
    assert response.status_code == 302
    org.users["secretary"].refresh_from_db()
    assert org.users["secretary"].check_password("Xuexi-Qiangguo-2026")


def test_english_is_available(client, org):
    client.force_login(org.users["secretary"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()


def test_security_headers(client, db):
    response = client.get(reverse("login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
