import pytest
from django.core import mail
from django.urls import reverse

from workflow import services
from workflow.models import AuditEntry, Notification

pytestmark = pytest.mark.smoke


def test_notify_creates_bell_items_and_emails_once(org, django_capture_on_commit_callbacks):
    sec = org.users["secretary"]
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([sec, sec], title="品牌申报已退回", body="请修改后重新提交", url="/")
    assert Notification.objects.filter(recipient=sec).count() == 1
    assert len(mail.outbox) == 1 and "品牌申报已退回" in mail.outbox[0].subject
    # Delivering the same task again sends nothing twice.
    from workflow.tasks import send_notification_emails

    assert send_notification_emails(list(Notification.objects.values_list("pk", flat=True))) == 0
    assert len(mail.outbox) == 1


def test_bell_shows_unread_count_and_mark_read(client, org, django_capture_on_commit_callbacks):
    sec = org.users["secretary"]
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([sec], title="您有一条待办", url="/org/")
    client.force_login(sec)
    body = client.get("/").content.decode()
    assert 'badge rounded-pill bg-warning text-dark">1<' in body
    note = Notification.objects.get(recipient=sec)
    response = client.post(reverse("workflow:notification_open", args=[note.pk]))
    assert response.url == "/org/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_user_cannot_open_someone_elses_notification(client, org):
    note = services.notify([org.sec_b1], title="乙市通知")[0]
    client.force_login(org.users["secretary"])
    client.post(reverse("workflow:notification_open", args=[note.pk]))
    note.refresh_from_db()
    assert note.read_at is None


def test_notification_links_never_leave_the_site(client, org):
    sec = org.users["secretary"]
    note = services.notify([sec], title="x", url="https://evil.example.com/")[0]
    client.force_login(sec)
    response = client.post(reverse("workflow:notification_open", args=[note.pk]))
    assert response.url == reverse("workflow:notifications")


def test_notification_titles_are_escaped(client, org):
    sec = org.users["secretary"]
    services.notify([sec], title="<script>alert(1)</script>")
    client.force_login(sec)
    body = client.get(reverse("workflow:notifications")).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_audit_record_keeps_actor_states_and_comment(org):
    entry = services.record_audit(
        actor=org.users["city_reviewer"],
        obj=org.a1,
        action="return",
        from_state="submitted",
        to_state="returned",
        comment="请补充创建举措",
        unit=org.a1,
    )
    assert AuditEntry.objects.get(pk=entry.pk).comment == "请补充创建举措"
    assert entry.object_repr == "甲市网络运维党支部"


def test_each_user_sets_their_own_email_preference(client, org):
    client.force_login(org.users["city_reviewer"])
    assert client.get(reverse("workflow:settings")).status_code == 200
    response = client.post(
        reverse("workflow:settings"),
        {"email": "rev_a@example.cn", "email_preference": "immediate"},
    )
    assert response.status_code == 302
    org.users["city_reviewer"].refresh_from_db()
    assert org.users["city_reviewer"].email_preference == "immediate"
    assert (
        client.post(reverse("workflow:settings"), {"email_preference": "bogus"}).status_code == 200
    )


def test_several_messages_are_one_insert_and_one_email_task(
    org, django_capture_on_commit_callbacks, django_assert_num_queries
):
    sec, city = org.users["secretary"], org.users["city_reviewer"]
    messages = [
        services.Message([city, city], title="待审核：品牌申报", url="/brands/1/"),
        services.Message([sec, None], title="品牌申报已通过审核", body="同意"),
    ]
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        django_assert_num_queries(1),
    ):
        rows = services.notify_all(messages)
    assert len(callbacks) == 1
    assert sorted((n.recipient_id, n.title) for n in rows) == sorted(
        [(city.pk, "待审核：品牌申报"), (sec.pk, "品牌申报已通过审核")]
    )
