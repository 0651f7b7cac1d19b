"""What an import reports: row errors and counts per kind."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


class WorkbookUnreadable(Exception):
    """The upload is not an .xlsx workbook openpyxl can read (judged by content, not name)."""


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    problem: str


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self):
        return self.created + self.updated


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    units: Counts = field(default_factory=Counts)
    users: Counts = field(default_factory=Counts)
    roles: Counts = field(default_factory=Counts)  # created / unchanged (already held)

    @property
    def ok(self):
        return not self.errors

    @property
    def changed(self):
        return bool(self.units.changed or self.users.changed or self.roles.changed)

    def summary(self) -> str:
        return _(
            "党组织：新增 %(uc)d，更新 %(uu)d，未变 %(un)d；用户：新增 %(sc)d，更新 %(su)d，"
            "未变 %(sn)d；角色授权：新增 %(rc)d，已存在 %(rn)d。"
        ) % {
            "uc": self.units.created,
            "uu": self.units.updated,
            "un": self.units.unchanged,
            "sc": self.users.created,
            "su": self.users.updated,
            "sn": self.users.unchanged,
            "rc": self.roles.created,
            "rn": self.roles.unchanged,
        }
