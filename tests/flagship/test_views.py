"""Every flagship view × every role × own/other subtree (tests/permissions.py), with data that
could leak set up first; then the pages' behaviour."""

import pytest
from django.urls import reverse

from flagship.models import Candidacy, FlagshipCycle, Honour, Objection, Phase, SiteVisitPhoto
from flagship.services import candidacy as candidacies
from flagship.services import decision, review
from tests.factories import grant
from tests.permissions import LOGIN, assert_permission_matrix

from .conftest import accept, advance, build_brand, new_cycle, pdf_upload, png_upload

pytestmark = pytest.mark.smoke

EVERYONE = {
    "anonymous": LOGIN,
    "member": 200,
    "secretary": 200,
    "general_branch_reviewer": 200,
    "city_reviewer": 200,
    "province_reviewer": 200,
    "committee_member": 200,
    "admin": 200,
}
MANAGERS = {
    **dict.fromkeys(EVERYONE, 403),
    "anonymous": LOGIN,
    "province_reviewer": 200,
    "admin": 200,
}
COMMITTEE = {**dict.fromkeys(EVERYONE, 403), "anonymous": LOGIN, "committee_member": 200}
#: Who sees a candidacy of branch A1 (own) and of branch B1 (other).
SEES_CANDIDACY = {
    "anonymous": LOGIN,
    "member": 403,
    "secretary": (200, 403),
    "general_branch_reviewer": (200, 403),
    "city_reviewer": (200, 403),
    "province_reviewer": 200,
    "committee_member": 200,
    "admin": 200,
}


def same(url):
    return lambda _unit: url


def redirects(matrix):
    return {
        r: (
            LOGIN
            if v == LOGIN
            else tuple(302 if s == 200 else s for s in (v if isinstance(v, tuple) else (v, v)))
        )
        for r, v in matrix.items()
    }


def by_unit(route, cands, *extra):
    return lambda unit: reverse(route, args=[cands[unit.pk].pk, *extra])


# --- cycle pages -------------------------------------------------------------------------


def test_cycle_pages_matrix(client, org, open_cycle):
    pk = open_cycle.pk
    assert_permission_matrix(client, org, same(reverse("flagship:index")), EVERYONE)
    assert_permission_matrix(client, org, same(reverse("flagship:cycle", args=[pk])), EVERYONE)
    assert_permission_matrix(client, org, same(reverse("flagship:cycle_create")), MANAGERS)
    assert_permission_matrix(client, org, same(reverse("flagship:cycle_edit", args=[pk])), MANAGERS)
    assert_permission_matrix(client, org, same(reverse("flagship:committee", args=[pk])), MANAGERS)
    assert_permission_matrix(
        client, org, same(reverse("flagship:candidacies", args=[pk])), EVERYONE
    )
    assert_permission_matrix(client, org, same(reverse("flagship:notice", args=[pk])), EVERYONE)
    reviewers = {**MANAGERS, "general_branch_reviewer": 200, "city_reviewer": 200, "admin": 403}
    assert_permission_matrix(client, org, same(reverse("flagship:queue", args=[pk])), reviewers)
    assert_permission_matrix(client, org, same(reverse("flagship:board", args=[pk])), COMMITTEE)
    assert_permission_matrix(
        client,
        org,
        same(reverse("flagship:objections", args=[pk])),
        {**MANAGERS, "committee_member": 200},
    )
    assert_permission_matrix(client, org, same(reverse("flagship:decide", args=[pk])), COMMITTEE)
    assert_permission_matrix(client, org, same(reverse("flagship:bases", args=[pk])), COMMITTEE)
    assert_permission_matrix(client, org, same(reverse("flagship:vote", args=[pk])), EVERYONE)
    assert_permission_matrix(client, org, same(reverse("flagship:awards", args=[pk])), EVERYONE)
    assert_permission_matrix(client, org, same(reverse("flagship:honours")), EVERYONE)


def test_cycle_post_matrix(client, org):
    cycle = new_cycle(org)
    data = {"expected_version": "planned"}
    assert_permission_matrix(
        client,
        org,
        same(reverse("flagship:advance", args=[cycle.pk, "open_application"])),
        redirects(MANAGERS),
        method="post",
        data=data,
    )
    assert FlagshipCycle.objects.get(pk=cycle.pk).phase == Phase.APPLICATION
    assert_permission_matrix(
        client,
        org,
        same(reverse("flagship:committee", args=[cycle.pk])),
        redirects(MANAGERS),
        method="post",
        data={"op": "chair", "user": org.users["committee_member"].pk},
    )


def test_apply_matrix(client, org, open_cycle):
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("flagship:apply", args=[open_cycle.pk, unit.pk]),
        {**dict.fromkeys(EVERYONE, 403), "anonymous": LOGIN, "secretary": (200, 403)},
    )


# --- candidacy pages ---------------------------------------------------------------------


@pytest.fixture
def drafts(org, open_cycle):
    return {
        org.a1.pk: candidacies.save_candidacy_draft(
            actor=org.users["secretary"], cycle=open_cycle, unit=org.a1
        ),
        org.b1.pk: candidacies.save_candidacy_draft(
            actor=org.sec_b1, cycle=open_cycle, unit=org.b1
        ),
    }


def test_candidacy_pages_matrix(client, org, drafts):
    for c in drafts.values():
        candidacies.add_attachment(actor=c.applicant, candidacy=c, upload=pdf_upload())
    attachments = {c.unit_id: c.attachments.get() for c in Candidacy.objects.all()}
    assert_permission_matrix(client, org, by_unit("flagship:candidacy", drafts), SEES_CANDIDACY)
    edit = {
        **SEES_CANDIDACY,
        "general_branch_reviewer": (302, 403),
        "city_reviewer": (302, 403),
        "province_reviewer": 302,
        "committee_member": 302,
        "admin": 302,
    }
    assert_permission_matrix(client, org, by_unit("flagship:edit", drafts), edit)
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("flagship:attachment", args=[attachments[unit.pk].pk]),
        SEES_CANDIDACY,
    )
    assert_permission_matrix(
        client,
        org,
        by_unit("flagship:act", drafts, "approve"),
        redirects(SEES_CANDIDACY),
        method="post",
        data={"expected_version": "x"},
    )
    assert_permission_matrix(
        client, org, by_unit("flagship:upload", drafts), redirects(SEES_CANDIDACY), method="post"
    )
    # plan and summary: only the branch's own secretary; others who see it are refused
    own_only = {**dict.fromkeys(EVERYONE, 403), "anonymous": LOGIN, "secretary": (302, 403)}
    assert_permission_matrix(
        client,
        org,
        by_unit("flagship:plan", drafts),
        own_only,
        method="post",
        data={"plan": "计划"},
    )
    assert_permission_matrix(
        client,
        org,
        by_unit("flagship:summary", drafts),
        own_only,
        method="post",
        data={"file": pdf_upload()},
    )
    # deleting: refused (with a message) once submitted, so every viewer meets the same file
    for c in drafts.values():
        candidacies.submit_candidacy(actor=c.applicant, pk=c.pk)
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("flagship:delete_attachment", args=[attachments[unit.pk].pk]),
        redirects(SEES_CANDIDACY),
        method="post",
    )
    assert Candidacy.objects.filter(attachments__isnull=False).count() == 2


def test_edit_and_submit_through_the_pages(client, org, drafts):
    client.force_login(org.users["secretary"])
    c = drafts[org.a1.pk]
    page = client.get(reverse("flagship:edit", args=[c.pk])).content.decode()
    assert "设立党员先锋岗" in page and "品牌六要素" in page  # pre-filled, never retyped
    response = client.post(
        reverse("flagship:edit", args=[c.pk]),
        {"actual_practices": "做法", "highlights": "亮点", "submit": "1"},
    )
    assert response.status_code == 302
    assert Candidacy.objects.get(pk=c.pk).status == "in_review"
    client.force_login(org.users["general_branch_reviewer"])
    c.refresh_from_db()
    client.post(
        reverse("flagship:act", args=[c.pk, "approve"]),
        {"expected_version": candidacies.WORKFLOW.version_of(c), "comment": ""},
    )
    assert Candidacy.objects.get(pk=c.pk).current_level == org.city_a


def test_an_unbuilt_brand_is_refused_with_the_reason(client, org, open_cycle):
    secretary = grant(org.users["member"], org.a2, "secretary")
    build_brand(org.a2, secretary, status="implementing", name="市场先锋")
    client.force_login(secretary)
    page = client.get(reverse("flagship:apply", args=[open_cycle.pk, org.a2.pk])).content.decode()
    assert 'data-testid="refused"' in page and "尚未建成" in page
    response = client.get(reverse("flagship:index")).content.decode()
    assert "尚未建成" in response  # the index says why, no apply button
    assert not Candidacy.objects.filter(unit=org.a2).exists()


def test_lists_are_scoped_and_their_queries_bounded(
    client, org, drafts, django_assert_max_num_queries
):
    client.force_login(org.users["secretary"])
    url = reverse("flagship:candidacies", args=[drafts[org.a1.pk].cycle_id])
    body = client.get(url).content.decode()
    assert org.a1.name in body and org.b1.name not in body
    client.force_login(org.users["province_reviewer"])
    with django_assert_max_num_queries(15):
        body = client.get(url, {"q": "网络"}).content.decode()
    assert org.a1.name in body and org.b1.name in body


# --- notice, review, decision ------------------------------------------------------------


@pytest.fixture
def reviewing(org, in_review, second_member):
    cycle, a1, b1 = in_review
    cands = {org.a1.pk: a1, org.b1.pk: b1}
    jury = org.users["committee_member"]
    for c in cands.values():
        visit = review.record_site_visit(
            actor=jury,
            candidacy_pk=c.pk,
            visited_on=c.created_at.date(),
            members=[jury],
            findings="阵地规范",
            photos=[png_upload()],
        )
        assert visit
    return cycle, cands


def test_committee_pages_matrix(client, org, reviewing):
    cycle, cands = reviewing
    review_only = {**COMMITTEE}
    assert_permission_matrix(client, org, by_unit("flagship:review", cands), review_only)
    photos = {
        p.visit.candidacy.unit_id: p
        for p in SiteVisitPhoto.objects.select_related("visit__candidacy")
    }
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("flagship:visit_photo", args=[photos[unit.pk].pk]),
        review_only,
    )
    assert_permission_matrix(
        client,
        org,
        by_unit("flagship:veto_check", cands),
        redirects(COMMITTEE),
        method="post",
        data={"veto_found": "0", "note": ""},
    )
    assert_permission_matrix(
        client,
        org,
        by_unit("flagship:site_visit", cands),
        redirects(COMMITTEE),
        method="post",
        data={
            "visited_on": "2026-11-01",
            "members": [org.users["committee_member"].pk],
            "findings": "好",
        },
    )
    criteria = list(cycle.criteria.all())
    assert_permission_matrix(
        client,
        org,
        by_unit("flagship:score", cands),
        redirects(COMMITTEE),
        method="post",
        data={f"c{c.pk}": "40" for c in criteria},
    )
    assert Candidacy.objects.filter(scores__isnull=False).distinct().count() == 2


def test_scores_stay_hidden_until_the_member_scored(client, org, reviewing, second_member):
    cycle, cands = reviewing
    a1 = cands[org.a1.pk]
    criteria = list(cycle.criteria.all())
    client.force_login(org.users["committee_member"])
    client.post(
        reverse("flagship:score", args=[a1.pk]),
        {**{f"c{c.pk}": "45" for c in criteria}, "comment": "优秀"},
    )
    client.force_login(second_member)
    page = client.get(reverse("flagship:review", args=[a1.pk])).content.decode()
    assert 'data-testid="scores-hidden"' in page and "优秀" not in page
    board = client.get(reverse("flagship:board", args=[cycle.pk])).content.decode()
    assert "90.00" not in board
    client.post(reverse("flagship:score", args=[a1.pk]), {f"c{c.pk}": "20" for c in criteria})
    page = client.get(reverse("flagship:review", args=[a1.pk])).content.decode()
    assert "优秀" in page and "65.00" in page  # the mean of 90 and 40
    client.force_login(org.users["committee_member"])  # the chair sees the spread and the flag
    board = client.get(reverse("flagship:board", args=[cycle.pk])).content.decode()
    assert "25.00" in board and 'data-testid="flagged"' in board


def test_objection_pages(client, org, open_cycle):
    a1 = accept(org, open_cycle, org.a1)
    advance(org, open_cycle, "publish_notice")
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("flagship:object", args=[a1.pk]),
        redirects(EVERYONE),
        method="post",
        data={"text": "有异议"},
    )
    assert Objection.objects.count() == 7  # one per logged-in role
    objection = Objection.objects.first()
    handlers = redirects({**MANAGERS, "committee_member": 200})
    assert_permission_matrix(
        client,
        org,
        same(reverse("flagship:handle_objection", args=[objection.pk])),
        handlers,
        method="post",
        data={"upheld": "0", "response": "不成立"},
    )


def test_vote_and_decision_pages(client, org, voting, second_member):
    cycle, a1, b1 = voting
    chair_only = {**COMMITTEE}
    assert_permission_matrix(
        client, org, same(reverse("flagship:decide", args=[cycle.pk])), chair_only
    )
    assert_permission_matrix(
        client, org, same(reverse("flagship:bases", args=[cycle.pk])), chair_only
    )
    client.force_login(second_member)  # a member, not the chair
    assert client.get(reverse("flagship:bases", args=[cycle.pk])).status_code == 403
    assert client.get(reverse("flagship:decide", args=[cycle.pk])).status_code == 403
    assert_permission_matrix(
        client,
        org,
        same(reverse("flagship:vote", args=[cycle.pk])),
        redirects(EVERYONE),
        method="post",
        data={"units": [a1.pk]},
    )
    assert cycle.ballots.count() == 7
    client.force_login(org.users["member"])
    client.post(reverse("flagship:vote", args=[cycle.pk]), {"units": [b1.pk]})  # twice: refused
    assert cycle.ballots.count() == 7
    page = client.get(reverse("flagship:vote", args=[cycle.pk])).content.decode()
    assert 'data-testid="voted"' in page


def test_award_pages(client, org, voting):
    cycle, a1, _b1 = voting
    decision.cast_ballot(actor=org.users["member"], cycle_pk=cycle.pk, candidacy_ids=[a1.pk])
    decision.publish_awards(actor=org.users["committee_member"], cycle_pk=cycle.pk, base_count=0)
    honours = {h.unit_id: h for h in Honour.objects.all()}
    assert_permission_matrix(
        client, org, lambda unit: reverse("flagship:honour", args=[honours[unit.pk].pk]), EVERYONE
    )
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("flagship:certificate", args=[honours[unit.pk].pk]),
        EVERYONE,
    )
    obligations = {h.unit_id: h.obligations.first() for h in honours.values()}
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("flagship:fulfil", args=[obligations[unit.pk].pk]),
        {**dict.fromkeys(EVERYONE, 403), "anonymous": LOGIN, "secretary": (302, 403)},
        method="post",
        data={"note": "已提交"},
    )
    client.force_login(org.users["member"])
    page = client.get(reverse("flagship:awards", args=[cycle.pk])).content.decode()
    assert org.a1.name in page and "旗舰品牌示范单位" in page
    cert = client.get(
        reverse("flagship:certificate", args=[honours[org.a1.pk].pk])
    ).content.decode()
    assert "荣誉证书" in cert and honours[org.a1.pk].certificate_no in cert


def test_chair_posts_matrix(client, org, voting):
    cycle, a1, _b1 = voting
    chair_posts = redirects(COMMITTEE)
    # deciding again is refused with a message (the units are named); only the chair gets there
    assert_permission_matrix(
        client,
        org,
        same(reverse("flagship:decide", args=[cycle.pk])),
        chair_posts,
        method="post",
        data={"units": [a1.pk], "expected_version": "voting"},
    )
    assert_permission_matrix(
        client,
        org,
        same(reverse("flagship:bases", args=[cycle.pk])),
        chair_posts,
        method="post",
        data={"base_count": 0, "expected_version": "voting"},
    )
    cycle.refresh_from_db()
    assert cycle.phase == Phase.AWARDED and Honour.objects.count() == 2


def test_committee_and_public_lists_keep_their_query_counts(
    client, org, voting, django_assert_max_num_queries
):
    cycle, a1, b1 = voting
    decision.publish_awards(actor=org.users["committee_member"], cycle_pk=cycle.pk, base_count=0)
    client.force_login(org.users["committee_member"])
    for name in ("board", "decide", "notice", "awards", "vote", "bases", "cycle"):
        with django_assert_max_num_queries(25):
            assert client.get(reverse(f"flagship:{name}", args=[cycle.pk])).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("flagship:honours")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("flagship:index")).status_code == 200
