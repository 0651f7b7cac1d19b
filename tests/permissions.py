"""The permission matrix helper every app reuses.

Every view is checked for every role against a target in the actor's *own* subtree (city A)
and one in a *sibling* subtree (city B). `ROLES` is the full list: a matrix that leaves a role
out fails, so a new role forces every matrix to be reconsidered.
"""

from collections.abc import Callable

ROLES = (
    "anonymous",
    "member",
    "secretary",
    "general_branch_reviewer",
    "city_reviewer",
    "province_reviewer",
    "committee_member",
    "admin",
)

LOGIN = 302  # anonymous users are sent to the login page


def assert_permission_matrix(
    client,
    org,
    url: Callable,
    expected: dict,
    *,
    method: str = "get",
    data: dict | None = None,
    own=None,
    other=None,
):
    """`url(target)` builds the URL for a target object; `own`/`other` default to branches A1
    and B1. `expected[role]` is `(own_status, other_status)` or one status for both."""
    missing = set(ROLES) - set(expected)
    assert not missing, f"matrix lacks roles: {sorted(missing)}"
    targets = {"own": own if own is not None else org.a1, "other": other or org.b1}
    failures = []
    for role in ROLES:
        statuses = expected[role]
        if isinstance(statuses, int):
            statuses = (statuses, statuses)
        client.logout()
        if role != "anonymous":
            client.force_login(org.users[role])
        for (side, target), want in zip(targets.items(), statuses, strict=True):
            target_url = url(target)
            response = getattr(client, method)(target_url, data or {})
            if response.status_code != want:
                got = response.status_code
                failures.append(f"{role:<24} {side:<5} {target_url}: {got} != {want}")
    client.logout()
    assert not failures, "permission matrix mismatches:\n" + "\n".join(failures)
