"""当前审核 is shown on a candidacy only while it is in review (as on a brand application)."""

import pytest
from django.urls import reverse

from flagship.services import candidacy as candidacies

from .conftest import approvers, secretary_of

pytestmark = pytest.mark.smoke


def test_a_rejected_candidacy_shows_no_current_level(client, org, open_cycle):
    secretary = secretary_of(org, org.a1)
    c = candidacies.save_candidacy_draft(actor=secretary, cycle=open_cycle, unit=org.a1)
    c = candidacies.submit_candidacy(actor=secretary, pk=c.pk)
    client.force_login(org.users["province_reviewer"])
    url = reverse("flagship:candidacy", args=[c.pk])
    assert f"当前审核：{org.general_a.name}" in client.get(url).content.decode()
    c = candidacies.reject_candidacy(actor=approvers(org, org.a1)[0], pk=c.pk, comment="材料不实")
    assert c.current_level_id  # kept for the record
    assert "当前审核" not in client.get(url).content.decode()
