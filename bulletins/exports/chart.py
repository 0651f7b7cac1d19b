"""The coverage-by-committee bar chart as a PNG for the Word file, with Chinese labels.

matplotlib renders with Noto Sans CJK (Debian's fonts-noto-cjk) when it is there; otherwise
with another CJK font it knows of; failing that it still draws the chart (with a warning in
the log: the labels may then show as boxes). Without matplotlib there is no image, and the Word
file says so under the table."""

import functools
import io
import logging
import os

from django.conf import settings
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

#: Other CJK fonts to try, in order, when settings.BULLETIN_CJK_FONT is missing.
FALLBACK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)
FILED_COLOR, BUILT_COLOR = "#b22222", "#e6a23c"
DPI = 120


def font_path() -> str:
    return settings.BULLETIN_CJK_FONT


@functools.cache
def cjk_font(path: str):
    """matplotlib FontProperties for Chinese text, or None (default font) if none is found.
    A .ttc collection holds several faces; the Simplified Chinese one is preferred."""
    from matplotlib import font_manager

    if os.path.exists(path):
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            log.warning("bulletin chart: cannot register font %s", path, exc_info=True)
        else:
            faces = [f.name for f in font_manager.fontManager.ttflist if f.fname == path]
            simplified = next((name for name in faces if name.endswith(" SC")), None)
            if simplified:
                return font_manager.FontProperties(family=simplified)
            return font_manager.FontProperties(fname=path)
    known = {f.name for f in font_manager.fontManager.ttflist}
    for family in FALLBACK_FAMILIES:
        if family in known:
            return font_manager.FontProperties(family=family)
    log.warning("bulletin chart: no CJK font found (looked for %s); labels may not render", path)
    return None


def coverage_chart_png(labels, filed, built, *, target_filed=None, target_built=None, title=""):
    """Grouped bars of the coverage and build rates (percentages) per committee; dashed lines
    at the targets. Returns PNG bytes, or None when matplotlib is not installed."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        log.warning("bulletin chart: matplotlib is not installed; the Word file has no chart")
        return None
    font = cjk_font(font_path())
    text = {"fontproperties": font} if font is not None else {}
    legend = {"prop": font} if font is not None else {}

    # Figure, not pyplot: no global state, safe in a threaded worker. Fixed margins instead of
    # tight_layout (which draws the figure twice); no value labels (the table has the figures).
    fig = Figure(figsize=(max(6.0, 0.6 * len(labels) + 2), 4.2), dpi=DPI)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.86, bottom=0.3)
    ax = fig.add_subplot()
    xs = range(len(labels))
    width = 0.38
    ax.bar([x - width / 2 for x in xs], filed, width, label=_("创建覆盖率"), color=FILED_COLOR)
    ax.bar([x + width / 2 for x in xs], built, width, label=_("建成率"), color=BUILT_COLOR)
    if target_filed is not None:
        ax.axhline(
            target_filed, color=FILED_COLOR, linestyle="--", linewidth=1, label=_("覆盖率目标")
        )
    if target_built is not None:
        ax.axhline(
            target_built, color=BUILT_COLOR, linestyle="--", linewidth=1, label=_("建成率目标")
        )
    ax.set_xticks(list(xs))
    ax.set_xticklabels(labels, rotation=30, ha="right", fontsize=8, **text)
    ax.set_xlim(-0.6, len(labels) - 0.4)
    ax.set_ylim(0, 130)  # head room for the legend above the 100 % bars
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel(_("比率（%）"), **text)
    if title:
        ax.set_title(title, **text)
    ax.legend(loc="upper center", fontsize=8, ncols=4, frameon=False, **legend)
    ax.spines[["top", "right"]].set_visible(False)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def coverage_chart(data) -> bytes | None:
    cov = data.coverage
    if not cov.rows:
        return None
    target = cov.target
    return coverage_chart_png(
        [r.label for r in cov.rows],
        [float(r.filed_rate) for r in cov.rows],
        [float(r.built_rate) for r in cov.rows],
        target_filed=float(target.filed_rate) if target else None,
        target_built=float(target.built_rate) if target else None,
        title=_("各党委创建覆盖率与建成率"),
    )
