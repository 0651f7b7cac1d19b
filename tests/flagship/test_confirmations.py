"""Irreversible flagship steps ask first, saying what happens (issue #14, item 3): ending a
phase early from the cycle page, naming the demonstration units (which opens the vote) and
naming the bases (which ends the vote and publishes the awards). The vote's own question is
tested in tests/flagship/test_vote_page.py and, clicked, in tests/e2e/test_phone_forms.py."""

import re

from django.urls import reverse

from flagship.services import decision

from .conftest import score


def _form(body, testid=None, action=None):
    pattern = f'data-testid="{testid}"' if testid else f'action="{action}"'
    return next(f for f in re.findall(r"<form [^>]*>", body) if pattern in f)


def test_ending_a_phase_early_names_the_step_and_that_it_is_final(client, org, open_cycle):
    client.force_login(org.users["province_reviewer"])
    body = client.get(reverse("flagship:cycle", args=[open_cycle.pk])).content.decode()
    url = reverse("flagship:advance", args=[open_cycle.pk, "publish_notice"])
    form = _form(body, action=url)
    assert re.search(r'data-confirm="确定要“[^”]+”吗？该操作不可撤销。"', form), form


def test_naming_units_and_bases_ask_first(client, org, in_review, second_member):
    cycle, a1, b1 = in_review
    for member in (org.users["committee_member"], second_member):
        score(member, a1, 45, 45)
        score(member, b1, 40, 40)
    client.force_login(org.users["committee_member"])  # the chair
    body = client.get(reverse("flagship:decide", args=[cycle.pk])).content.decode()
    assert "开始公开投票吗？确定后不可更改" in _form(body, "decide-form")
    decision.decide_units(
        actor=org.users["committee_member"], cycle_pk=cycle.pk, candidacy_ids=[a1.pk, b1.pk]
    )
    body = client.get(reverse("flagship:bases", args=[cycle.pk])).content.decode()
    assert "结束投票、确定示范基地并公布表彰名单，不可更改" in _form(body, "bases-form")
