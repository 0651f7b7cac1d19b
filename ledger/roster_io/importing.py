"""Import a branch's roster from an Excel workbook, all or nothing — the org import's rule
(branches.importing): every row is validated first and every problem reported with its row;
only a workbook without a single error is written, in one transaction.

Rows are matched to the branch's active members by name and birth date (the roster keeps no
ID-card number): a match is updated, anything else is added. Party groups named in the file
that the branch does not have yet are created. Importing the same file twice changes nothing."""

from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.importing import RowError, open_workbook
from branches.importing.columns import _cells, _choice, _choices, _labels, _sheet_rows
from branches.models import OrgUnit
from workflow.services import record_audit

from ..models import Education, Gender, Member, MemberStatus, PartyGroup
from .columns import COLUMNS, DATE_COLUMNS, REQUIRED, SHEET, describe, parse_date

#: What a row sets on a member (the group is resolved separately).
ROW_FIELDS = tuple(k for k in COLUMNS if k != "party_group")


@dataclass
class RosterImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    groups_created: int = 0

    @property
    def ok(self):
        return not self.errors

    def messages(self) -> list[str]:
        return [describe(e) for e in self.errors]

    def summary(self) -> str:
        return _("新增党员 %(c)d 名，更新 %(u)d 名，未变 %(n)d 名；新建党小组 %(g)d 个。") % {
            "c": self.created,
            "u": self.updated,
            "n": self.unchanged,
            "g": self.groups_created,
        }


@dataclass
class _Row:
    row: int
    values: dict
    group_name: str


def import_roster_workbook(file, *, actor, branch: OrgUnit) -> RosterImportResult:
    """Validate the whole sheet against the branch's roster; without errors, write it in one
    transaction (the branch row locked: two imports into one branch queue up) and audit it."""
    if not actor.has_perm("ledger.edit_roster", branch):
        raise PermissionDenied(_("只有本支部书记或系统管理员可以维护党员名册。"))
    workbook = open_workbook(file)
    try:
        rows = _sheet_rows(workbook, SHEET)
    finally:
        workbook.close()
    if rows is None:
        problem = _("工作簿中没有“%(sheet)s”工作表，请使用导入模板。") % {"sheet": SHEET}
        return RosterImportResult(errors=[RowError("", 0, "", problem)])
    errors: list[RowError] = []
    cells = _cells(rows, SHEET, COLUMNS, errors)
    with transaction.atomic():
        OrgUnit.objects.select_for_update().filter(pk=branch.pk).get()
        existing = {
            (m.name, m.birth_date): m
            for m in Member.objects.filter(branch=branch, is_active=True).select_related(
                "party_group"
            )
        }
        groups = {g.name: g for g in PartyGroup.objects.filter(branch=branch)}
        parsed = _validate(cells, branch, existing, errors)
        if errors:
            return RosterImportResult(errors=sorted(errors, key=lambda e: (e.row, e.column)))
        result = _apply(parsed, branch, existing, groups)
        if result.created or result.updated or result.groups_created:
            record_audit(
                actor=actor,
                obj=branch,
                action="roster_import",
                comment=result.summary(),
                unit=branch,
            )
        return result


def _validate(cells, branch, existing, errors) -> list[_Row]:
    genders, educations, statuses = _choices(Gender), _choices(Education), _choices(MemberStatus)
    choice_tables = {"gender": (genders, Gender), "education": (educations, Education)}
    choice_tables["status"] = (statuses, MemberStatus)
    seen: dict[tuple, int] = {}
    parsed = []
    for number, c in cells:
        err = partial(_error, errors, number)
        values, bad = {}, set()
        for key in REQUIRED:
            if not c[key]:
                err(key, _("%(column)s必填。") % {"column": COLUMNS[key]})
                bad.add(key)
        for key in DATE_COLUMNS:
            if c[key] and key not in bad:
                values[key] = parse_date(c[key])
                if values[key] is None:
                    err(
                        key,
                        _("%(column)s格式不对，应为 2020-07-01 这样的日期。")
                        % {"column": COLUMNS[key]},
                    )
                    bad.add(key)
        for key, (table, choices) in choice_tables.items():
            if c[key] and key not in bad:
                values[key] = _choice(table, c[key])
                if not values[key]:
                    err(
                        key,
                        _("%(column)s填写“%(v)s”不对，可填：%(allowed)s。")
                        % {"column": COLUMNS[key], "v": c[key], "allowed": _labels(choices)},
                    )
                    bad.add(key)
        values.update(name=c["name"], post=c["post"], phone=c["phone"])
        values.setdefault("full_member_on", None)
        key = (values["name"], values.get("birth_date"))
        if "name" not in bad and "birth_date" not in bad:
            if key in seen:
                err("name", _("与第 %(n)d 行重复（姓名和出生日期相同）。") % {"n": seen[key]})
            seen[key] = number
        if not bad:  # the model's own rules, as the member form applies them
            member = Member(branch=branch, **values)
            if key in existing:  # validated as the update it will be
                member.pk, member._state.adding = existing[key].pk, False
            try:
                member.full_clean(exclude=["party_group", "user", "branch"])
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    for message in messages:
                        err(name if name in COLUMNS else "", message)
        if len(c["party_group"]) > 64:
            err("party_group", _("党小组名称不能超过 64 个字符。"))
        parsed.append(_Row(number, values, c["party_group"]))
    return parsed


def _error(errors, row, key, problem):
    errors.append(RowError(SHEET, row, COLUMNS.get(key, ""), problem))


def _apply(parsed, branch, existing, groups) -> RosterImportResult:
    result = RosterImportResult()
    for row in parsed:
        group = None
        if row.group_name:
            group = groups.get(row.group_name)
            if group is None:
                group = groups[row.group_name] = PartyGroup.objects.create(
                    branch=branch, name=row.group_name
                )
                result.groups_created += 1
        member = existing.get((row.values["name"], row.values["birth_date"]))
        if member is None:
            Member.objects.create(branch=branch, party_group=group, **row.values)
            result.created += 1
            continue
        changed = [f for f in ROW_FIELDS if getattr(member, f) != row.values[f]]
        if group is not None and member.party_group_id != group.pk:
            changed.append("party_group")
        if not changed:
            result.unchanged += 1
            continue
        for f in ROW_FIELDS:
            setattr(member, f, row.values[f])
        if group is not None:  # a blank group cell keeps the member's group
            if member.party_group_id != group.pk:
                PartyGroup.objects.filter(leader=member).update(leader=None, leader_elected_on=None)
            member.party_group = group
        member.save()
        result.updated += 1
    return result
