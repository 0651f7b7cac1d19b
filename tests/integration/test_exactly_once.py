"""Scheduled jobs run twice at the same moment (two beats during a deploy, a manual run next to
the scheduled one) still do their work once: two real concurrent runs on PostgreSQL, each on
its own connection, against a slow SMTP server (0.3 s a mail, the window they race in)."""

import pytest
from django.core import mail

from tests.conftest import run_concurrently
from tests.factories import Org
from tests.integration.smtp_sink import SmtpSink
from workflow import jobs
from workflow.models import Notification

DIGEST_ROLES = ("general_branch_reviewer", "city_reviewer", "province_reviewer")


@pytest.fixture
def slow_smtp(settings):
    with SmtpSink(delay=0.3) as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 10
        yield sink


def test_two_concurrent_digest_runs_send_one_mail_per_user(transactional_db, postgres, slow_smtp):
    org = Org()
    users = [org.users[role] for role in DIGEST_ROLES]
    assert all(u.wants_digest for u in users)
    for user in users:
        for n in range(3):
            Notification.objects.create(recipient=user, title=f"待审核事项{n}")

    outcomes = run_concurrently(jobs.send_daily_digests, jobs.send_daily_digests)

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(outcomes) == len(users), outcomes
    assert slow_smtp.count_by_recipient() == {u.email: 1 for u in users}
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert jobs.send_daily_digests() == 0  # and a third run later has nothing left


def test_a_digest_whose_send_failed_goes_out_on_the_retry(org, monkeypatch):
    """SQLite is enough here: the claim is released when the mail server refuses the mail."""
    reviewer, other = org.users["city_reviewer"], org.users["province_reviewer"]
    Notification.objects.create(recipient=reviewer, title="品牌申报待审核")
    Notification.objects.create(recipient=other, title="另一项待审核")
    real_send = jobs.send_mail

    def refusing_the_first(**kwargs):
        if kwargs["recipient_list"] == [reviewer.email]:
            raise OSError("smtp down")
        return real_send(**kwargs)

    monkeypatch.setattr(jobs, "send_mail", refusing_the_first)
    with pytest.raises(OSError):
        jobs.send_daily_digests()
    assert [m.to for m in mail.outbox] == [[other.email]]  # the others still got theirs
    assert Notification.objects.get(recipient=reviewer).emailed_at is None

    monkeypatch.setattr(jobs, "send_mail", real_send)
    assert jobs.send_daily_digests() == 1  # the retry sends the released one, only it
    assert [m.to for m in mail.outbox] == [[other.email], [reviewer.email]]
