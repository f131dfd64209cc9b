"""Charts that Khet draws itself as inline SVG, for pages and PDFs alike.

    {{ bar_chart(_("Satisfaction"), [(s.title, s.mean) for s in services], maximum=5) }}
    {{ column_chart(_("Requests"), quarters, [(s.title, s.counts) for s in services]) }}

Nothing runs in the browser and nothing needs a style attribute, which the site's CSP forbids:
colours and sizes are SVG presentation attributes. Every label is escaped, and the result is
``Markup`` that a template can place as it is. ``None`` is a value that is missing: no bar, a dash.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

from core.documents.text import shown_length

WIDTH = 640
BAR_ROW = 46  # a label over a bar
# A column chart's plot: value labels on its left, its right edge, its height.
AXIS_WIDTH, PLOT_RIGHT, PLOT_HEIGHT = 56, WIDTH - 8, 220
FONT = "Sarabun, sans-serif"
# Okabe and Ito's palette, told apart by colour-blind readers too.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00")
INK, MUTED, TRACK = "#1a1a1a", "#555555", "#e6e6e6"
MISSING = "—"


def number(value: float) -> str:
    """1,234.5 or 4.25: grouped thousands, at most two decimals."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


Format = Callable[[float], str]


def bar_chart(
    title: str,
    bars: Sequence[tuple[str, float | None]],
    *,
    maximum: float | None = None,
    value_format: Format = number,
) -> Markup:
    """Horizontal bars, each under its label, on a track from 0 to ``maximum`` (the largest value
    unless given: 5 for a satisfaction mean, 100 for a share in per cent)."""
    top = maximum or max((value or 0 for __, value in bars), default=0) or 1
    rows = [
        _bar(label, value, top, value_format, y=index * BAR_ROW) for index, (label, value) in enumerate(bars)
    ]
    description = "; ".join(f"{label}: {_shown(value, value_format)}" for label, value in bars)
    return _svg(title, description, len(bars) * BAR_ROW, rows)


def _bar(label: str, value: float | None, top: float, value_format: Format, y: float) -> Markup:
    track = WIDTH - 72  # leaves room for the value after a full bar
    width, shown = track * _share(value, top), _shown(value, value_format)
    return (
        _text(label, 0, y + 15)
        + _tag("rect", x=0, y=y + 22, width=track, height=14, fill=TRACK)
        + _rect(f"{label}: {shown}", 0, y + 22, width, 14, PALETTE[0])
        + _text(shown, width + 6, y + 34, font_size=13)
    )


def column_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    maximum: float | None = None,
    value_format: Format = number,
) -> Markup:
    """Columns grouped by category (e.g. quarters), one colour per series (e.g. services), under a
    legend, on a value axis from 0 to ``maximum`` (a round number above the largest value unless given)."""
    if any(len(values) != len(categories) for __, values in series):
        raise ValueError("every series needs one value per category")
    top = maximum or _round_up(max((v or 0 for __, values in series for v in values), default=0))
    legend, plot_top = _legend([name for name, __ in series])
    bottom = plot_top + PLOT_HEIGHT
    parts = [legend, _axis(top, plot_top, value_format)]
    group = (PLOT_RIGHT - AXIS_WIDTH) / max(len(categories), 1)
    column = group * 0.8 / max(len(series), 1)  # a tenth of the group's width on either side
    for c, category in enumerate(categories):
        x = AXIS_WIDTH + c * group + group * 0.1
        parts.append(_text(category, x + group * 0.4, bottom + 18, text_anchor="middle"))
        for s, (name, values) in enumerate(series):
            height, shown = PLOT_HEIGHT * _share(values[c], top), _shown(values[c], value_format)
            left, y = x + s * column, bottom - height
            parts.append(_rect(f"{category} – {name}: {shown}", left, y, column * 0.9, height, _colour(s)))
            if column >= 16:  # room for the value above the column (the tooltip always has it)
                parts.append(_text(shown, left + column * 0.45, y - 3, font_size=10, text_anchor="middle"))
    description = "; ".join(
        f"{category}: " + ", ".join(f"{name} {_shown(values[c], value_format)}" for name, values in series)
        for c, category in enumerate(categories)
    )
    return _svg(title, description, bottom + 26, parts)


def _legend(names: Sequence[str]) -> tuple[Markup, float]:
    """Colour keys in rows as wide as the chart; returns them and where the plot below may start."""
    parts, x, y = [], 0.0, 0
    for index, name in enumerate(names):
        width = 18 + 7 * shown_length(name) + 20  # key, text at about 7 px a character, gap
        if x and x + width > WIDTH:
            x, y = 0.0, y + 20
        parts.append(_tag("rect", x=x, y=y + 3, width=12, height=12, fill=_colour(index)))
        parts.append(_text(name, x + 18, y + 14, font_size=13))
        x += width
    return Markup().join(parts), (y + 32 if names else 12)


def _axis(top: float, plot_top: float, value_format: Format) -> Markup:
    """Gridlines in five steps from 0 to ``top``, labelled on the left."""
    parts = []
    for step in range(6):
        y = plot_top + PLOT_HEIGHT * (1 - step / 5)
        colour = MUTED if step == 0 else TRACK
        parts.append(_tag("line", x1=AXIS_WIDTH, x2=PLOT_RIGHT, y1=y, y2=y, stroke=colour, stroke_width=1))
        label = value_format(top * step / 5)
        parts.append(_text(label, AXIS_WIDTH - 6, y + 4, fill=MUTED, font_size=11, text_anchor="end"))
    return Markup().join(parts)


def _svg(title: str, description: str, height: float, parts: Sequence[Markup]) -> Markup:
    """The chart's frame: its accessible name and description, its size, the font of its text."""
    return _tag(
        "svg",
        _tag("title", title) + _tag("desc", description) + Markup().join(parts),
        xmlns="http://www.w3.org/2000/svg",
        role="img",
        aria_label=title,
        class_="chart",
        width=WIDTH,
        height=height,
        viewBox=f"0 0 {WIDTH} {_n(height)}",
        font_family=FONT,
        font_size=14,
    )


def _text(content: str, x: float, y: float, **attributes: object) -> Markup:
    return _tag("text", content, x=x, y=y, **{"fill": INK, **attributes})


def _rect(tooltip: str, x: float, y: float, width: float, height: float, fill: str) -> Markup:
    return _tag("rect", _tag("title", tooltip), x=x, y=y, width=width, height=height, fill=fill)


def _tag(name: str, content: str = "", /, **attributes: object) -> Markup:
    """An SVG element; attribute names are written with hyphens (``text_anchor``, ``class_``)."""
    attrs = "".join(
        f' {key.rstrip("_").replace("_", "-")}="{escape(_n(value))}"' for key, value in attributes.items()
    )
    return Markup(f"<{name}{attrs}>{escape(content)}</{name}>")


def _n(value: object) -> object:
    """Coordinates to a tenth of a pixel: short markup, the same drawing."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else value


def _share(value: float | None, top: float) -> float:
    return min(max((value or 0) / top, 0.0), 1.0)


def _shown(value: float | None, value_format: Format) -> str:
    return MISSING if value is None else value_format(value)


def _colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _round_up(value: float) -> float:
    """The next of 1, 2, 2.5, 5 times a power of ten: gridlines at round numbers."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value)
