"""Charts drawn on the server as SVG: no script, no CDN, readable in Chinese (CJK font stack),
crisp when printed. Every value is a rate of its maximum so dimensions of different weights
share one scale."""

import math
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from common.formats import points

FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"
OWN = "#b71c1c"
AVERAGE = "#6c757d"


def _rate(value, maximum) -> float:
    if value is None or not maximum:
        return 0.0
    return max(0.0, min(1.0, float(Decimal(value) / Decimal(maximum))))


def _fmt(value) -> str:
    """A chart label: one decimal at most."""
    return points(None if value is None else Decimal(value).quantize(Decimal("0.1")))


#: Font sizes in the drawing's own units. The drawing is about 560 units wide and is shown at
#: most 560 px wide (.radar-chart), so on a 390 px phone (≈ 350 px for the chart) a label of
#: 20 units reads at ≈ 12.5 px and its score line at ≈ 10 px; at 13/11 they were 6-8 px.
LABEL_SIZE, DETAIL_SIZE, RING_SIZE = 20, 16, 13


def radar_svg(rows: list[dict], *, title: str = "", size: int = 320, own_label="", avg_label=""):
    """`rows`: [{name, score, max, average}] in table order. Returns safe SVG markup."""
    own_label = own_label or _("本支部")
    avg_label = avg_label or _("同类别平均")
    n = len(rows)
    width, height = size + 240, size + 70  # room for the labels left and right
    cx, cy, radius = width / 2, size / 2 + 20, size / 2 - 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title or _("雷达图"))}" '
        f'data-testid="radar" font-family="{FONT}" font-size="{LABEL_SIZE}">',
        f"<title>{escape(title or _('雷达图'))}</title>",
    ]
    if n == 0:
        parts.append(
            f'<text x="{cx}" y="{cy}" text-anchor="middle" fill="{AVERAGE}">'
            f"{escape(_('暂无维度得分'))}</text></svg>"
        )
        # Every text in the SVG is escaped above (reviewed: ruff S308, bandit B308/B703).
        return mark_safe("".join(parts))  # noqa: S308  # nosec

    def point(i, fraction):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        return cx + radius * fraction * math.cos(angle), cy + radius * fraction * math.sin(angle)

    def polygon(fractions):
        return " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, f) for i, f in enumerate(fractions))
        )

    for ring in (0.2, 0.4, 0.6, 0.8, 1.0):
        parts.append(
            f'<polygon points="{polygon([ring] * n)}" fill="none" stroke="#dee2e6" '
            f'stroke-width="1"/>'
        )
    for i in range(n):
        x, y = point(i, 1)
        parts.append(
            f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#dee2e6" '
            f'stroke-width="1"/>'
        )
    for ring in (0.2, 0.6, 1.0):
        # on the bisector of the first two axes, clear of the labels
        angle = -math.pi / 2 + math.pi / n
        x = cx + radius * ring * math.cos(angle)
        y = cy + radius * ring * math.sin(angle)
        parts.append(
            f'<text x="{x + 3:.1f}" y="{y:.1f}" font-size="{RING_SIZE}" fill="{AVERAGE}">'
            f"{int(ring * 100)}%</text>"
        )
    averages = [r.get("average") for r in rows]
    if any(a is not None for a in averages):
        fractions = [_rate(a, r["max"]) for a, r in zip(averages, rows, strict=True)]
        parts.append(
            f'<polygon points="{polygon(fractions)}" '
            f'fill="{AVERAGE}" fill-opacity="0.12" stroke="{AVERAGE}" stroke-width="2" '
            f'stroke-dasharray="6 4" data-testid="radar-average"/>'
        )
    parts.append(
        f'<polygon points="{polygon([_rate(r["score"], r["max"]) for r in rows])}" '
        f'fill="{OWN}" fill-opacity="0.25" stroke="{OWN}" stroke-width="2.5" '
        f'data-testid="radar-own"/>'
    )
    for i, r in enumerate(rows):
        x, y = point(i, _rate(r["score"], r["max"]))
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{OWN}"/>')
        lx, ly = point(i, 1.12)
        ly -= 14 if ly < cy - 1 else 0  # labels above the centre sit clear of the ring
        anchor = "middle" if abs(lx - cx) < 8 else ("start" if lx > cx else "end")
        average = r.get("average")
        average = f" · {escape(_('均'))}{_fmt(average)}" if average is not None else ""
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" fill="#212529">'
            f'<tspan font-weight="600">{escape(r["name"])}</tspan>'
            f'<tspan x="{lx:.1f}" dy="{DETAIL_SIZE + 4}" font-size="{DETAIL_SIZE}" '
            f'fill="{AVERAGE}">'
            f"{_fmt(r['score'])}/{_fmt(r['max'])}"
            f"{average}"
            f"</tspan></text>"
        )
    ly = size + 50
    parts.append(
        f'<rect x="{cx - 150}" y="{ly - 14}" width="18" height="14" fill="{OWN}" '
        f'fill-opacity="0.4" stroke="{OWN}"/>'
        f'<text x="{cx - 126}" y="{ly}">{escape(own_label)}</text>'
        f'<rect x="{cx + 10}" y="{ly - 14}" width="18" height="14" fill="{AVERAGE}" '
        f'fill-opacity="0.2" stroke="{AVERAGE}" stroke-dasharray="3 2"/>'
        f'<text x="{cx + 34}" y="{ly}">{escape(avg_label)}</text>'
    )
    parts.append("</svg>")
    # Every text in the SVG is escaped above (reviewed: ruff S308, bandit B308/B703).
    return mark_safe("".join(parts))  # noqa: S308  # nosec


def trend_svg(points: list[tuple[str, object, object]], *, width=640, height=240, title=""):
    """A line of score rates over periods: `points` = [(label, total, max_total)]."""
    left, right, top, bottom = 40, 20, 20, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title or _("得分趋势"))}" data-testid="trend-chart" '
        f'font-family="{FONT}" font-size="11">',
        f"<title>{escape(title or _('得分趋势'))}</title>",
    ]
    for pct in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - pct / 100)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#dee2e6"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{AVERAGE}">{pct}%</text>'
        )
    count = len(points)
    coords = []
    for i, (label, total, maximum) in enumerate(points):
        x = left + (plot_w * (i + 0.5) / count if count else 0)
        y = top + plot_h * (1 - _rate(total, maximum))
        coords.append((x, y))
        parts.append(
            f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle">'
            f"{escape(label)}</text>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{OWN}"/>'
            f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" fill="{OWN}">'
            f"{_fmt(total)}</text>"
        )
    if len(coords) > 1:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{OWN}" stroke-width="2"/>')
    parts.append("</svg>")
    # Every text in the SVG is escaped above (reviewed: ruff S308, bandit B308/B703).
    return mark_safe("".join(parts))  # noqa: S308  # nosec
