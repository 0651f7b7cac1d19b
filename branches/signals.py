"""What the org tree tells other apps that keep copies of tree facts on their own rows."""

from django.dispatch import Signal

# Sent inside the move's transaction after a unit and its subtree moved (any way: the admin,
# the org import). Keyword argument `path`: the moved unit's new path. Receivers refresh what
# they copied from the unit's ancestry, e.g. its committee (`selectors.committee_ids`).
subtree_moved = Signal()
