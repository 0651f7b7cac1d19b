"""Who may do what with 推先表彰: those who manage assessment periods (the province's reviewers
and administrators) propose, adjust and publish a round of a period in their scope; anyone who
holds a role reads a published round; a draft only its managers."""

import rules

from branches.selectors import in_scope, scope_paths

from .models import RoundStatus


@rules.predicate
def manages_round(user, round_):
    """Manages periods and the round's period lies in the user's scope."""
    return (
        round_ is not None
        and user.has_perm("evaluation.manage_periods")
        and in_scope(user, round_.period.scope)
    )


@rules.predicate
def reads_round(user, round_):
    if round_ is None:
        return False
    if round_.status == RoundStatus.PUBLISHED:
        return bool(scope_paths(user))
    return manages_round(user, round_)


@rules.predicate
def proposes_rounds(user):
    return user.has_perm("evaluation.manage_periods")


rules.add_perm("honours.propose", rules.is_authenticated & proposes_rounds)
rules.add_perm("honours.manage_round", rules.is_authenticated & manages_round)
rules.add_perm("honours.view_round", rules.is_authenticated & reads_round)
