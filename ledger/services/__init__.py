"""Writes of the ledger: the roster (roster.py), the work templates (templates.py) and the
records kept on them (records.py)."""

from .records import (
    RecordError,
    finalise,
    remove_attachment,
    remove_photo,
    save_draft,
)
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
from .theme_days import link_theme_day

__all__ = [
    "RecordError",
    "RosterError",
    "add_member",
    "create_group",
    "deactivate_member",
    "edit_member",
    "finalise",
    "link_theme_day",
    "move_member",
    "publish_template",
    "remove_attachment",
    "remove_photo",
    "revise_template",
    "save_draft",
    "set_group_leader",
]
