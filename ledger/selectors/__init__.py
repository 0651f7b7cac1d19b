"""Reads of the ledger: the roster and templates (roster.py), the records (records.py)."""

from .group_figures import GroupMeetings, group_meetings
from .records import (
    OnePlusN,
    attendance_sheet,
    is_theme_day,
    one_plus_n,
    record_for_page,
    records_listed,
    records_of,
    templates_for_branch,
    theme_days_for,
)
from .roster import (
    active_member_counts,
    branches_with_rosters,
    group_for_page,
    group_member_names,
    group_member_users,
    groups_led_by,
    groups_of,
    member_for_page,
    members_filed_for_by,
    roster,
    roster_listed,
    templates_visible_to,
)

__all__ = [
    "active_member_counts",
    "OnePlusN",
    "is_theme_day",
    "one_plus_n",
    "theme_days_for",
    "GroupMeetings",
    "group_meetings",
    "attendance_sheet",
    "branches_with_rosters",
    "group_for_page",
    "group_member_names",
    "group_member_users",
    "groups_led_by",
    "groups_of",
    "member_for_page",
    "members_filed_for_by",
    "record_for_page",
    "records_listed",
    "records_of",
    "roster",
    "roster_listed",
    "templates_for_branch",
    "templates_visible_to",
]
