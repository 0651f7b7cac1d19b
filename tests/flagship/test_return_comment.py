"""A returned flagship candidacy's edit form shows who returned it, when (Asia/Shanghai) and
the comment, escaped; a draft's form shows none."""

from django.urls import reverse

from flagship.services import candidacy as services
from tests.returned import HOSTILE, assert_shows_no_return, assert_shows_return, return_at


def test_returned_candidacy_form_shows_the_return(client, org, open_cycle):
    secretary, reviewer = org.users["secretary"], org.users["general_branch_reviewer"]
    c = services.save_candidacy_draft(actor=secretary, cycle=open_cycle, unit=org.a1)
    url = reverse("flagship:edit", args=[c.pk])
    client.force_login(secretary)
    assert_shows_no_return(client.get(url).content.decode())
    services.submit_candidacy(actor=secretary, pk=c.pk)
    services.return_candidacy(actor=reviewer, pk=c.pk, comment=HOSTILE)
    return_at(c)
    assert_shows_return(client.get(url).content.decode(), reviewer)
