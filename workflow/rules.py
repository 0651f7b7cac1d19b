"""Who may do what among the shared blocks (the `rules` library, autodiscovered)."""

import rules

from . import scheduled


@rules.predicate
def is_administrator(user):
    return scheduled.is_administrator(user)


# The page of scheduled jobs (last run, last success, last error): administrators only.
rules.add_perm("workflow.view_scheduled_jobs", rules.is_authenticated & is_administrator)
