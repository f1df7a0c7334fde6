# Copyright 2026 Tech Service Quality contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Small inline SVG charts of the add-on: the indicator cards' sparkline (back end)
and the management-review pack's bars, trends and columns (PDF).

Plain Python, standard library only: each function returns the SVG as a ``str``
(escaped text inside); the caller marks it safe (``markupsafe.Markup``) where it is
rendered.  wkhtmltopdf draws it without JavaScript.
"""

from __future__ import annotations

from html import escape

__all__ = [
    "MET",
    "MISSED",
    "NEUTRAL",
    "sparkline",
    "svg_columns",
    "svg_indicator_bars",
    "svg_trend",
]

# Inline SVG for the PDF (wkhtmltopdf draws it; no JavaScript). Only absolute
# coordinates and lower-case attributes, so that the HTML parsers on the way
# (lxml, QtWebKit) leave the drawing as it is.
SVG_FONT = "Noto Sans CJK SC, Noto Sans SC, WenQuanYi Micro Hei, sans-serif"
MET, MISSED, NEUTRAL = "#2e7d32", "#c62828", "#1f5f99"


def _svg(width, height, parts):
    body = "".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" '
        f'height="{height}" font-family="{SVG_FONT}" font-size="9">{body}</svg>'
    )


def _text(x, y, text, anchor="start", size=9, color="#222222", weight="normal"):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{color}" font-weight="{weight}">{escape(str(text))}</text>'
    )


def _line(x1, y1, x2, y2, color="#999999", width=1, dash=None):
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        f'stroke="{color}" stroke-width="{width}"{dashed}/>'
    )


def _clip(text, size):
    text = str(text or "")
    return text if len(text) <= size else text[: size - 1] + "…"


def svg_indicator_bars(rows, no_data_label, value_label, target_label):
    """Each indicator's value as a horizontal bar on a 0–100 % scale (green: met,
    red: missed), its target as a black tick."""
    left, plot, right, top, row_h = 200, 600, 80, 26, 26
    width, height = left + plot + right, top + row_h * max(len(rows), 1) + 26
    parts = []
    for pct in (0, 25, 50, 75, 100):
        x = left + plot * pct / 100
        parts.append(_line(x, top - 4, x, height - 24, "#dddddd"))
        parts.append(_text(x, top - 8, f"{pct}%", "middle", 8, "#555555"))
    for i, row in enumerate(rows):
        y = top + i * row_h
        label = _clip(row.get("name_zh") or row["name"], 14)
        parts.append(_text(left - 6, y + row_h / 2 + 4, label, "end", 11))
        if row["has_data"]:
            value = min(max(row["value"], 0.0), 100.0)
            bar = plot * value / 100
            color = MET if row["status"] == "met" else MISSED
            parts.append(
                f'<rect x="{left}" y="{y + 5}" width="{bar:.1f}" height="{row_h - 10}" '
                f'fill="{color}"/>'
            )
            parts.append(_text(left + bar + 4, y + row_h / 2 + 4, f"{row['value']:.1f}%", size=10))
        else:
            label = no_data_label
            parts.append(_text(left + 4, y + row_h / 2 + 4, label, size=10, color="#777777"))
        if row["target"] is not None:
            tx = left + plot * min(max(row["target"], 0.0), 100.0) / 100
            parts.append(_line(tx, y + 2, tx, y + row_h - 2, "#000000", 2))
    legend_y = height - 8
    parts.append(f'<rect x="{left}" y="{legend_y - 8}" width="10" height="8" fill="{MET}"/>')
    parts.append(
        f'<rect x="{left + 12}" y="{legend_y - 8}" width="10" height="8" fill="{MISSED}"/>'
    )
    parts.append(_text(left + 26, legend_y, value_label))
    parts.append(_line(left + 150, legend_y - 9, left + 150, legend_y + 1, "#000000", 2))
    parts.append(_text(left + 156, legend_y, target_label))
    return _svg(width, height, parts)


def svg_trend(points, target=None, width=430, height=130):
    """A 12-month polyline: ``points`` = [(label, value or None)], oldest first;
    the target as a dashed line; months without data leave a gap."""
    left, right, top, bottom = 34, 10, 10, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _label, v in points if v is not None]
    scale = values + ([target] if target is not None else [])
    low, high = (min(scale), max(scale)) if scale else (0.0, 100.0)
    pad = max((high - low) * 0.15, 1.0)
    low, high = max(0.0, low - pad), min(100.0, high + pad)
    if high <= low:
        low, high = max(0.0, high - 1.0), high + (1.0 if high < 100 else 0.0)
        high = max(high, low + 1.0)
    count = len(points)

    def x_of(i):
        return left + (plot_w * i / (count - 1) if count > 1 else plot_w / 2)

    def y_of(v):
        return top + plot_h * (high - v) / (high - low)

    parts = [
        _line(left, top, left, top + plot_h, "#999999"),
        _line(left, top + plot_h, left + plot_w, top + plot_h, "#999999"),
        _text(left - 3, top + 6, f"{high:.0f}%", "end", 7, "#555555"),
        _text(left - 3, top + plot_h, f"{low:.0f}%", "end", 7, "#555555"),
    ]
    if target is not None and low <= target <= high:
        parts.append(_line(left, y_of(target), left + plot_w, y_of(target), "#000000", 1, "4,3"))
    segment = []
    segments = [segment]
    for i, (_label, value) in enumerate(points):
        if value is None:
            segment = []
            segments.append(segment)
            continue
        segment.append((x_of(i), y_of(value)))
    for seg in segments:
        if len(seg) > 1:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in seg)
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{NEUTRAL}" stroke-width="1.6"/>'
            )
        for x, y in seg:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{NEUTRAL}"/>')
    if points:
        parts.append(_text(left, height - 6, points[0][0], "start", 7, "#555555"))
        parts.append(_text(left + plot_w, height - 6, points[-1][0], "end", 7, "#555555"))
    return _svg(width, height, parts)


def svg_columns(points, width=880, height=180):
    """Vertical bars of counts: ``points`` = [(label, count)]."""
    left, right, top, bottom = 30, 10, 16, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    high = max([count for _label, count in points] + [1])
    slot = plot_w / max(len(points), 1)
    parts = [
        _line(left, top + plot_h, left + plot_w, top + plot_h, "#999999"),
        _line(left, top, left, top + plot_h, "#999999"),
        _text(left - 4, top + 4, str(high), "end", 8, "#555555"),
        _text(left - 4, top + plot_h, "0", "end", 8, "#555555"),
    ]
    for i, (label, count) in enumerate(points):
        bar_h = plot_h * count / high
        x = left + i * slot + slot * 0.2
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{slot * 0.6:.1f}" '
            f'height="{bar_h:.1f}" fill="{NEUTRAL}"/>'
        )
        if count:
            parts.append(_text(x + slot * 0.3, top + plot_h - bar_h - 3, str(count), "middle", 8))
        parts.append(_text(x + slot * 0.3, height - 14, label, "middle", 7, "#555555"))
    return _svg(width, height, parts)


def sparkline(points, target, width=160, height=44):
    """The trend of an indicator card: ``points`` = [(label, value or None, status)],
    oldest first (``status`` "met", "missed" or anything else for no data); the
    target as a dashed line.  Each point says its month and value on hover (a
    ``<title>``) and is coloured by its own status; the line takes the colour of the
    latest point with data; the first and last months are written under it."""
    values = [(i, v, status) for i, (_label, v, status) in enumerate(points) if v is not None]
    if not values:
        return ""
    plot_h = height - 12
    top = max([v for _i, v, _s in values] + [target, 1.0])
    bottom = min([v for _i, v, _s in values] + [target])
    span = (top - bottom) or 1.0
    step = (width - 8) / max(len(points) - 1, 1)

    def x(i):
        return round(4 + i * step, 1)

    def y(v):
        return round(plot_h - 3 - (v - bottom) / span * (plot_h - 6), 1)

    def colour(status):
        return MET if status == "met" else MISSED if status == "missed" else NEUTRAL

    line = " ".join(f"{x(i)},{y(v)}" for i, v, _s in values)
    parts = [
        f'<line x1="0" x2="{width}" y1="{y(target)}" y2="{y(target)}" '
        f'stroke="#6c757d" stroke-dasharray="3,3" stroke-width="1"/>',
        f'<polyline fill="none" stroke="{colour(values[-1][2])}" stroke-width="1.5" '
        f'points="{line}"/>',
    ]
    for i, v, status in values:
        parts.append(
            f'<circle cx="{x(i)}" cy="{y(v)}" r="2.6" fill="{colour(status)}">'
            f"<title>{escape(str(points[i][0]))}: {v:.1f} %</title></circle>"
        )
    parts.append(_text(0, height - 1, points[0][0], "start", 8, "#6c757d"))
    parts.append(_text(width, height - 1, points[-1][0], "end", 8, "#6c757d"))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{SVG_FONT}">{"".join(parts)}</svg>'
    )
