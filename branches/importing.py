"""Bulk import of the org tree and its users from an Excel workbook (.xlsx).

The rule: the whole workbook is validated first and every problem is reported with its sheet,
row and column; only a workbook without a single error is applied, in one transaction, so an
import never half-applies. Rows are keyed by 组织编码 / 用户名, so importing the same file twice
changes nothing. A blank optional cell keeps the stored value (a new row gets the default).
Roles are only ever added by an import, never removed."""

import io
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from workflow.services import record_audit

from .cache import tree_changed
from .models import (
    COMMITTEE_TYPES,
    BranchCategory,
    OrgUnit,
    Region,
    Role,
    RoleAssignment,
    UnitType,
    User,
)

UNIT_SHEET, USER_SHEET, HELP_SHEET = "党组织", "用户", "说明"

# Column key → header. The importer finds columns by header text, so their order is free.
UNIT_COLUMNS = {
    "code": "组织编码",
    "name": "名称",
    "unit_type": "类型",
    "parent": "上级组织编码",
    "category": "支部类别",
    "region": "片区编码",
    "member_count": "党员人数",
    "sort_order": "排序",
    "is_active": "有效(是/否)",
}
USER_COLUMNS = {
    "username": "用户名",
    "full_name": "姓名",
    "email": "邮箱",
    "phone": "电话",
    "role": "角色",
    "unit": "所在组织编码",
}
TEXT_COLUMNS = {"code", "parent", "region", "username", "phone", "unit"}  # "@" format: keeps 0101

# Which unit types may sit directly under which; None = a root (no parent).
ALLOWED_PARENTS = {
    UnitType.PROVINCE: (None,),
    UnitType.CITY: (UnitType.PROVINCE,),
    UnitType.DIRECT: (UnitType.PROVINCE,),
    UnitType.GENERAL_BRANCH: COMMITTEE_TYPES,
    UnitType.BRANCH: (*COMMITTEE_TYPES, UnitType.GENERAL_BRANCH),
    UnitType.PARTY_GROUP: (UnitType.BRANCH,),
}
YES = {"是", "y", "yes", "true", "1", "有效"}
NO = {"否", "n", "no", "false", "0", "无效"}
MAX_ROWS = 20000  # per sheet; a larger tree is imported in batches
MAX_INT = 2_147_483_647
UNKNOWN = gettext_lazy("未知的值“%(v)s”，可填：%(allowed)s。")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def open_workbook(file):
    """Open an upload as an .xlsx workbook by its content; any parse failure is unreadable."""
    if hasattr(file, "seek"):
        file.seek(0)
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # zip, XML and openpyxl errors alike: untrusted input
        raise WorkbookUnreadable(_("无法读取该文件：请上传 Excel 工作簿（.xlsx）。")) from exc


def import_org_workbook(file, *, actor) -> ImportResult:
    """Validate the whole workbook; if it has no error, create or update its units, users and
    role assignments in one transaction (all or nothing) and record one audit entry."""
    workbook = open_workbook(file)
    try:
        unit_rows = _sheet_rows(workbook, UNIT_SHEET)
        user_rows = _sheet_rows(workbook, USER_SHEET)
    finally:
        workbook.close()
    errors = []
    if unit_rows is None and user_rows is None:
        errors.append(
            RowError("", 0, "", _("工作簿中没有“党组织”或“用户”工作表，请使用导入模板。"))
        )
        return ImportResult(errors=errors)
    try:
        return _validate_and_apply(unit_rows, user_rows, errors, actor)
    except IntegrityError:  # another import created the same code or username meanwhile
        return ImportResult(errors=[RowError("", 0, "", _("另一项导入正在进行，请稍后重试。"))])


def _validate_and_apply(unit_rows, user_rows, errors, actor) -> ImportResult:
    with transaction.atomic():
        # Imports serialise on the root row, so two admins never interleave their plans.
        list(OrgUnit.objects.select_for_update().filter(depth=1))
        plan = _Plan(errors)
        plan.read_units(_cells(unit_rows or [], UNIT_SHEET, UNIT_COLUMNS, errors))
        plan.read_users(_cells(user_rows or [], USER_SHEET, USER_COLUMNS, errors))
        if errors:
            return ImportResult(errors=sorted(errors, key=_error_order))
        result = plan.apply()
        root = OrgUnit.objects.get_first_root_node()
        if result.changed and root is not None:
            record_audit(
                actor=actor, obj=root, action="import", comment=result.summary(), unit=root
            )
        return result


# ---- reading ------------------------------------------------------------------------------


def _error_order(error):
    columns = list((UNIT_COLUMNS if error.sheet == UNIT_SHEET else USER_COLUMNS).values())
    column = columns.index(error.column) if error.column in columns else -1
    return (error.sheet != UNIT_SHEET, error.sheet, error.row, column)


def _sheet_rows(workbook, title):
    if title not in workbook.sheetnames:
        return None
    try:
        return list(workbook[title].iter_rows(values_only=True))
    except Exception as exc:  # a sheet's XML is parsed lazily in read-only mode
        raise WorkbookUnreadable(_("工作表“%(sheet)s”无法读取。") % {"sheet": title}) from exc


def _header_key(value) -> str:
    text = _text(value)
    for bracket in ("(", "（"):
        text = text.split(bracket, 1)[0]
    return text.strip()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _cells(rows, sheet, columns, errors):
    """`(row number, {key: text})` for each non-blank data row; header problems are errors."""
    if not rows:
        return []
    header = [_header_key(h) for h in rows[0]]
    positions = {}
    for key, title in columns.items():
        if _header_key(title) in header:
            positions[key] = header.index(_header_key(title))
        else:
            errors.append(RowError(sheet, 1, title, _("缺少该列，请使用导入模板的表头。")))
    if len(positions) < len(columns):
        return []
    out = []
    for number, values in enumerate(rows[1:], start=2):
        cells = {k: _text(values[i]) if i < len(values) else "" for k, i in positions.items()}
        if not any(cells.values()):
            continue
        if len(out) >= MAX_ROWS:
            errors.append(
                RowError(
                    sheet, number, "", _("超过 %(max)d 行上限，请分批导入。") % {"max": MAX_ROWS}
                )
            )
            break
        out.append((number, cells))
    return out


def _choices(choices) -> dict[str, str]:
    """Chinese label or code (any case) → code."""
    with translation.override("zh-hans"):
        table = {str(label): value for value, label in choices.choices}
    table.update({value.lower(): value for value in choices.values})
    return table


def _choice(table, text) -> str:
    return table.get(text) or table.get(text.lower(), "")


def _valid(validator, value) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _labels(choices) -> str:
    with translation.override("zh-hans"):
        return "、".join(str(label) for label in choices.labels)


@dataclass
class _UnitRow:
    row: int
    code: str
    name: str
    unit_type: str
    parent: str
    category: str | None = None  # None: keep the stored value
    region: Region | None = None
    member_count: int | None = None
    sort_order: int | None = None
    is_active: bool | None = None


@dataclass
class _UserRow:
    row: int
    username: str
    values: dict  # full_name/email/phone given on this row
    role: str
    unit: str


class _Plan:
    """The workbook read against the database: validation collects errors; `apply` writes."""

    def __init__(self, errors):
        self.errors = errors
        snapshot = list(OrgUnit.objects.values_list("code", "path", "unit_type"))
        code_at = {path: code for code, path, _type in snapshot}
        self.db_type = {code: unit_type for code, _path, unit_type in snapshot}
        step = OrgUnit.steplen
        self.db_parent = {code: code_at.get(path[:-step]) for code, path, _type in snapshot}
        self.regions = {r.code: r for r in Region.objects.all()}
        self.units: dict[str, _UnitRow] = {}
        self.users: list[_UserRow] = []

    def error(self, sheet, row, key, problem, **params):
        columns = UNIT_COLUMNS if sheet == UNIT_SHEET else USER_COLUMNS
        problem = problem % params if params else problem
        self.errors.append(RowError(sheet, row, columns.get(key, ""), problem))

    def known_unit(self, code):
        return code in self.units or code in self.db_type

    # -- units --

    def read_units(self, rows):
        types, categories = _choices(UnitType), _choices(BranchCategory)
        for row, c in rows:
            err = partial(self.error, UNIT_SHEET, row)
            code, name, parent = c["code"], c["name"], c["parent"]
            if not code:
                err("code", _("组织编码必填。"))
            elif len(code) > 32:
                err("code", _("组织编码不能超过 32 个字符。"))
            elif code in self.units:
                err("code", _("组织编码“%(v)s”与第 %(n)d 行重复。"), v=code, n=self.units[code].row)
            if not name:
                err("name", _("名称必填。"))
            elif len(name) > 128:
                err("name", _("名称不能超过 128 个字符。"))
            unit_type = _choice(types, c["unit_type"])
            if not c["unit_type"]:
                err("unit_type", _("类型必填。"))
            elif not unit_type:
                err("unit_type", UNKNOWN, v=c["unit_type"], allowed=_labels(UnitType))
            if parent and parent == code:
                err("parent", _("上级组织不能是自身。"))
                parent = ""
            category = _choice(categories, c["category"]) or None  # None: keep the stored one
            if c["category"] and not category:
                err("category", UNKNOWN, v=c["category"], allowed=_labels(BranchCategory))
            elif category and unit_type and unit_type != UnitType.BRANCH:
                err("category", _("只有党支部填写支部类别。"))
            region = self.regions.get(c["region"])
            if c["region"] and region is None:
                err("region", _("片区编码“%(v)s”不存在，请先在系统中维护片区。"), v=c["region"])
            flag = c["is_active"].lower()
            is_active = True if flag in YES else False if flag in NO else None
            if flag and is_active is None:
                err("is_active", _("“%(v)s”无法识别，请填“是”或“否”。"), v=c["is_active"])
            if code and code not in self.units:
                self.units[code] = _UnitRow(
                    row=row,
                    code=code,
                    name=name,
                    unit_type=unit_type,
                    parent=parent,
                    category=category,
                    region=region,
                    member_count=self._int(err, "member_count", c["member_count"]),
                    sort_order=self._int(err, "sort_order", c["sort_order"]),
                    is_active=is_active,
                )
            else:
                self._int(err, "member_count", c["member_count"])
                self._int(err, "sort_order", c["sort_order"])
        self._check_tree()

    @staticmethod
    def _int(err, key, text):
        if not text:
            return None
        number = int(text) if text.isascii() and text.isdigit() else -1
        if not 0 <= number <= MAX_INT:
            err(key, _("“%(v)s”不是非负整数。"), v=text)
            return None
        return number

    def final_type(self, code):
        row = self.units.get(code)
        return row.unit_type if row else self.db_type.get(code)

    def final_parent(self, code):
        row = self.units.get(code)
        return (row.parent or None) if row else self.db_parent.get(code)

    def _check_tree(self):
        """Parents exist (new ones listed first), types nest, no unit ends up under itself."""
        for unit in self.units.values():
            err = partial(self.error, UNIT_SHEET, unit.row)
            parent = unit.parent
            later = self.units.get(parent)
            if later and parent not in self.db_type and later.row > unit.row:
                err(
                    "parent",
                    _("上级组织“%(v)s”须排在本行之前（它在第 %(n)d 行）。"),
                    v=parent,
                    n=later.row,
                )
                continue
            if parent and not self.known_unit(parent):
                err("parent", _("上级组织编码“%(v)s”既不在本文件中，也不在系统中。"), v=parent)
                continue
            if self._in_cycle(unit.code):
                err("parent", _("上级组织关系形成循环：不能把组织移到它自己的下级之下。"))
                continue
            parent_type = self.final_type(parent) if parent else None
            if unit.unit_type and parent_type != "":  # "": the parent row's type is in error
                problem = self._nesting_problem(unit.unit_type, parent_type)
                if problem:
                    err("parent", problem)
            # A changed type must still fit the stored children this file leaves in place.
            if unit.unit_type and unit.unit_type != self.db_type.get(unit.code, unit.unit_type):
                misfits = [
                    child
                    for child, child_parent in self.db_parent.items()
                    if child_parent == unit.code
                    and child not in self.units
                    and self._nesting_problem(self.db_type[child], unit.unit_type)
                ]
                if misfits:
                    msg = _("改为该类型后，系统中的下级组织“%(v)s”将无法挂在其下。")
                    err("unit_type", msg, v=misfits[0])

    def _in_cycle(self, code):
        """Whether walking up from `code` comes back to it (a cycle elsewhere is not its own)."""
        seen, current = {code}, self.final_parent(code)
        while current is not None and current not in seen:
            seen.add(current)
            current = self.final_parent(current)
        return current == code

    @staticmethod
    def _nesting_problem(unit_type, parent_type):
        allowed = ALLOWED_PARENTS[unit_type]
        if parent_type in allowed:
            return None
        with translation.override("zh-hans"):
            label = UnitType(unit_type).label
            if parent_type is None:
                return _("%(t)s须填写上级组织编码（只有省公司党委可以留空）。") % {"t": label}
            if allowed == (None,):
                return _("%(t)s是根组织，上级组织编码须留空。") % {"t": label}
            return _("%(t)s的上级须为%(allowed)s，而不是%(p)s。") % {
                "t": label,
                "allowed": "或".join(str(UnitType(t).label) for t in allowed),
                "p": UnitType(parent_type).label,
            }

    # -- users --

    def read_users(self, rows):
        roles = _choices(Role)
        username_ok = UnicodeUsernameValidator()
        first_value = {}  # (username, key) → (value, row)
        seen_roles = {}
        for row, c in rows:
            err = partial(self.error, USER_SHEET, row)
            username, role, unit = c["username"], _choice(roles, c["role"]), c["unit"]
            if not username:
                err("username", _("用户名必填。"))
            elif len(username) > 150 or not _valid(username_ok, username):
                err("username", _("用户名只能由字母、数字和 @ . + - _ 组成，不超过 150 个字符。"))
            for key, limit in (("full_name", 64), ("email", 254), ("phone", 32)):
                if len(c[key]) > limit:
                    err(key, _("不能超过 %(n)d 个字符。"), n=limit)
            if c["email"] and not _valid(validate_email, c["email"]):
                err("email", _("“%(v)s”不是有效的邮箱地址。"), v=c["email"])
            values = {k: c[k] for k in ("full_name", "email", "phone") if c[k]}
            for key, value in values.items():
                earlier, at = first_value.setdefault((username, key), (value, row))
                if earlier != value:
                    err(key, _("与第 %(n)d 行同一用户的“%(v)s”不一致。"), n=at, v=earlier)
            if c["role"] and not role:
                err("role", UNKNOWN, v=c["role"], allowed=_labels(Role))
            if c["role"] and not unit:
                err("unit", _("填写了角色时，所在组织编码必填。"))
            if unit and not c["role"]:
                err("role", _("填写了所在组织编码时，角色必填。"))
            if unit and not self.known_unit(unit):
                err("unit", _("组织编码“%(v)s”既不在“党组织”表中，也不在系统中。"), v=unit)
            if role and unit:
                at = seen_roles.setdefault((username, role, unit), row)
                if at != row:
                    err("role", _("与第 %(n)d 行的角色授权重复。"), n=at)
            self.users.append(_UserRow(row, username, values, role, unit))

    # -- writing --

    def _depth(self, code):
        depth, current = 1, self.final_parent(code)
        while current is not None:
            depth, current = depth + 1, self.final_parent(current)
        return depth

    def apply(self) -> ImportResult:
        result = ImportResult()
        self._apply_units(result.units)
        self._apply_users(result)
        transaction.on_commit(tree_changed)  # moves bypass OrgUnit.save
        return result

    def _apply_units(self, counts):
        wanted = set(self.units) | {u.parent for u in self.units.values() if u.parent}
        by_code = {u.code: u for u in OrgUnit.objects.select_for_update().filter(code__in=wanted)}
        # Shallow first, so a parent is in its final place before anything lands under it.
        for row in sorted(self.units.values(), key=lambda u: (self._depth(u.code), u.row)):
            parent = by_code[row.parent] if row.parent else None
            unit = by_code.get(row.code)
            if unit is None:
                fields = {
                    "code": row.code,
                    "name": row.name,
                    "unit_type": row.unit_type,
                    "category": (row.category or "") if row.unit_type == UnitType.BRANCH else "",
                    "region": row.region,
                    "member_count": row.member_count or 0,
                    "sort_order": row.sort_order or 0,
                    "is_active": True if row.is_active is None else row.is_active,
                }
                if parent is None:
                    unit = OrgUnit.objects.add_root(fields)
                else:
                    unit = OrgUnit.objects.add_child(parent, fields)
                by_code[row.code] = unit
                counts.created += 1
                continue
            moved = self.db_parent.get(row.code) != (row.parent or None)
            if moved:
                if parent is None:
                    last_root = OrgUnit.objects.get_last_root_node()
                    OrgUnit.objects.move(unit, last_root, pos="last-sibling")
                else:
                    OrgUnit.objects.move(unit, parent, pos="last-child")
            changed = _assign(unit, _unit_values(row))
            if changed:
                unit.save(update_fields=changed)  # never the tree fields: a move rewrote them
            if moved or changed:
                counts.updated += 1
            else:
                counts.unchanged += 1

    def _apply_users(self, result):
        usernames = list(dict.fromkeys(u.username for u in self.users))
        existing = {u.username: u for u in User.objects.filter(username__in=usernames)}
        values = {name: {} for name in usernames}
        for row in self.users:
            values[row.username].update(row.values)
        for name in usernames:
            user = existing.get(name)
            if user is None:
                user = User(username=name, **values[name])
                user.set_unusable_password()  # the administrator sets passwords afterwards
                user.save()
                existing[name] = user
                result.users.created += 1
                continue
            changed = _assign(user, values[name])
            if changed:
                user.save(update_fields=changed)
                result.users.updated += 1
            else:
                result.users.unchanged += 1
        codes = {row.unit for row in self.users if row.role}
        units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
        for row in self.users:
            if not row.role:
                continue
            _assignment, created = RoleAssignment.objects.get_or_create(
                user=existing[row.username], unit=units[row.unit], role=row.role
            )
            if created:
                result.roles.created += 1
            else:
                result.roles.unchanged += 1


def _unit_values(row: _UnitRow) -> dict:
    """The stored fields a row sets; blank optional cells are left out (kept)."""
    values = {"name": row.name, "unit_type": row.unit_type}
    if row.unit_type != UnitType.BRANCH:
        values["category"] = ""  # only branches carry a category
    elif row.category is not None:
        values["category"] = row.category
    optional = {
        "region": row.region,
        "member_count": row.member_count,
        "sort_order": row.sort_order,
        "is_active": row.is_active,
    }
    values.update({k: v for k, v in optional.items() if v is not None})
    return values


def _assign(obj, values) -> list[str]:
    """Set the differing fields on `obj`; return their names (empty: nothing to save)."""
    changed = []
    for name, value in values.items():
        current = obj.region_id if name == "region" else getattr(obj, name)
        new = value.pk if name == "region" else value
        if current != new:
            setattr(obj, name, value)
            changed.append(name)
    return changed


# ---- the template -------------------------------------------------------------------------


def build_template() -> bytes:
    """The import template: the two data sheets with one example row each, and the allowed
    values. The example unit hangs under the first root so the untouched template imports."""
    root = OrgUnit.objects.get_first_root_node()
    regions = list(Region.objects.all())
    with translation.override("zh-hans"):
        unit_example = {
            "code": "DEMO001",
            "name": "示例党支部",
            "unit_type": str(UnitType.BRANCH.label),
            "parent": root.code if root else "P",
            "category": str(BranchCategory.PRODUCTION.label),
            "region": regions[0].code if regions else "",
            "member_count": 39,
            "sort_order": 1,
            "is_active": "是",
        }
        user_example = {
            "username": "demo_secretary",
            "full_name": "张三",
            "email": "demo_secretary@example.cn",
            "phone": "13800000000",
            "role": str(Role.SECRETARY.label),
            "unit": "DEMO001",
        }
        help_rows = _help_rows(regions)
    workbook = Workbook()
    _data_sheet(workbook.active, UNIT_SHEET, UNIT_COLUMNS, unit_example)
    _data_sheet(workbook.create_sheet(USER_SHEET), USER_SHEET, USER_COLUMNS, user_example)
    sheet = workbook.create_sheet(HELP_SHEET)
    sheet.append(["项目", "可填写的值 / 说明"])
    for line in help_rows:
        sheet.append(list(line))
    _style_header(sheet, widths=[18, 90])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _data_sheet(sheet, title, columns, example):
    sheet.title = title
    sheet.append(list(columns.values()))
    sheet.append([example[key] for key in columns])
    for index, key in enumerate(columns, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(italic=True, color="808080")
        if key in TEXT_COLUMNS:
            cell.number_format = "@"
            sheet.column_dimensions[cell.column_letter].number_format = "@"
    _style_header(sheet, widths=[max(12, len(h) * 2 + 4) for h in columns.values()])


def _style_header(sheet, widths):
    for index, width in enumerate(widths, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    sheet.freeze_panes = "A2"


HELP_NOTES = (
    ("使用方法", "第 2 行为示例（灰色斜体），导入前请改为实际数据或删除；表头请勿修改。"),
    ("校验", "先校验整个文件：任何一行有错误都不会写入，页面列出每个错误的工作表、行、列。"),
    ("主键", "党组织按“组织编码”、用户按“用户名”匹配：已存在的更新，不存在的新建。"),
    ("重复导入", "再次导入同一文件不会产生任何变化。"),
    ("空白单元格", "选填列留空表示保持原值；新建时取默认值（党员人数、排序为 0，有效为“是”）。"),
    ("上级组织编码", "上级须已在系统中，或在本表中排在下级之前；只有省公司党委可以留空。"),
    ("层级", "市分公司党委、省公司直属党委 → 省公司党委；党总支 → 各级党委。"),
    ("层级", "党支部 → 各级党委或党总支；党小组 → 党支部。"),
    ("用户", "同一用户有多个角色时，每个角色占一行。导入只新增角色，不删除已有角色。"),
    ("密码", "新建的用户没有密码，需由管理员设置初始密码后才能登录。"),
    ("有效(是/否)", "是 / 否"),
)


def _help_rows(regions):
    def each(choices, note=""):
        return [f"{label}（或 {value}）{note}" for value, label in choices.choices]

    rows = list(HELP_NOTES)
    rows += [("类型", text) for text in each(UnitType)]
    rows += [("支部类别", text) for text in each(BranchCategory, "；仅党支部填写")]
    rows += [("角色", text) for text in each(Role)]
    rows += [("片区编码", f"{r.code}（{r.name}）") for r in regions] or [
        ("片区编码", "系统中尚无片区，请先在后台维护片区。")
    ]
    return rows
