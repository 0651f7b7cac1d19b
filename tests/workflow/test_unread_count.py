"""The bell's unread count cached per user (workflow/unread.py): right after a notification
and after marking read, under a write that commits while a count is being taken, and one
query less per page while nothing changed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from workflow import services
from workflow.models import Notification
from workflow.selectors import unread_count
from workflow.unread import cached_count


@pytest.fixture(autouse=True)
def _cached(settings):
    settings.UNREAD_COUNT_CACHED = True  # as with Redis; the tests' cache is this process's


BADGE = 'badge rounded-pill bg-warning text-dark">{}<'


def _page(client):
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("dashboard")).content.decode()
    counts = [q for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    return body, len([q for q in counts if "workflow_notification" in q["sql"]])


def test_count_is_right_after_a_notification_and_after_marking_read(
    client, org, django_capture_on_commit_callbacks
):
    sec = org.users["secretary"]
    Notification.objects.filter(recipient=sec).delete()
    client.force_login(sec)
    body, counted = _page(client)
    assert 'bg-warning text-dark">' not in body and counted == 1
    body, counted = _page(client)
    assert counted == 0  # cached: no query while nothing changed

    with django_capture_on_commit_callbacks(execute=True):
        services.notify([sec], title="您有一条待办", url="/org/")
    body, counted = _page(client)
    assert BADGE.format(1) in body and counted == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_all([services.Message([sec, org.sec_b1], "第二条")])
    body, _counted = _page(client)
    assert BADGE.format(2) in body

    note = Notification.objects.filter(recipient=sec).order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workflow:notification_open", args=[note.pk]))
    body, counted = _page(client)
    assert BADGE.format(1) in body and counted == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workflow:notifications_read_all"))
    body, counted = _page(client)
    assert 'bg-warning text-dark">' not in body and counted == 1


def test_another_users_notification_leaves_this_count_cached(
    org, django_capture_on_commit_callbacks
):
    sec, other = org.users["secretary"], org.sec_b1
    Notification.objects.all().delete()
    assert unread_count(sec) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([other], title="乙市通知")
    with CaptureQueriesContext(connection) as queries:
        assert unread_count(sec) == 0
        assert unread_count(other) == 1
    assert len(queries.captured_queries) == 1  # the other user's count only


def test_a_write_committing_while_counting_leaves_no_stale_count(
    org, django_capture_on_commit_callbacks
):
    """The count stored is keyed by the version read before counting: a notification that
    commits (and bumps) after the SELECT leaves that count unreadable."""
    sec = org.users["secretary"]
    Notification.objects.all().delete()

    def count_then_a_write_commits():
        n = Notification.objects.filter(recipient=sec, read_at__isnull=True).count()
        with django_capture_on_commit_callbacks(execute=True):
            services.notify([sec], title="并发写入")
        return n

    assert cached_count(sec.pk, count_then_a_write_commits) == 0
    assert unread_count(sec) == 1


def test_a_rolled_back_notification_changes_nothing(org, django_capture_on_commit_callbacks):
    sec = org.users["secretary"]
    Notification.objects.all().delete()
    assert unread_count(sec) == 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify([sec], title="x")
    Notification.objects.filter(recipient=sec).delete()  # as if its transaction rolled back
    assert callbacks  # the bump waits for a commit that never comes
    assert unread_count(sec) == 0


def test_marking_read_with_nothing_left_still_recounts(org, django_capture_on_commit_callbacks):
    """A count cached before a bump was lost (Redis briefly down) is redone by 全部标为已读."""
    sec = org.users["secretary"]
    Notification.objects.all().delete()
    assert unread_count(sec) == 0
    Notification.objects.create(recipient=sec, title="无版本更新的写入")  # no bump
    assert unread_count(sec) == 0  # stale, as after a lost bump
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_read(sec, [])
    assert unread_count(sec) == 1


def test_without_a_shared_cache_every_page_counts(settings, org):
    settings.UNREAD_COUNT_CACHED = False
    sec = org.users["secretary"]
    Notification.objects.all().delete()
    assert unread_count(sec) == 0
    Notification.objects.create(recipient=sec, title="x")
    assert unread_count(sec) == 1


def test_an_admin_edit_is_recounted(admin_client, org, django_capture_on_commit_callbacks):
    sec = org.users["secretary"]
    Notification.objects.all().delete()
    note = Notification.objects.create(recipient=sec, title="x")
    assert unread_count(sec) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:workflow_notification_delete", args=[note.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert unread_count(sec) == 0
