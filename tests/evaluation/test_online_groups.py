"""The party-group prefill rules (used by the groups app's quarterly assessment) and the
party-group table v2 that binds them; branch periods never run them."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from evaluation import online
from evaluation.models import Indicator, TableVersion

ITEM = SimpleNamespace(pk=1, max_points=Decimal(20), online_rule="")


def run(code, facts):
    return online.RULES[code].compute(facts, ITEM)


def test_group_meetings_score_the_held_share():
    held = run("group_meetings", online.GroupFacts(meetings_required=3, meetings_held=2))
    assert held.score == Decimal("13.33") and "应开党小组会 3 次，已开 2 次" in held.basis
    assert run("group_meetings", online.GroupFacts()).score == 20  # none due: nothing missed


def test_group_innovation_counts_items_up_to_the_maximum():
    assert run("group_innovation", online.GroupFacts(items_filed=2, items_selected=1)).score == 7
    assert run("group_innovation", online.GroupFacts(items_filed=9, items_selected=9)).score == 20


def test_group_posts_give_no_figure_without_a_review():
    assert run("group_posts", online.GroupFacts()) is None
    assert run("group_posts", online.GroupFacts(reviews=4, reviews_led=3)).score == 15


@pytest.mark.django_db
def test_party_group_v2_binds_three_items_and_v1_is_untouched():
    def bound(number):
        version = TableVersion.objects.get(table__code="party-group-quarterly", number=number)
        items = Indicator.objects.filter(dimension__version=version).exclude(online_rule="")
        return dict(items.values_list("code", "online_rule"))

    assert bound(1) == {}
    assert bound(2) == {
        "shyk-1": "group_meetings",
        "hdzz-1": "group_innovation",
        "dygl-1": "group_posts",
    }


def test_branch_scores_skip_group_rules():
    item = SimpleNamespace(pk=5, max_points=Decimal(10), online_rule="group_posts")
    assert online.scores([item], unit=SimpleNamespace(pk=1), period=None) == {}
