"""The decision buttons a reviewer sees: a step that needs a comment says so before it is sent,
and only the final one (不予通过) asks for confirmation, naming what happens."""

import re

import pytest
from django.urls import reverse

from brands import services

pytestmark = pytest.mark.smoke


def buttons(client, user, app):
    client.force_login(user)
    body = client.get(reverse("brands:detail", args=[app.pk])).content.decode()
    return {
        m.group(1): m.group(0)
        for m in re.finditer(r'<button[^>]*data-testid="act-(\w+)"[^>]*>', body)
    }


def test_reject_asks_and_needs_a_comment_approve_does_neither(client, org, submitted):
    app = services.approve_application(actor=org.users["general_branch_reviewer"], pk=submitted.pk)
    seen = buttons(client, org.users["city_reviewer"], app)
    assert set(seen) == {"approve", "return", "reject"}
    assert "最终决定" in seen["reject"] and "data-requires-comment" in seen["reject"]
    assert "data-requires-comment" in seen["return"] and "data-confirm" not in seen["return"]
    assert "data-confirm" not in seen["approve"]
    assert "data-requires-comment" not in seen["approve"]
