"""Who may do what with pioneer posts. The roster's rules decide: those who read a branch's
roster read its posts (its secretary, the reviewers above, administrators); those who keep the
roster (its secretary, administrators) name, check and review posts — the branch committee's
work, done by its secretary in the portal. A member reads their own posts."""

import rules

from branches.access import is_reviewer, reviewer_covers
from ledger.rules import leads_group, member_of


@rules.predicate
def reads_posts_of(user, branch):
    return branch is not None and user.has_perm("ledger.view_roster", branch)


@rules.predicate
def manages_posts_of(user, branch):
    return branch is not None and user.has_perm("ledger.edit_roster", branch)


@rules.predicate
def reads_post(user, post):
    return post is not None and (
        user.has_perm("ledger.view_roster", post.branch)
        or (post.member.user_id is not None and post.member.user_id == user.pk)
    )


@rules.predicate
def manages_post(user, post):
    return post is not None and user.has_perm("ledger.edit_roster", post.branch)


rules.add_perm("groups.view_posts", rules.is_authenticated & reads_posts_of)
rules.add_perm("groups.manage_posts", rules.is_authenticated & manages_posts_of)
rules.add_perm("groups.view_post", rules.is_authenticated & reads_post)
rules.add_perm("groups.manage_post", rules.is_authenticated & manages_post)


@rules.predicate
def reads_group(user, group):
    """The roster's readers of the branch, and the group's own members and leader."""
    if group is None:
        return False
    if user.has_perm("ledger.view_roster", group.branch):
        return True
    member = member_of(user)
    return member is not None and member.party_group_id == group.pk


@rules.predicate
def keeps_group_brand(user, group):
    """The branch's keepers (secretary, administrators) and the group's elected leader."""
    return group is not None and (
        user.has_perm("ledger.edit_roster", group.branch) or leads_group(user, group)
    )


rules.add_perm("groups.view_group", rules.is_authenticated & reads_group)
rules.add_perm("groups.edit_group_brand", rules.is_authenticated & keeps_group_brand)


# --- 党小组季度考评 (the branch scores its groups each quarter) -------------------------------


@rules.predicate
def reads_group_assessments_of(user, branch):
    """A branch's quarterly group results: its roster's readers (secretary, reviewers above)."""
    return branch is not None and user.has_perm("ledger.view_roster", branch)


@rules.predicate
def manages_group_assessments_of(user, branch):
    """Scoring is the branch committee's work, done by its secretary (the roster's keepers)."""
    return branch is not None and user.has_perm("ledger.edit_roster", branch)


@rules.predicate
def reads_group_assessment(user, assessment):
    """A draft: the branch's keepers only. Submitted (published): also the readers above and
    the group's own members and leader — never another group's."""
    if assessment is None:
        return False
    if user.has_perm("ledger.edit_roster", assessment.branch):
        return True
    if assessment.is_draft:
        return False
    if user.has_perm("ledger.view_roster", assessment.branch):
        return True
    member = member_of(user)
    return (member is not None and member.party_group_id == assessment.group_id) or leads_group(
        user, assessment.group
    )


@rules.predicate
def manages_group_assessment(user, assessment):
    return assessment is not None and user.has_perm("ledger.edit_roster", assessment.branch)


rules.add_perm("groups.view_group_assessments", rules.is_authenticated & reads_group_assessments_of)
rules.add_perm(
    "groups.manage_group_assessments", rules.is_authenticated & manages_group_assessments_of
)
rules.add_perm("groups.view_group_assessment", rules.is_authenticated & reads_group_assessment)
rules.add_perm("groups.manage_group_assessment", rules.is_authenticated & manages_group_assessment)


# --- 品牌党小组评选 (the branch proposes, the reviewer above confirms) -------------------------


@rules.predicate
def confirms_brand_groups_of(user, branch):
    """A reviewer whose subtree holds the branch, strictly above it (general branch, committee,
    province): the level above the branch confirms its 品牌党小组."""
    return branch is not None and reviewer_covers(user, branch)


@rules.predicate
def holds_a_review_queue(user):
    return is_reviewer(user)


rules.add_perm("groups.propose_brand_group", rules.is_authenticated & manages_group_assessments_of)
rules.add_perm("groups.confirm_brand_group", rules.is_authenticated & confirms_brand_groups_of)
rules.add_perm("groups.view_brand_group_queue", rules.is_authenticated & holds_a_review_queue)


# --- 党员考评 (双百 党员百分制, 党员岗位KPI): the branch scores its own members ---------------
# Restraint (issue #17): a member's result is read by the branch that scored it (its keepers:
# the secretary doing the committee's work, administrators) and by the member, once
# published. Reviewers above the branch read the roster, not these results; a group leader
# reads only their own, like any member.


@rules.predicate
def manages_member_assessments_of(user, branch):
    return branch is not None and user.has_perm("ledger.edit_roster", branch)


def _own(user, assessment) -> bool:
    member = member_of(user)
    return member is not None and member.pk == assessment.member_id


@rules.predicate
def reads_member_assessment(user, assessment):
    """The branch's keepers; the member themselves, once the period is published."""
    if assessment is None:
        return False
    if user.has_perm("ledger.edit_roster", assessment.period.branch):
        return True
    return not assessment.period.is_open and _own(user, assessment)


@rules.predicate
def self_assesses(user, assessment):
    """The member themselves, while the period is open."""
    return assessment is not None and assessment.period.is_open and _own(user, assessment)


@rules.predicate
def manages_member_assessment(user, assessment):
    return assessment is not None and user.has_perm("ledger.edit_roster", assessment.period.branch)


rules.add_perm(
    "groups.manage_member_assessments", rules.is_authenticated & manages_member_assessments_of
)
rules.add_perm("groups.view_member_assessment", rules.is_authenticated & reads_member_assessment)
rules.add_perm(
    "groups.open_member_assessment",
    rules.is_authenticated & (reads_member_assessment | self_assesses),
)
rules.add_perm("groups.self_assess", rules.is_authenticated & self_assesses)
rules.add_perm(
    "groups.manage_member_assessment", rules.is_authenticated & manages_member_assessment
)
