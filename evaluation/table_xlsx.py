"""A scoring table as an xlsx workbook, both ways: `write_version` exports a version, `read`
parses an uploaded workbook into plain data for `services.tables.import_table`.

Sheet “评价表”: one setting per row (label, value). Sheet “指标”: one indicator per row, its
dimension repeated on each row (dimensions keep the order of first appearance). Sheet “分类权重”
(optional; older exports have none): a dimension's weight for one branch category per row — a
dimension and category not listed weigh 1."""

import tempfile
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from branches.models import BranchCategory

from . import online
from .models import IndicatorKind, Subject

SETTINGS = [
    ("code", "编码"),
    ("name", "名称"),
    ("subject", "考评对象"),
    ("description", "说明"),
    ("note", "版本说明"),
    ("allow_negative", "允许扣分至负分"),
    ("max_star_rise", "季度星级至多晋升"),
    ("bonus_cap", "加分上限"),
    ("star2_rate", "二星得分率(%)"),
    ("star3_rate", "三星得分率(%)"),
    ("star4_rate", "四星得分率(%)"),
    ("star5_rate", "五星得分率(%)"),
]
COLUMNS = [
    ("dimension_code", "维度编码"),
    ("dimension_name", "维度名称"),
    ("dimension_description", "维度说明"),
    ("code", "指标编码"),
    ("name", "指标名称"),
    ("description", "考评内容"),
    ("method", "评分方法"),
    ("kind", "类型"),
    ("max_points", "分值"),
    ("category", "适用支部类别"),
]
#: Columns a workbook may have after COLUMNS (older exports do not).
OPTIONAL_COLUMNS = [("online_rule", "线上评分")]
WEIGHT_COLUMNS = [
    ("dimension_code", "维度编码"),
    ("dimension_name", "维度名称"),
    ("category", "适用支部类别"),
    ("weight", "权重"),
]
MAX_WEIGHT = Decimal(10)
YES = {"是", "yes", "true", "1", "y"}


def _labels(choices):
    return {str(label): value for value, label in choices} | {value: value for value, _l in choices}


@dataclass
class ParsedTable:
    settings: dict = field(default_factory=dict)
    dimensions: list = field(default_factory=list)  # [{code, name, description, indicators}]
    errors: list = field(default_factory=list)
    weights: dict = field(default_factory=dict)  # {dimension code: {category: weight}}


def write_version(version, dimensions_with_indicators, weights=None) -> tempfile.NamedTemporaryFile:
    """Write the version to a temporary xlsx file (write-only workbook) and return it, open
    and rewound, for a FileResponse. `weights`: {dimension id: {category: weight}}
    (`selectors.tables.weights_by_version`)."""
    book = Workbook(write_only=True)
    info = book.create_sheet(_("评价表"))
    table = version.table
    values = {
        "code": table.code,
        "name": table.name,
        "subject": str(Subject(table.subject).label),
        "description": table.description,
        "note": version.note,
        "allow_negative": _("是") if version.allow_negative else _("否"),
        "max_star_rise": version.max_star_rise,
        "bonus_cap": None if version.bonus_cap is None else float(version.bonus_cap),
        "star2_rate": float(version.star2_rate),
        "star3_rate": float(version.star3_rate),
        "star4_rate": float(version.star4_rate),
        "star5_rate": float(version.star5_rate),
    }
    for key, label in SETTINGS:
        info.append([label, values[key]])
    sheet = book.create_sheet(_("指标"))
    sheet.append([label for _k, label in COLUMNS + OPTIONAL_COLUMNS])
    kinds = dict(IndicatorKind.choices)
    rules = dict(online.choices())
    categories = dict(BranchCategory.choices)
    for dimension, indicators in dimensions_with_indicators:
        for i in indicators:
            sheet.append(
                [
                    dimension.code,
                    dimension.name,
                    dimension.description,
                    i.code,
                    i.name,
                    i.description,
                    i.method,
                    str(kinds[i.kind]),
                    float(i.max_points),
                    str(categories[i.category]) if i.category else "",
                    str(rules.get(i.online_rule, i.online_rule)) if i.online_rule else "",
                ]
            )
    weight_sheet = book.create_sheet(_("分类权重"))
    weight_sheet.append([label for _k, label in WEIGHT_COLUMNS])
    for dimension, _indicators in dimensions_with_indicators:
        for category, weight in (weights or {}).get(dimension.pk, {}).items():
            row = [dimension.code, dimension.name, str(categories[category]), float(weight)]
            weight_sheet.append(row)
    out = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    book.save(out)
    out.seek(0)
    return out


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _decimal(value):
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def read(upload) -> ParsedTable:
    """Parse an uploaded workbook; problems are collected as messages with row numbers."""
    parsed = ParsedTable()
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        parsed.errors.append(_("无法读取该文件，请上传由本系统导出的 xlsx 评价表。"))
        return parsed
    names = book.sheetnames
    if len(names) < 2:
        parsed.errors.append(_("工作簿应包含“评价表”和“指标”两个工作表。"))
        return parsed
    by_label = {label: key for key, label in SETTINGS}
    for row in book[names[0]].iter_rows(values_only=True):
        if row and _text(row[0]) in by_label:
            parsed.settings[by_label[_text(row[0])]] = row[1] if len(row) > 1 else None
    _check_settings(parsed)
    kinds, categories = _labels(IndicatorKind.choices), _labels(BranchCategory.choices)
    rules = _labels(online.choices())
    rows = book[names[1]].iter_rows(values_only=True)
    header = [_text(c) for c in next(rows, ())]
    expected = [label for _k, label in COLUMNS]
    if header[: len(expected)] != expected:
        parsed.errors.append(_("“指标”工作表的表头应为：%(h)s。") % {"h": _("、").join(expected)})
        return parsed
    keys = [k for k, _l in COLUMNS]
    for key, label in OPTIONAL_COLUMNS:
        if label in header[len(expected) :]:
            keys.append(key)  # in the order exported: right after COLUMNS
    dimensions = {}
    for number, row in enumerate(rows, start=2):
        values = dict(zip(keys, row, strict=False))
        if not any(_text(v) for v in values.values()):
            continue
        problems = []
        d_code, code, name = (_text(values.get(k)) for k in ("dimension_code", "code", "name"))
        if not d_code or not _text(values.get("dimension_name")):
            problems.append(_("维度编码和维度名称不能为空"))
        if not code or not name:
            problems.append(_("指标编码和指标名称不能为空"))
        kind = kinds.get(_text(values.get("kind")))
        if kind is None:
            problems.append(_("类型应为基础指标、专项指标、扣分项目或否决项目"))
        points = _decimal(values.get("max_points") if values.get("max_points") is not None else 0)
        if points is None or points < 0 or points > 1000:
            problems.append(_("分值应为 0 到 1000 之间的数字"))
        elif kind == IndicatorKind.VETO and points:
            problems.append(_("否决项目分值应为 0"))
        elif kind and kind != IndicatorKind.VETO and not points:
            problems.append(_("分值应大于 0"))
        category = _text(values.get("category"))
        if category and category not in categories:
            problems.append(_("适用支部类别无效：%(c)s") % {"c": category})
        rule = _text(values.get("online_rule"))
        if rule and rule not in rules:
            problems.append(_("线上评分规则无效：%(r)s") % {"r": rule})
        elif rule and kind not in (IndicatorKind.BASIC, IndicatorKind.SPECIAL):
            problems.append(_("只有基础指标和专项指标可以线上评分"))
        if problems:
            parsed.errors.append(
                _("第 %(n)d 行：%(p)s。") % {"n": number, "p": _("；").join(problems)}
            )
            continue
        dimension = dimensions.setdefault(
            d_code,
            {
                "code": d_code,
                "name": _text(values["dimension_name"]),
                "description": _text(values.get("dimension_description")),
                "indicators": [],
            },
        )
        if any(i["code"] == code for i in dimension["indicators"]):
            parsed.errors.append(
                _("第 %(n)d 行：指标编码 %(c)s 在该维度中重复。") % {"n": number, "c": code}
            )
            continue
        dimension["indicators"].append(
            {
                "code": code,
                "name": name,
                "description": _text(values.get("description")),
                "method": _text(values.get("method")),
                "kind": kind,
                "max_points": points,
                "category": categories.get(category, ""),
                "online_rule": rules.get(rule, ""),
            }
        )
    parsed.dimensions = list(dimensions.values())
    if not parsed.dimensions and not parsed.errors:
        parsed.errors.append(_("“指标”工作表中没有指标。"))
    if len(names) > 2:  # 分类权重, third as exported
        _read_weights(book[names[2]], parsed, categories)
    return parsed


def _read_weights(sheet, parsed, categories):
    """The optional “分类权重” sheet into `parsed.weights`, problems with row numbers."""
    rows = sheet.iter_rows(values_only=True)
    header = [_text(c) for c in next(rows, ())]
    expected = [label for _k, label in WEIGHT_COLUMNS]
    if header[: len(expected)] != expected:
        parsed.errors.append(
            _("“分类权重”工作表的表头应为：%(h)s。") % {"h": _("、").join(expected)}
        )
        return
    codes = {d["code"] for d in parsed.dimensions}
    for number, row in enumerate(rows, start=2):
        values = dict(zip([k for k, _l in WEIGHT_COLUMNS], row, strict=False))
        if not any(_text(v) for v in values.values()):
            continue
        problems = []
        code, category = _text(values.get("dimension_code")), _text(values.get("category"))
        if code not in codes:
            problems.append(_("维度编码 %(c)s 不在“指标”工作表中") % {"c": code or "—"})
        if category not in categories or not categories.get(category):
            problems.append(_("适用支部类别无效：%(c)s") % {"c": category or "—"})
        weight = _decimal(values.get("weight")) if values.get("weight") is not None else None
        if weight is None or not 0 <= weight <= MAX_WEIGHT or weight != round(weight, 2):
            problems.append(_("权重应为 0 到 10 之间、最多两位小数的数字"))
        if not problems and categories[category] in parsed.weights.get(code, {}):
            problems.append(_("该维度的这一类别重复"))
        if problems:
            parsed.errors.append(
                _("“分类权重”第 %(n)d 行：%(p)s。") % {"n": number, "p": _("；").join(problems)}
            )
            continue
        parsed.weights.setdefault(code, {})[categories[category]] = weight


def _check_settings(parsed):
    s = parsed.settings
    s["code"] = _text(s.get("code"))
    s["name"] = _text(s.get("name"))
    if not s["code"]:
        parsed.errors.append(_("“评价表”工作表缺少编码。"))
    subjects = _labels(Subject.choices)
    subject = _text(s.get("subject")) or str(Subject.BRANCH.label)
    if subject not in subjects:
        parsed.errors.append(_("考评对象无效：%(s)s。") % {"s": subject})
    s["subject"] = subjects.get(subject, Subject.BRANCH)
    s["description"] = _text(s.get("description"))
    s["note"] = _text(s.get("note"))
    s["allow_negative"] = _text(s.get("allow_negative")).lower() in YES
    rise = _text(s.get("max_star_rise"))
    s["max_star_rise"] = None
    if rise:
        if not rise.removesuffix(".0").isdigit() or not 1 <= int(float(rise)) <= 4:
            parsed.errors.append(_("季度星级至多晋升须为 1 到 4 的整数，或留空（不限）。"))
        else:
            s["max_star_rise"] = int(float(rise))
    cap = s.get("bonus_cap")
    s["bonus_cap"] = None
    if _text(cap):
        value = _decimal(cap)
        if value is None or not 0 <= value <= 1000 or value != round(value, 2):
            parsed.errors.append(
                _("加分上限须为 0 到 1000 之间、最多两位小数的数字，或留空（不设加分项）。")
            )
        else:
            s["bonus_cap"] = value
    rates = []
    for key in ("star2_rate", "star3_rate", "star4_rate", "star5_rate"):
        value = _decimal(s.get(key)) if s.get(key) is not None else None
        if value is None:
            parsed.errors.append(_("星级得分率须为 0 到 100 之间的数字。"))
            return
        s[key] = value
        rates.append(value)
    if not (0 <= rates[0] <= rates[1] <= rates[2] <= rates[3] <= 100):
        parsed.errors.append(_("星级得分率须满足 0 ≤ 二星 ≤ 三星 ≤ 四星 ≤ 五星 ≤ 100。"))
