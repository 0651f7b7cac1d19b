"""The bulletin's sections as tables: columns with a kind (how a value is formatted) and rows.

Rows are produced by a callable so a writer can stream them (the returned/overdue item list is
read from the database in chunks, once per file); the Word file shows a shortlist."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy

from common.formats import half_up, local_datetime, points

from .. import selectors
from ..selectors import ACTIVITY, BulletinData

#: How many returned/overdue items the Word file lists (the longest waiting of the scope).
DOCX_ITEM_LIMIT = 30


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"  # text | int | rate (a fraction, shown as %) | score | days | datetime
    width: float = 12


@dataclass
class Table:
    sheet: str  # the Excel sheet name (at most 31 characters)
    title: str  # the Word sub-heading
    columns: list[Column]
    rows: Callable[[], Iterable[Sequence]]
    total: Sequence | None = None
    note: str = ""
    empty_text: str = ""
    chart: bool = False  # the coverage-by-committee chart goes with this table
    docx_rows: Callable[[], Iterable[Sequence]] | None = None  # a shortlist for Word
    docx_note: str = ""  # instead of `note` in Word


@dataclass
class Section:
    title: str
    tables: list[Table] = field(default_factory=list)
    intro: str = ""


def percent_fraction(value) -> Decimal | None:
    """A percentage (0–100: targets, score rates) → the fraction the files hold, already
    rounded half-up to the tenth of a percent they show (`common.formats.half_up`): the
    Excel cell (format 0.0%) and the Word text (`formats.percent`) then show the same figure,
    85.25 % → 85.3 % in both."""
    return None if value is None else half_up(Decimal(str(value)), 1) / 100


def fraction(part, total) -> Decimal | None:
    """A rate as a fraction (Excel formats it as a percentage), rounded as shown; None for an
    empty base."""
    if not total:
        return None
    return percent_fraction(Decimal(part) * 100 / Decimal(total))


def no_data() -> str:
    return _("本月无数据")


def _coverage(data: BulletinData) -> Section:
    cov = data.coverage
    target = cov.target
    t_filed = percent_fraction(target.filed_rate) if target else None
    t_built = percent_fraction(target.built_rate) if target else None

    def verdict(r):
        if target is None or not r.total:
            return ""
        return _("未达标") if r.below else _("达标")

    def line(r):
        return (
            r.label,
            r.total,
            r.filed,
            fraction(r.filed, r.total),
            t_filed,
            r.built,
            fraction(r.built, r.total),
            t_built,
            verdict(r),
        )

    columns = [
        Column(_("党委"), width=26),
        Column(_("党支部数"), "int"),
        Column(_("已申报"), "int"),
        Column(_("创建覆盖率"), "rate"),
        Column(_("覆盖率目标"), "rate"),
        Column(_("已建成"), "int"),
        Column(_("建成率"), "rate"),
        Column(_("建成率目标"), "rate"),
        Column(_("达标情况"), width=10),
    ]
    if target is None:
        target_note = _("尚未设定覆盖率目标。")
    else:
        target_note = _("%(year)s年目标：创建覆盖率 %(filed)s%%，建成率 %(built)s%%。") % {
            "year": target.year,
            "filed": points(target.filed_rate),
            "built": points(target.built_rate),
        }
        if not cov.target_is_own_year:
            target_note += _("（%(year)s年未设定目标，沿用该目标）") % {"year": cov.year}
    rows = [line(r) for r in cov.rows]
    by_committee = Table(
        sheet=_("覆盖率"),
        title=_("各党委创建覆盖率与建成率"),
        columns=columns,
        rows=lambda: rows,
        total=line(cov.totals),
        note=_(
            "口径：有效党支部中，品牌已提交申报（不含草稿和未通过）计入创建覆盖率，"
            "已通过验收计入建成率；为生成时的状态。"
        )
        + target_note,
        empty_text=no_data(),
        chart=True,
    )
    cat_rows = [
        (r.label, r.total, r.filed, fraction(r.filed, r.total), r.built, fraction(r.built, r.total))
        for r in cov.by_category
    ]
    by_category = Table(
        sheet=_("按类别覆盖率"),
        title=_("按支部类别"),
        columns=[
            Column(_("支部类别"), width=16),
            Column(_("党支部数"), "int"),
            Column(_("已申报"), "int"),
            Column(_("创建覆盖率"), "rate"),
            Column(_("已建成"), "int"),
            Column(_("建成率"), "rate"),
        ],
        rows=lambda: cat_rows,
        empty_text=no_data(),
    )
    return Section(_("一、品牌创建覆盖率"), [by_committee, by_category])


#: Lazy: translated when a bulletin is written, in its language, not when the module loads.
ACTIVITY_LABELS = {
    "first_submitted": _lazy("新提交申报"),
    "resubmitted": _lazy("退回后再提交"),
    "approved": _lazy("审批立项"),
    "returned": pgettext_lazy("status", "退回修改"),
    "rejected": _lazy("不予通过"),
    "built": _lazy("验收建成"),
}


def _activity(data: BulletinData) -> Section:
    keys = list(ACTIVITY)
    act = data.activity
    rows = [(r.label, *(r[k] for k in keys)) for r in act.rows]
    table = Table(
        sheet=_("本月申报与审批"),
        title=_("本月申报与审批"),
        columns=[Column(_("党委"), width=26)]
        + [Column(str(ACTIVITY_LABELS[k]), "int") for k in keys],
        rows=lambda: rows,
        total=(act.totals.label, *(act.totals[k] for k in keys)) if rows else None,
        note=_(
            "口径：%(month)s内发生的审批操作（以审批记录为准），按操作发生时品牌所属党支部的"
            "上级党委统计（支部此后调整隶属关系不改变已过月份的数字）；"
            "“审批立项”为省公司党委终审通过、进入实施推进。"
        )
        % {"month": month_label(data.month)},
        empty_text=no_data(),
    )
    return Section(_("二、本月新增申报与审批"), [table])


def _backlog(data: BulletinData) -> Section:
    b = data.backlog
    days = b.overdue_days
    summary_rows = [
        (r.label, r["returned"], r["in_review"], r["overdue"], r["longest_wait"]) for r in b.rows
    ]
    summary = Table(
        sheet=_("退回与逾期"),
        title=_("各党委退回与逾期情况"),
        columns=[
            Column(_("党委"), width=26),
            Column(_("退回待修改"), "int"),
            Column(_("审核中"), "int"),
            Column(_("超期未审（>%(n)d天）") % {"n": days}, "int", width=16),
            Column(_("最长审核等待（天）"), "days", width=16),
        ],
        rows=lambda: summary_rows,
        total=(
            b.totals.label,
            b.totals["returned"],
            b.totals["in_review"],
            b.totals["overdue"],
            b.totals["longest_wait"],
        )
        if summary_rows
        else None,
        note=_("口径：截至%(at)s。审核中的申报自最近一次提交起超过 %(n)d 天未办结计为超期。")
        % {"at": local_datetime(b.as_of), "n": days},
        empty_text=no_data(),
    )

    def item_rows(**which):
        for i in b.items(**which):
            yield (
                i.committee,
                i.unit,
                i.name,
                i.status,
                i.level,
                i.submitted_at,
                i.since,
                i.waiting_days,
            )

    count = b.item_count
    per_committee = selectors.items_per_committee()
    listed = b.listed_count(per_committee)
    basis = _("退回事项自最近一次退回起计算等待天数，超期事项自最近一次提交起计算。")
    note = basis
    if listed < count:
        note += _(
            "共 %(n)d 项，各党委列出等待最久的 %(k)d 项（共 %(m)d 项）；"
            "完整清单请在平台“品牌创建—待我审核”中按等待天数筛选。"
        ) % {"n": count, "k": per_committee, "m": listed}
    details = Table(
        sheet=_("退回逾期明细"),
        title=_("退回与超期事项明细"),
        columns=[
            Column(_("党委"), width=24),
            Column(_("党支部"), width=26),
            Column(_("品牌名称"), width=20),
            Column(_("状态"), width=12),
            Column(_("当前审核层级"), width=22),
            Column(_("最近提交时间"), "datetime", width=18),
            Column(_("等待起算时间"), "datetime", width=18),
            Column(_("等待天数"), "days"),
        ],
        rows=lambda: item_rows(per_committee=per_committee),
        note=note,
        empty_text=_("无退回或超期事项。"),
        docx_rows=lambda: item_rows(limit=DOCX_ITEM_LIMIT),
        docx_note=basis
        + (
            _("共 %(n)d 项，此处列出等待最久的 %(k)d 项，各党委清单见 Excel 文件。")
            % {"n": count, "k": DOCX_ITEM_LIMIT}
            if count > DOCX_ITEM_LIMIT
            else ""
        ),
    )
    return Section(_("三、退回与逾期事项"), [summary, details])


def _ranking(data: BulletinData) -> Section:
    r = data.ranking
    section = Section(_("四、考核评价排名"))
    summary_columns = [
        Column(_("党委"), width=26),
        Column(_("参评支部"), "int"),
        Column(_("平均得分"), "score"),
        Column(_("平均得分率"), "rate"),
        Column(_("五星"), "int", width=8),
        Column(_("四星"), "int", width=8),
        Column(_("第三梯队"), "int"),
        Column(_("一票否决"), "int"),
    ]
    top_columns = [
        Column(_("全省排名"), "int"),
        Column(_("党委"), width=24),
        Column(_("党支部"), width=26),
        Column(_("支部类别"), width=14),
        Column(_("得分"), "score"),
        Column(_("得分率"), "rate"),
        Column(_("星级"), "int", width=8),
    ]
    if r is None:
        section.tables = [
            Table(_("考评排名"), _("各党委考评概况"), summary_columns, list, empty_text=no_data()),
            Table(_("考评前十名"), _("前十名"), top_columns, list, empty_text=no_data()),
        ]
        return section

    def line(row):
        return (
            row.label,
            row["assessed"],
            row["avg_total"],
            percent_fraction(row["avg_rate"]),
            row["star5"],
            row["star4"],
            row["tier3"],
            row["vetoed"],
        )

    rows = [line(row) for row in r.rows]
    top = [(*t[:5], percent_fraction(t[5]), t[6]) for t in r.top]
    period = r.period
    section.intro = _("考评周期：%(name)s（%(table)s，%(start)s 至 %(end)s）。") % {
        "name": period.name,
        "table": period.table_version.table.name,
        "start": f"{period.starts_on:%Y-%m-%d}",
        "end": f"{period.ends_on:%Y-%m-%d}",
    }
    section.tables = [
        Table(
            _("考评排名"),
            _("各党委考评概况"),
            summary_columns,
            lambda: rows,
            total=line(r.totals),
            note=section.intro + _("仅统计已发布的结果。"),
            empty_text=no_data(),
        ),
        Table(
            _("考评前十名"),
            _("前十名"),
            top_columns,
            lambda: top,
            note=section.intro,
            empty_text=no_data(),
        ),
    ]
    return section


def _flagship(data: BulletinData) -> Section:
    f = data.flagship
    section = Section(_("五、旗舰品牌创建进展"))
    if f is None:
        section.tables = [
            Table(
                _("旗舰品牌"),
                _("旗舰品牌申报情况"),
                [Column(_("党委"), width=26)],
                list,
                empty_text=no_data(),
            )
        ]
        return section
    statuses = [value for value, _label in f.statuses]
    honours = [flag for flag, _label in f.honours]

    def line(row):
        in_status = [row[v] for v in statuses]
        return (row.label, *in_status, sum(in_status), *(row[flag] for flag in honours))

    rows = [line(row) for row in f.rows]
    if f.cycle is not None:
        section.intro = _("评选周期：%(cycle)s。") % {"cycle": f.cycle}
        if f.phase:
            section.intro = _("评选周期：%(cycle)s（%(phase)s）。") % {
                "cycle": f.cycle,
                "phase": f.phase,
            }
    section.tables = [
        Table(
            _("旗舰品牌"),
            _("旗舰品牌申报情况"),
            [Column(_("党委"), width=26)]
            + [Column(label, "int") for _value, label in f.statuses]
            + [Column(_("申报合计"), "int")]
            + [Column(label, "int") for _flag, label in f.honours],
            lambda: rows,
            total=line(f.totals),
            note=section.intro,
            empty_text=no_data(),
        )
    ]
    return section


def _ledger(data: BulletinData) -> Section:
    section = Section(_("六、组织生活按期开展情况"))
    lg = data.ledger

    def line(row):
        return (
            row.label,
            row["branches"],
            row["required"],
            row["held"],
            percent_fraction(row["rate"]),
            row["behind"],
            percent_fraction(row["attendance_rate"]),
        )

    rows = [line(r) for r in lg.rows] if lg else []
    section.tables = [
        Table(
            _("组织生活"),
            _("各党委组织生活按期开展情况"),
            [
                Column(_("党委"), width=26),
                Column(_("党支部数"), "int"),
                Column(_("应开展（次）"), "int"),
                Column(_("已开展（次）"), "int"),
                Column(_("按期开展率"), "rate"),
                Column(_("未按期支部"), "int"),
                Column(_("参会率"), "rate"),
            ],
            lambda: rows,
            total=line(lg.totals) if lg and rows else None,
            note=_(
                "口径：%(month)s内按模板规定频次应开展的“三会一课”、主题党日等组织生活，"
                "以支部电子台账中已记录（不含草稿）的会议计；每个支部每项最多计应开次数；"
                "参会率 = 实到 ÷ 应到（请假计入应到）。按生成时的组织隶属关系统计。"
            )
            % {"month": month_label(data.month)},
            empty_text=no_data(),
        )
    ]
    return section


def sections(data: BulletinData) -> list[Section]:
    return [
        _coverage(data),
        _activity(data),
        _backlog(data),
        _ranking(data),
        _flagship(data),
        _ledger(data),
    ]


def month_label(month) -> str:
    """The bulletin's month: 2026年11月 in Chinese, November 2026 in English."""
    # Translators: a month in Django date-format syntax (Y year, m month, F month name).
    return date_format(month, _("Y年m月"))


def title_of(data: BulletinData) -> str:
    return _("品牌建设工作月度通报")


def cover_lines(data: BulletinData) -> list[tuple[str, str]]:
    return [
        (_("通报月份"), month_label(data.month)),
        (_("发布单位"), data.issuer),
        (_("统计范围"), data.scope.name),
        (_("生成时间"), local_datetime(data.as_of)),
        (_("生成人"), data.generated_by),
    ]
