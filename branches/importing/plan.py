"""The workbook read against the database: each row validated (errors collected, nothing written)
and, when no row has an error, applied in one transaction."""

from dataclasses import dataclass
from functools import partial

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ..cache import tree_changed
from ..models import (
    BranchCategory,
    OrgUnit,
    Region,
    Role,
    RoleAssignment,
    UnitType,
    User,
)
from .columns import (
    ALLOWED_PARENTS,
    MAX_INT,
    NO,
    UNIT_COLUMNS,
    UNIT_SHEET,
    UNKNOWN,
    USER_COLUMNS,
    USER_SHEET,
    YES,
    _choice,
    _choices,
    _labels,
    _valid,
)
from .results import ImportResult, RowError


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
        transaction.on_commit(tree_changed)  # again: figures cached while the import ran
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
