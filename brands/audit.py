"""The audit actions recorded on brand applications that other apps count (the monthly
bulletin, through `brands.selectors.activity`). Every state change is recorded under its
transition's name (`workflow.transitions.Workflow.apply`), so these are the names of
`brands.services.WORKFLOW`'s transitions; tests/brands/test_audit_actions.py fails if one is
renamed without this list."""

from enum import StrEnum


class Action(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"
    REQUEST_ACCEPTANCE = "request_acceptance"
    PASS_ACCEPTANCE = "pass_acceptance"  # noqa: S105 (an action name, not a password)
    FAIL_ACCEPTANCE = "fail_acceptance"
