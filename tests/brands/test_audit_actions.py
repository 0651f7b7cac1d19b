"""The audit actions other apps count (brands.audit.Action, used by
brands.selectors.activity and so by the monthly bulletin) are the names under which
brands.services.WORKFLOW records its transitions: renaming a transition without them would
make the bulletin count 0 without failing."""

from brands.audit import Action
from brands.selectors.activity import ACTIVITY
from brands.services import WORKFLOW


def test_every_action_is_a_declared_transition():
    declared = {t.name for t in WORKFLOW.transitions}
    assert {str(a) for a in Action} == declared


def test_the_counted_events_use_declared_actions():
    declared = {t.name for t in WORKFLOW.transitions}
    for key, condition in ACTIVITY.items():
        actions = {value for field, value in condition.children if field == "action"}
        assert actions and actions <= declared, key
