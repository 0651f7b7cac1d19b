"""Shared checks of a returned object's edit form (brand application, reshaping, flagship
candidacy, self-assessment): it shows who returned it, when (Asia/Shanghai) and the reviewer's
comment, escaped, read through `workflow.selectors.last_move_into`."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from workflow.models import AuditEntry

#: 17:06 on 11 Dec in UTC is 01:06 on 12 Dec in Shanghai: the page must print the second.
STRADDLING = dt.datetime(2026, 12, 11, 17, 6, tzinfo=dt.UTC)
#: A comment that would run as a script if the page did not escape it.
HOSTILE = '<script>alert("x")</script>请补充成效数据'


def return_at(obj, at=STRADDLING):
    """Move the audit entry of `obj`'s return written last to `at` (its time is the test's
    subject). Picked by id, not by time: an earlier call may have dated an entry after now."""
    entry = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            to_state="returned",
        )
        .order_by("-pk")
        .first()
    )
    AuditEntry.objects.filter(pk=entry.pk).update(at=at)


def assert_shows_return(body, reviewer, comment=HOSTILE):
    """The page names the reviewer and the local time, and prints the comment as text."""
    assert 'data-testid="return-comment"' in body
    assert f"{reviewer} 于 2026-12-12 01:06 退回，审核意见：" in body
    assert "2026-12-11 17:06" not in body
    if comment == HOSTILE:
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;请补充成效数据" in body
        assert "<script>alert" not in body
    else:
        assert comment in body


def assert_shows_no_return(body):
    assert 'data-testid="returned"' not in body and "退回，审核意见" not in body
