"""Writes of the ledger: the roster (roster.py) and the work templates (templates.py)."""

from .roster import (
    RosterError,
    add_member,
    create_group,
    deactivate_member,
    edit_member,
    move_member,
    set_group_leader,
)
from .templates import publish_template, revise_template

__all__ = [
    "RosterError",
    "add_member",
    "create_group",
    "deactivate_member",
    "edit_member",
    "move_member",
    "publish_template",
    "revise_template",
    "set_group_leader",
]
