"""Who may do what with pioneer posts. The roster's rules decide: those who read a branch's
roster read its posts (its secretary, the reviewers above, administrators); those who keep the
roster (its secretary, administrators) name, check and review posts — the branch committee's
work, done by its secretary in the portal. A member reads their own posts."""

import rules


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
